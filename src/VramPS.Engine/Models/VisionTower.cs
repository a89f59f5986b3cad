using System;
using System.Collections.Generic;

namespace VramPS.Engine.Models
{
    /// <summary>
    /// Parameter counts and block layout of a vision encoder and its projector, from the modules transformers builds:
    /// CLIPVisionModel and LlavaMultiModalProjector (models/clip, models/llava), SiglipVisionModel and
    /// Gemma3MultiModalProjector (models/siglip, models/gemma3), Qwen2VisionTransformerPretrainedModel and
    /// Qwen2_5_VisionTransformerPretrainedModel with their PatchMerger (models/qwen2_vl, models/qwen2_5_vl), PixtralVisionModel
    /// and Mistral3MultiModalProjector (models/pixtral, models/mistral3), Qwen3VLVisionModel as Qwen3.5 uses it (models/qwen3_vl,
    /// modular_qwen3_5.py: no deepstack mergers), Siglip2VisionTransformer and Lfm2VlMultiModalProjector (models/siglip2,
    /// models/lfm2_vl).
    /// </summary>
    internal static class VisionTower
    {
        private const int Channels = 3;
        /// <summary>Qwen-VL's patch embedding is a Conv3d over 2 frames (temporal_patch_size 2); an image is repeated.</summary>
        private const int QwenTemporalPatch = 2;

        /// <summary>
        /// DeepEncoder V2's SAM ViT-B (deepencoder ImageEncoderViT: img_size 1024, patch 16, width 768, 12 blocks, MLP 3072,
        /// window 14, global blocks 2, 5, 8, 11, neck to 256 channels, net_2 to 512): patch embedding 3 x 16 x 16 x 768 + 768,
        /// positions 64 x 64 x 768, 12 blocks of 7,087,872 with relative positions of (2 x 14 - 1) x 64 x 2 (windowed) or
        /// (2 x 64 - 1) x 64 x 2 (global), neck 768 x 256 + 2 x 256 + 256 x 256 x 9 + 2 x 256, net_2 256 x 512 x 9; net_3
        /// (512 x 9 to the encoder's width) is counted with the width.
        /// </summary>
        private const long SamParameters = 590_592 + 3_145_728 + 12 * 7_087_872 + 8 * 3_456 + 4 * 16_256 + 787_456 + 1_179_648;
        /// <summary>DeepEncoder V2's learned queries: 256 for the 1024-px global view and 144 for 768-px crops.</summary>
        private const int DeepEncoderQueries = 256 + 144;

        public static long Parameters(ModelArchitecture a) => checked(
            EmbeddingParameters(a) + (long)a.VisionBlocks * LayerParameters(a) + ProjectorParameters(a)
            + (a.VisionEncoder == VisionEncoderKind.Mllama ? 2L * a.VisionGlobalLayers : 0));

        /// <summary>One ViT block: its linears and its norms (Gemma 4: four, and q/k norms over one head).</summary>
        public static long LayerParameters(ModelArchitecture a)
        {
            long sum = a.VisionEncoder == VisionEncoderKind.Gemma4Vit
                ? checked(4L * a.VisionHiddenSize + 2L * (a.VisionHiddenSize / a.VisionHeads))
                : checked(2 * NormWeights(a, a.VisionHiddenSize));
            foreach (var m in a.VisionModuleArray) sum = checked(sum + m.Parameters);
            return sum;
        }

        /// <summary>Patch embedding, class token, position table and the norms outside the blocks.</summary>
        public static long EmbeddingParameters(ModelArchitecture a)
        {
            checked
            {
                long d = a.VisionHiddenSize;
                long patch = (long)a.VisionPatchSize * a.VisionPatchSize;
                long grid = a.VisionPatchSize == 0 ? 0 : (long)(a.VisionImageSize / a.VisionPatchSize) * (a.VisionImageSize / a.VisionPatchSize);
                switch (a.VisionEncoder)
                {
                    case VisionEncoderKind.Clip:
                        // Conv2d without bias, class_embedding, (grid + 1) positions, pre_layrnorm and post_layernorm.
                        return Channels * patch * d + d + (grid + 1) * d + 2 * 2 * d;
                    case VisionEncoderKind.Siglip:
                        // Conv2d with bias, grid positions, post_layernorm.
                        return Channels * patch * d + d + grid * d + 2 * d;
                    case VisionEncoderKind.Pixtral:
                        // patch_conv without bias and ln_pre (RMSNorm); 2D rotary positions hold no parameters.
                        return Channels * patch * d + d;
                    case VisionEncoderKind.Gemma4Vit:
                        // input_proj without bias and position_embedding_table (2 x rows x d); std_bias and std_scale are buffers.
                        return Channels * patch * d + 2L * a.VisionPositionEmbeddings * d;
                    case VisionEncoderKind.Gemma4Unified:
                    {
                        // patch_ln1 over the merged patch's pixels, patch_dense with a bias, patch_ln2, pos_embedding
                        // (rows x 2 x d), pos_norm; the LayerNorms have weights and biases.
                        long pixels = UnifiedPatchPixels(a);
                        return 2 * pixels + pixels * d + d + 2 * d + 2L * a.VisionPositionEmbeddings * d + 2 * d;
                    }
                    case VisionEncoderKind.Qwen3Vl:
                        // Conv3d over temporal_patch_size frames with a bias, and the learned position table.
                        return Channels * QwenTemporalPatch * patch * d + d + (long)a.VisionPositionEmbeddings * d;
                    case VisionEncoderKind.Siglip2NaFlex:
                        // Linear patch embedding with a bias, the position table, post_layernorm.
                        return Channels * patch * d + d + (long)a.VisionPositionEmbeddings * d + 2 * d;
                    case VisionEncoderKind.ErnieVl:
                        // patch_embed Linear(3 x p x p -> d) without a bias, the final LayerNorm.
                        return Channels * patch * d + 2 * d;
                    case VisionEncoderKind.DeepEncoderV2:
                        // SAM ViT-B with its neck and net_2, net_3 (512 x 3 x 3 -> d, no bias), the queries, the final RMSNorm.
                        return SamParameters + 512L * 9 * d + DeepEncoderQueries * d + d;
                    case VisionEncoderKind.SiglipNaVit:
                    {
                        // Conv2d with a bias, the grid's and the packing position tables, post_layernorm, and the
                        // attention-pooling head: probe, in_proj (3d x d) and out_proj with biases, a LayerNorm, an fc1/fc2 MLP.
                        long i = a.VisionIntermediateSize;
                        long head = d + (3 * d * d + 3 * d) + (d * d + d) + 2 * d + (d * i + i + i * d + d);
                        return Channels * patch * d + d + (grid + a.VisionPositionEmbeddings) * d + 2 * d + head;
                    }
                    case VisionEncoderKind.Mllama:
                    {
                        // patch_embedding without bias, class_embedding, gated_positional_embedding (a table, its gate and
                        // a tile_embedding of (aspect ratio ids + 1) x tiles x (grid + 1) x d), pre- and post-tile
                        // positional embeddings ((aspect ratio ids + 1) x tiles x d and a gate each), layernorm_pre and _post.
                        long ids = AspectRatios(a.VisionMaxTiles) + 1;
                        long table = (grid + 1) * d;
                        return Channels * patch * d + d + table + 1 + ids * a.VisionMaxTiles * table + 2 * (ids * a.VisionMaxTiles * d + 1) + 2 * 2 * d;
                    }
                    default:
                        // Conv3d over temporal_patch_size frames without bias; rotary positions hold no parameters.
                        return Channels * QwenTemporalPatch * patch * d;
                }
            }
        }

        /// <summary>The projector into the language model's hidden size.</summary>
        public static long ProjectorParameters(ModelArchitecture a)
        {
            checked
            {
                long d = a.VisionHiddenSize;
                long h = a.HiddenSize;
                long merged = d * a.VisionSpatialMerge * a.VisionSpatialMerge;
                switch (a.VisionEncoder)
                {
                    case VisionEncoderKind.Clip:
                        // linear_1 (d -> h) and linear_2 (h -> h), both with biases.
                        return d * h + h + h * h + h;
                    case VisionEncoderKind.Siglip:
                        // mm_soft_emb_norm (RMSNorm) and mm_input_projection_weight (d x h).
                        return d + d * h;
                    case VisionEncoderKind.Mllama:
                        // multi_modal_projector: the concatenated block outputs -> h, with a bias.
                        return d * a.VisionFeatureLayers * h + h;
                    case VisionEncoderKind.Gemma4Vit:
                    case VisionEncoderKind.Gemma4Unified:
                        // embed_vision: embedding_pre_projection_norm without a weight, embedding_projection (d -> h) without bias.
                        return d * h;
                    case VisionEncoderKind.Pixtral:
                        // norm (RMSNorm), patch_merger.merging_layer (d x merge^2 -> d), linear_1 (d -> h), linear_2 (h -> h), no biases.
                        return d + d * a.VisionSpatialMerge * a.VisionSpatialMerge * d + d * h + h * h;
                    case VisionEncoderKind.DeepEncoderV2:
                        // A linear projector (d -> h) with a bias and the view separator (h).
                        return d * h + h + h;
                    case VisionEncoderKind.ErnieVl:
                        // VariableResolutionResamplerModel over m = d x merge^2: spatial_linear (m -> m -> m, LayerNorm),
                        // temporal_linear (2m -> m -> m, LayerNorm), mlp (m -> h), all with biases, after_norm (RMSNorm h).
                        return 2 * (merged * merged + merged) + 2 * merged + (2 * merged * merged + merged) + (merged * merged + merged) + 2 * merged + merged * h + h + h;
                    case VisionEncoderKind.SiglipNaVit:
                    {
                        // mlp_AR: pre_norm (LayerNorm d), linear_1 (d x merge^2 -> d x merge^2) and linear_2 (-> h) with biases.
                        return 2 * d + merged * merged + merged + merged * h + h;
                    }
                    case VisionEncoderKind.Siglip2NaFlex:
                    {
                        // linear_1 (d x merge^2 -> projector_hidden_size) and linear_2 (-> h), both with biases.
                        long p = a.VisionProjectorHiddenSize;
                        return merged * p + p + p * h + h;
                    }
                    default:
                        // ln_q over each patch, then mlp.0 (D -> D) and mlp.2 (D -> h) over the merged D = d x merge^2.
                        return NormWeights(a, d) + merged * merged + merged + merged * h + h;
                }
            }
        }

        /// <summary>
        /// The projector's nn.Linear weights (what bitsandbytes quantizes); Gemma 3's projection is a bare parameter and
        /// its norm, like every bias, stays 16-bit.
        /// </summary>
        public static long ProjectorLinearWeights(ModelArchitecture a)
        {
            checked
            {
                long d = a.VisionHiddenSize;
                long h = a.HiddenSize;
                long merged = d * a.VisionSpatialMerge * a.VisionSpatialMerge;
                switch (a.VisionEncoder)
                {
                    case VisionEncoderKind.Clip:
                        return d * h + h * h;
                    case VisionEncoderKind.Siglip:
                        return 0;
                    case VisionEncoderKind.Mllama:
                        return d * a.VisionFeatureLayers * h;
                    case VisionEncoderKind.Gemma4Vit:
                        return d * h;
                    case VisionEncoderKind.Pixtral:
                        return merged * d + d * h + h * h;
                    case VisionEncoderKind.Siglip2NaFlex:
                        return merged * a.VisionProjectorHiddenSize + (long)a.VisionProjectorHiddenSize * h;
                    case VisionEncoderKind.SiglipNaVit:
                        return merged * merged + merged * h;
                    case VisionEncoderKind.DeepEncoderV2:
                        return d * h;
                    case VisionEncoderKind.ErnieVl:
                        return 5 * merged * merged + merged * h;
                    default:
                        return merged * merged + merged * h;
                }
            }
        }

        /// <summary>The weights of every ViT block's linears (what autocast casts to 16-bit for a trained tower).</summary>
        public static long LinearWeights(ModelArchitecture a)
        {
            long sum = 0;
            foreach (var m in a.VisionModuleArray) sum = checked(sum + m.InFeatures * m.OutFeatures);
            return checked(sum * a.VisionBlocks);
        }

        /// <summary>The linear modules of one ViT block as transformers names them (what a LoRA target list matches).</summary>
        public static LinearModule[] BlockModules(ModelArchitecture a)
        {
            long d = a.VisionHiddenSize;
            long i = a.VisionIntermediateSize;
            var list = new List<LinearModule>(6);
            switch (a.VisionEncoder)
            {
                case VisionEncoderKind.None:
                case VisionEncoderKind.Gemma4Unified:
                    return Array.Empty<LinearModule>();
                case VisionEncoderKind.Clip:
                case VisionEncoderKind.Siglip:
                case VisionEncoderKind.Siglip2NaFlex:
                case VisionEncoderKind.SiglipNaVit:
                    list.Add(new LinearModule("q_proj", d, d, 1, true, LinearRole.AttentionInput));
                    list.Add(new LinearModule("k_proj", d, d, 1, true, LinearRole.AttentionInput));
                    list.Add(new LinearModule("v_proj", d, d, 1, true, LinearRole.AttentionInput));
                    list.Add(new LinearModule("out_proj", d, d, 1, true, LinearRole.AttentionOutput));
                    break;
                case VisionEncoderKind.DeepEncoderV2:
                {
                    // Qwen2 blocks: biased q/k/v_proj (k and v at the KV heads), o_proj without a bias.
                    long kv = d / a.VisionHeads * (a.VisionKvHeads > 0 ? a.VisionKvHeads : a.VisionHeads);
                    list.Add(new LinearModule("q_proj", d, d, 1, true, LinearRole.AttentionInput));
                    list.Add(new LinearModule("k_proj", d, kv, 1, true, LinearRole.AttentionInput));
                    list.Add(new LinearModule("v_proj", d, kv, 1, true, LinearRole.AttentionInput));
                    list.Add(new LinearModule("o_proj", d, d, 1, false, LinearRole.AttentionOutput));
                    break;
                }
                case VisionEncoderKind.Pixtral:
                case VisionEncoderKind.Mllama:
                case VisionEncoderKind.Gemma4Vit:
                    list.Add(new LinearModule("q_proj", d, d, 1, false, LinearRole.AttentionInput));
                    list.Add(new LinearModule("k_proj", d, d, 1, false, LinearRole.AttentionInput));
                    list.Add(new LinearModule("v_proj", d, d, 1, false, LinearRole.AttentionInput));
                    list.Add(new LinearModule("o_proj", d, d, 1, false, LinearRole.AttentionOutput));
                    break;
                default:
                    list.Add(new LinearModule("qkv", d, checked(3 * d), 1, true, LinearRole.AttentionInput));
                    list.Add(new LinearModule("proj", d, d, 1, true, LinearRole.AttentionOutput));
                    break;
            }
            if (GatedMlp(a))
            {
                bool bias = a.VisionEncoder == VisionEncoderKind.Qwen25Vl;
                list.Add(new LinearModule("gate_proj", d, i, 1, bias, LinearRole.MlpInput));
                list.Add(new LinearModule("up_proj", d, i, 1, bias, LinearRole.MlpInput));
                list.Add(new LinearModule("down_proj", i, d, 1, bias, LinearRole.MlpOutput));
            }
            else if (a.VisionEncoder == VisionEncoderKind.Qwen3Vl)
            {
                list.Add(new LinearModule("linear_fc1", d, i, 1, true, LinearRole.MlpInput));
                list.Add(new LinearModule("linear_fc2", i, d, 1, true, LinearRole.MlpOutput));
            }
            else
            {
                list.Add(new LinearModule("fc1", d, i, 1, true, LinearRole.MlpInput));
                list.Add(new LinearModule("fc2", i, d, 1, true, LinearRole.MlpOutput));
            }
            return list.ToArray();
        }

        /// <summary>Qwen2.5-VL's, Pixtral's, DeepEncoder V2's and Gemma 4's blocks use RMSNorm; the other encoders LayerNorm (a weight and a bias).</summary>
        private static long NormWeights(ModelArchitecture a, long width) => GatedMlp(a) ? width : checked(2 * width);

        /// <summary>Whether the block's MLP is gated (gate, up, down) rather than fc1 and fc2.</summary>
        public static bool GatedMlp(ModelArchitecture a) =>
            a.VisionEncoder == VisionEncoderKind.Qwen25Vl || a.VisionEncoder == VisionEncoderKind.Pixtral || a.VisionEncoder == VisionEncoderKind.DeepEncoderV2
            || a.VisionEncoder == VisionEncoderKind.Gemma4Vit;

        /// <summary>Pixels of one merged patch of Gemma 4 12B's embedder (3 x model_patch_size^2, model_patch_size = patch x merge).</summary>
        private static long UnifiedPatchPixels(ModelArchitecture a)
        {
            long side = (long)a.VisionPatchSize * a.VisionSpatialMerge;
            return checked(Channels * side * side);
        }

        /// <summary>The tile layouts (columns x rows) of at most maxTiles tiles: Mllama's supported aspect ratios.</summary>
        public static int AspectRatios(int maxTiles)
        {
            int count = 0;
            for (int w = 1; w <= maxTiles; w++) count += maxTiles / w;
            return count;
        }

        /// <summary>The first vision field that makes no sense, with why; null when the encoder is sound or absent.</summary>
        public static (string Field, string Problem)? FirstProblem(ModelArchitecture a)
        {
            if (!a.HasVision) return null;
            if (a.VisionEncoder == VisionEncoderKind.Gemma4Unified) return UnifiedProblem(a);
            if (a.VisionLayers == 0) return ("visionLayers", "must be positive with a vision encoder.");
            if (a.VisionHiddenSize == 0) return ("visionHiddenSize", "must be positive with a vision encoder.");
            if (a.VisionIntermediateSize == 0) return ("visionIntermediateSize", "must be positive with a vision encoder.");
            if (a.VisionHeads == 0 || a.VisionHiddenSize % a.VisionHeads != 0)
                return ("visionHeads", $"must be positive and divide visionHiddenSize ({a.VisionHiddenSize}); got {a.VisionHeads}.");
            if (a.VisionPatchSize == 0) return ("visionPatchSize", "must be positive with a vision encoder.");
            if (a.VisionLayers > ArchitectureRules.MaxLayers || a.VisionGlobalLayers > ArchitectureRules.MaxLayers)
                return ("visionLayers", $"visionLayers and visionGlobalLayers must be at most {ArchitectureRules.MaxLayers}; got {a.VisionLayers} and {a.VisionGlobalLayers}.");
            if (a.VisionEncoder == VisionEncoderKind.Mllama && (a.VisionMaxTiles == 0 || a.VisionMaxTiles > 64 || a.VisionFeatureLayers == 0 || a.VisionImageSize < a.VisionPatchSize))
                return ("visionMaxTiles", "an Mllama encoder needs visionMaxTiles (1 to 64), visionFeatureLayers and visionImageSize (at least visionPatchSize).");
            bool fixedResolution = a.VisionEncoder == VisionEncoderKind.Clip || a.VisionEncoder == VisionEncoderKind.Siglip;
            if (a.VisionEncoder == VisionEncoderKind.Siglip2NaFlex && a.VisionProjectorHiddenSize == 0)
                return ("visionProjectorHiddenSize", "must be positive for a Siglip2NaFlex encoder.");
            if (a.VisionMaxPixels > 0 && a.VisionMinPixels > a.VisionMaxPixels)
                return ("visionMinPixels", $"must be at most visionMaxPixels ({a.VisionMaxPixels}); got {a.VisionMinPixels}.");
            if ((fixedResolution || a.VisionEncoder == VisionEncoderKind.Pixtral) && a.VisionImageSize < a.VisionPatchSize)
                return ("visionImageSize", $"must be at least visionPatchSize ({a.VisionPatchSize}) for a {a.VisionEncoder} encoder; got {a.VisionImageSize}.");
            if ((fixedResolution || a.VisionEncoder == VisionEncoderKind.Gemma4Vit) && a.VisionTokensPerImage == 0)
                return ("visionTokensPerImage", $"must be positive for a {a.VisionEncoder} encoder.");
            if (a.VisionEncoder == VisionEncoderKind.Gemma4Vit && a.VisionPositionEmbeddings == 0)
                return ("visionPositionEmbeddings", "must be positive for a Gemma4Vit encoder.");
            bool merges = !fixedResolution && a.VisionEncoder != VisionEncoderKind.Mllama && a.VisionEncoder != VisionEncoderKind.DeepEncoderV2;
            if (merges && a.VisionSpatialMerge == 0) return ("visionSpatialMerge", $"must be positive for a {a.VisionEncoder} encoder.");
            if (a.VisionFullAttentionLayers > a.VisionLayers)
                return ("visionFullAttentionLayers", $"must be at most visionLayers ({a.VisionLayers}); got {a.VisionFullAttentionLayers}.");
            return null;
        }

        /// <summary>Gemma 4 12B's embedder has no blocks: only its width, patch, merge, position rows and token budget count.</summary>
        private static (string Field, string Problem)? UnifiedProblem(ModelArchitecture a)
        {
            if (a.VisionLayers != 0) return ("visionLayers", "must be 0 for a Gemma4Unified embedder (it has no blocks).");
            if (a.VisionHiddenSize == 0 || a.VisionPatchSize == 0 || a.VisionSpatialMerge == 0 || a.VisionPositionEmbeddings == 0 || a.VisionTokensPerImage == 0)
                return ("visionHiddenSize", "visionHiddenSize, visionPatchSize, visionSpatialMerge, visionPositionEmbeddings and visionTokensPerImage must be positive for a Gemma4Unified embedder.");
            return null;
        }
    }
}
