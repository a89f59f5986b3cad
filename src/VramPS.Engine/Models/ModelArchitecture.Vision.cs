using System.Collections.Generic;
using System.Collections.ObjectModel;

namespace VramPS.Engine.Models
{
    /// <summary>The vision encoder of a vision-language model (a config.json's vision_config); see <see cref="VisionTower"/>.</summary>
    public sealed partial class ModelArchitecture
    {
        /// <summary>The vision encoder family; None for a text-only model.</summary>
        public VisionEncoderKind VisionEncoder { get; internal set { field = value; _derived = null; } }
        /// <summary>ViT blocks (vision_config depth / num_hidden_layers).</summary>
        public int VisionLayers { get; internal set { field = value; _derived = null; } }
        /// <summary>ViT width (vision_config embed_dim / hidden_size).</summary>
        public int VisionHiddenSize { get; internal set { field = value; _derived = null; } }
        /// <summary>ViT MLP width (vision_config intermediate_size, or embed_dim x mlp_ratio).</summary>
        public int VisionIntermediateSize { get; internal set { field = value; _derived = null; } }
        /// <summary>ViT attention heads (vision_config num_heads / num_attention_heads).</summary>
        public int VisionHeads { get; internal set { field = value; _derived = null; } }
        /// <summary>Side of one square patch in pixels (vision_config patch_size).</summary>
        public int VisionPatchSize { get; internal set { field = value; _derived = null; } }
        /// <summary>Side of the square image a fixed-resolution encoder takes (CLIP, SigLIP: vision_config image_size).</summary>
        public int VisionImageSize { get; internal set { field = value; _derived = null; } }
        /// <summary>Language-model tokens per image of a fixed-resolution encoder (LLaVA 576; Gemma 3 mm_tokens_per_image 256).</summary>
        public int VisionTokensPerImage { get; internal set { field = value; _derived = null; } }
        /// <summary>Patches merged into one language-model token along each side (Qwen-VL spatial_merge_size 2).</summary>
        public int VisionSpatialMerge { get; internal set { field = value; _derived = null; } }
        /// <summary>Side in pixels of the attention windows of Qwen2.5-VL's ViT (window_size 112); 0 for full attention.</summary>
        public int VisionWindowSize { get; internal set { field = value; _derived = null; } }
        /// <summary>Blocks that attend over the whole image in a windowed ViT (fullatt_block_indexes: 4 in Qwen2.5-VL).</summary>
        public int VisionFullAttentionLayers { get; internal set { field = value; _derived = null; } }

        /// <summary>
        /// Experts that image tokens route to in each mixture-of-experts layer beside the text experts (ERNIE-4.5-VL's
        /// modality-isolated MoE: moe_num_experts [64, 64]); 0 for none.
        /// </summary>
        public int VisionExperts { get; internal set { field = value; _derived = null; } }
        /// <summary>Width of one vision expert (ERNIE-4.5-VL moe_intermediate_size's second entry).</summary>
        public int VisionExpertIntermediateSize { get; internal set { field = value; _derived = null; } }
        /// <summary>Key/value heads of a decoder-style vision encoder (DeepEncoder V2's Qwen2 blocks); 0: as many as visionHeads.</summary>
        public int VisionKvHeads { get; internal set { field = value; _derived = null; } }
        /// <summary>Rows of a learned position table resized to each image's grid (Qwen3-VL num_position_embeddings, SigLIP2 num_patches).</summary>
        public int VisionPositionEmbeddings { get; internal set { field = value; _derived = null; } }
        /// <summary>Width of the projector's hidden layer where it differs from the language model's (LFM2-VL projector_hidden_size).</summary>
        public int VisionProjectorHiddenSize { get; internal set { field = value; _derived = null; } }
        /// <summary>Fewest pixels smart_resize scales an image up to (the processor's min_pixels or shortest_edge); 0: Qwen2-VL's 3136.</summary>
        public long VisionMinPixels { get; internal set { field = value; _derived = null; } }
        /// <summary>Most pixels smart_resize scales an image down to (the processor's max_pixels or longest_edge); 0: Qwen2-VL's 12845056.</summary>
        public long VisionMaxPixels { get; internal set { field = value; _derived = null; } }

        /// <summary>Gated global blocks after the local ones (Mllama num_global_layers).</summary>
        public int VisionGlobalLayers { get; internal set { field = value; _derived = null; } }
        /// <summary>Tiles an image is cut into at most and padded to (Mllama max_num_tiles).</summary>
        public int VisionMaxTiles { get; internal set { field = value; _derived = null; } }
        /// <summary>Block outputs concatenated into the projector's input (Mllama: intermediate_layers_indices and the last).</summary>
        public int VisionFeatureLayers { get; internal set { field = value; _derived = null; } }

        /// <summary>All ViT blocks: the local ones and Mllama's global ones.</summary>
        public int VisionBlocks => VisionLayers + VisionGlobalLayers;

        public bool HasVision => VisionEncoder != VisionEncoderKind.None;

        /// <summary>The vision tower and projector, 0 for a text-only model.</summary>
        public long VisionParameters => HasVision ? VisionTower.Parameters(this) : 0;

        /// <summary>The linear modules of one ViT block (q_proj ... or qkv, proj, fc1 ...), empty for a text-only model.</summary>
        public IReadOnlyList<LinearModule> VisionModules => new ReadOnlyCollection<LinearModule>(VisionModuleArray);

        internal LinearModule[] VisionModuleArray => Cache.VisionModules ??= VisionTower.BlockModules(this);
    }
}
