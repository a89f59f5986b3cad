namespace VramPS.Engine.Models
{
    /// <summary>
    /// The vision_config of a multimodal config.json, with the defaults of each encoder's transformers config class
    /// (SiglipVisionConfig, CLIPVisionConfig, Qwen2VLVisionConfig, Qwen2_5_VLVisionConfig) where a field is absent.
    /// </summary>
    internal static class VisionConfigReader
    {
        /// <summary>A config class's defaults for the fields every ViT config names alike.</summary>
        private readonly struct VitDefaults
        {
            public VitDefaults(int hidden, int intermediate, int layers, int heads, int patch, int image)
            {
                Hidden = hidden;
                Intermediate = intermediate;
                Layers = layers;
                Heads = heads;
                Patch = patch;
                Image = image;
            }

            public int Hidden { get; }
            public int Intermediate { get; }
            public int Layers { get; }
            public int Heads { get; }
            public int Patch { get; }
            public int Image { get; }
        }

        private static HfConfigFields Vision(HfConfigFields c) => c.Nested("vision_config") ?? throw c.Invalid("vision_config", "is missing.");

        /// <summary>hidden_size, intermediate_size, num_hidden_layers, num_attention_heads, patch_size and image_size.</summary>
        private static void StandardVit(ModelArchitecture a, HfConfigFields v, VisionEncoderKind kind, VitDefaults d)
        {
            a.VisionEncoder = kind;
            a.VisionHiddenSize = v.OptionalInt("hidden_size") ?? d.Hidden;
            a.VisionIntermediateSize = v.OptionalInt("intermediate_size") ?? d.Intermediate;
            a.VisionLayers = v.OptionalInt("num_hidden_layers") ?? d.Layers;
            a.VisionHeads = v.OptionalInt("num_attention_heads") ?? d.Heads;
            a.VisionPatchSize = v.OptionalInt("patch_size") ?? d.Patch;
            a.VisionImageSize = v.OptionalInt("image_size") ?? d.Image;
        }

        /// <summary>The widths a SigLIP-style vision_config names alike, each required: num_hidden_layers, hidden_size, intermediate_size, num_attention_heads, patch_size.</summary>
        internal static void RequiredVit(ModelArchitecture a, HfConfigFields v, VisionEncoderKind kind)
        {
            a.VisionEncoder = kind;
            a.VisionLayers = v.Int("num_hidden_layers");
            a.VisionHiddenSize = v.Int("hidden_size");
            a.VisionIntermediateSize = v.Int("intermediate_size");
            a.VisionHeads = v.Int("num_attention_heads");
            a.VisionPatchSize = v.Int("patch_size");
        }

        /// <summary>Gemma 3: SigLIP, images resized to image_size, mm_tokens_per_image tokens each.</summary>
        public static ModelArchitecture Siglip(ModelArchitecture a, HfConfigFields c)
        {
            StandardVit(a, Vision(c), VisionEncoderKind.Siglip, new VitDefaults(768, 3072, 12, 12, 16, 224));
            a.VisionTokensPerImage = c.OptionalInt("mm_tokens_per_image") ?? 256;
            return a;
        }

        /// <summary>LLaVA: CLIP, images resized to image_size; the default feature strategy drops the class token.</summary>
        public static ModelArchitecture Clip(ModelArchitecture a, HfConfigFields c)
        {
            StandardVit(a, Vision(c), VisionEncoderKind.Clip, new VitDefaults(768, 3072, 12, 12, 32, 224));
            int side = a.VisionPatchSize == 0 ? 0 : a.VisionImageSize / a.VisionPatchSize;
            bool full = c.OptionalString("vision_feature_select_strategy") == "full";
            a.VisionTokensPerImage = c.OptionalInt("image_seq_length") ?? side * side + (full ? 1 : 0);
            return a;
        }

        /// <summary>Mistral 3 and Ministral 3: Pixtral, spatial_merge_size at the top level (PixtralVisionConfig's defaults).</summary>
        public static ModelArchitecture Pixtral(ModelArchitecture a, HfConfigFields c)
        {
            a.TiedEmbeddings = c.OptionalBool("tie_word_embeddings") ?? a.TiedEmbeddings;
            StandardVit(a, Vision(c), VisionEncoderKind.Pixtral, new VitDefaults(1024, 4096, 24, 16, 16, 1024));
            a.VisionSpatialMerge = c.OptionalInt("spatial_merge_size") ?? 2;
            return a;
        }

        /// <summary>
        /// Llama 3.2 Vision: MllamaVisionConfig's defaults. The text_config's cross_attention_layers are counted as Llama
        /// blocks (their q/k norms and two tanh gates, 2 x 128 + 2 parameters each, are left out).
        /// </summary>
        public static ModelArchitecture Mllama(ModelArchitecture a, HfConfigFields c)
        {
            var v = Vision(c);
            a.VisionEncoder = VisionEncoderKind.Mllama;
            a.VisionHiddenSize = v.OptionalInt("hidden_size") ?? 1280;
            a.VisionIntermediateSize = v.OptionalInt("intermediate_size") ?? 5120;
            a.VisionLayers = v.OptionalInt("num_hidden_layers") ?? 32;
            a.VisionGlobalLayers = v.OptionalInt("num_global_layers") ?? 8;
            a.VisionHeads = v.OptionalInt("attention_heads") ?? 16;
            a.VisionPatchSize = v.OptionalInt("patch_size") ?? 14;
            a.VisionImageSize = v.OptionalInt("image_size") ?? 448;
            a.VisionMaxTiles = v.OptionalInt("max_num_tiles") ?? 4;
            int intermediate = v.ArrayLength("intermediate_layers_indices");
            a.VisionFeatureLayers = (intermediate > 0 ? intermediate : 5) + 1;
            return a;
        }

        /// <summary>LLaVA's text_config, which may hold only what differs from LlamaConfig's defaults.</summary>
        public static ModelArchitecture LlavaText(HfConfigFields t)
        {
            int heads = t.OptionalInt("num_attention_heads") ?? 32;
            return new ModelArchitecture
            {
                ModelType = "llama",
                HiddenSize = t.OptionalInt("hidden_size") ?? 4096,
                IntermediateSize = t.OptionalInt("intermediate_size") ?? 11008,
                NumLayers = t.OptionalInt("num_hidden_layers") ?? 32,
                NumHeads = heads,
                NumKvHeads = t.OptionalPositiveInt("num_key_value_heads") ?? heads,
                HeadDim = t.OptionalInt("head_dim") ?? 0,
                VocabSize = t.OptionalInt("vocab_size") ?? 32000,
                TiedEmbeddings = t.OptionalBool("tie_word_embeddings") ?? false,
                Activation = t.OptionalString("hidden_act") ?? "silu",
                MaxPositions = t.OptionalInt("max_position_embeddings") ?? 2048,
            };
        }

        /// <summary>
        /// Qwen2-VL and Qwen2.5-VL. Qwen2-VL's vision_config names the ViT width embed_dim (its hidden_size is the language
        /// model's) and its MLP mlp_ratio; Qwen2.5-VL's names them hidden_size and intermediate_size, and adds windows.
        /// </summary>
        public static ModelArchitecture QwenVl(ModelArchitecture a, HfConfigFields c, string modelType)
        {
            var v = Vision(c);
            a.TiedEmbeddings = c.OptionalBool("tie_word_embeddings") ?? a.TiedEmbeddings;
            a.VisionLayers = v.OptionalInt("depth") ?? 32;
            a.VisionHeads = v.OptionalInt("num_heads") ?? 16;
            a.VisionPatchSize = v.OptionalInt("patch_size") ?? 14;
            a.VisionSpatialMerge = v.OptionalInt("spatial_merge_size") ?? 2;
            if ((v.OptionalInt("temporal_patch_size") ?? 2) != 2)
                throw v.Invalid("temporal_patch_size", "VramPS models Qwen-VL's patch embedding over 2 frames (temporal_patch_size 2).");
            if ((v.OptionalInt("in_chans") ?? v.OptionalInt("in_channels") ?? 3) != 3)
                throw v.Invalid("in_chans", "VramPS models RGB images (3 channels).");
            if (modelType == "qwen2_vl")
            {
                a.VisionEncoder = VisionEncoderKind.Qwen2Vl;
                a.VisionHiddenSize = v.OptionalInt("embed_dim") ?? 1280;
                a.VisionIntermediateSize = (int)(a.VisionHiddenSize * (v.OptionalDouble("mlp_ratio") ?? 4));
            }
            else
            {
                a.VisionEncoder = VisionEncoderKind.Qwen25Vl;
                a.VisionHiddenSize = v.OptionalInt("hidden_size") ?? 3584;
                a.VisionIntermediateSize = v.OptionalInt("intermediate_size") ?? 3420;
                a.VisionWindowSize = v.OptionalInt("window_size") ?? 112;
                a.VisionFullAttentionLayers = v.ArrayLength("fullatt_block_indexes");
            }
            return a;
        }

        /// <summary>
        /// Qwen3.5's ViT (Qwen3_5VisionConfig; modular_qwen3_5.py builds no deepstack mergers). Every width is required.
        /// The processor's pixel bounds are not in config.json: they are Qwen3.5's published preprocessor_config.json
        /// (shortest_edge 65536, longest_edge 16777216 pixels), the values the catalog entries carry.
        /// </summary>
        public static ModelArchitecture Qwen35(ModelArchitecture a, HfConfigFields c)
        {
            var v = Vision(c);
            a.TiedEmbeddings = c.OptionalBool("tie_word_embeddings") ?? a.TiedEmbeddings;
            a.VisionEncoder = VisionEncoderKind.Qwen3Vl;
            a.VisionLayers = v.Int("depth");
            a.VisionHiddenSize = v.Int("hidden_size");
            a.VisionIntermediateSize = v.Int("intermediate_size");
            a.VisionHeads = v.Int("num_heads");
            a.VisionPatchSize = v.Int("patch_size");
            a.VisionSpatialMerge = v.Int("spatial_merge_size");
            a.VisionPositionEmbeddings = v.Int("num_position_embeddings");
            if ((v.OptionalInt("temporal_patch_size") ?? 2) != 2)
                throw v.Invalid("temporal_patch_size", "VramPS models Qwen-VL's patch embedding over 2 frames (temporal_patch_size 2).");
            if ((v.OptionalInt("in_channels") ?? 3) != 3)
                throw v.Invalid("in_channels", "VramPS models RGB images (3 channels).");
            if (v.ArrayLength("deepstack_visual_indexes") > 0)
                throw v.Invalid("deepstack_visual_indexes", "VramPS models Qwen3.5's ViT, which has no deepstack mergers (an empty list).");
            int output = v.OptionalInt("out_hidden_size") ?? a.HiddenSize;
            if (output != a.HiddenSize)
                throw v.Invalid("out_hidden_size", $"must equal the language model's hidden_size ({a.HiddenSize}); got {output}.");
            a.VisionMinPixels = Qwen35MinPixels;
            a.VisionMaxPixels = Qwen35MaxPixels;
            return a;
        }

        /// <summary>
        /// LFM2-VL and LFM2.5-VL (model_type lfm2_vl; models/lfm2_vl): a SigLIP2 NaFlex tower (num_patches positions),
        /// pixel unshuffle by downsample_factor, and a two-linear projector of projector_hidden_size. The processor's token
        /// bounds are not in config.json: Lfm2VlImageProcessor's min_image_tokens 64 and max_image_tokens 256, tokens of
        /// (patch_size x downsample_factor)^2 pixels, the values the catalog entries carry.
        /// </summary>
        public static ModelArchitecture Lfm2Vl(ModelArchitecture a, HfConfigFields c)
        {
            var v = Vision(c);
            a.TiedEmbeddings = c.OptionalBool("tie_word_embeddings") ?? a.TiedEmbeddings;
            RequiredVit(a, v, VisionEncoderKind.Siglip2NaFlex);
            a.VisionPositionEmbeddings = v.Int("num_patches");
            a.VisionSpatialMerge = c.Int("downsample_factor");
            a.VisionProjectorHiddenSize = c.Int("projector_hidden_size");
            if (c.OptionalBool("projector_use_layernorm") == true)
                throw c.Invalid("projector_use_layernorm", "VramPS models LFM2-VL's projector without its LayerNorm (projector_use_layernorm false).");
            if (c.OptionalBool("projector_bias") == false)
                throw c.Invalid("projector_bias", "VramPS models LFM2-VL's projector with biases (projector_bias true).");
            if ((c.OptionalInt("vision_feature_layer") ?? -1) != -1)
                throw c.Invalid("vision_feature_layer", "VramPS models LFM2-VL reading the tower's last layer (vision_feature_layer -1).");
            long tokenPixels = (long)a.VisionPatchSize * a.VisionSpatialMerge * a.VisionPatchSize * a.VisionSpatialMerge;
            a.VisionMinPixels = Lfm2VlMinTokens * tokenPixels;
            a.VisionMaxPixels = Lfm2VlMaxTokens * tokenPixels;
            return a;
        }

        /// <summary>Lfm2VlImageProcessor's min_image_tokens (models/lfm2_vl/image_processing_lfm2_vl_fast.py).</summary>
        public const int Lfm2VlMinTokens = 64;

        /// <summary>Lfm2VlImageProcessor's max_image_tokens (models/lfm2_vl/image_processing_lfm2_vl_fast.py).</summary>
        public const int Lfm2VlMaxTokens = 256;

        /// <summary>
        /// PaddleOCR-VL (model_type paddleocr_vl; PaddlePaddle/PaddleOCR-VL modeling_paddleocr_vl.py): ERNIE-4.5 under the
        /// top-level fields (or text_config, as transformers 5 saves it) and a SigLIP NaViT tower whose packing position
        /// table has 32768 rows in the modeling code, not in config.json. The processor's pixel bounds are its published
        /// preprocessor_config.json's (min_pixels 147384, max_pixels 2822400), the values the catalog entry carries.
        /// </summary>
        public static ModelArchitecture PaddleOcrVl(ModelArchitecture a, HfConfigFields c)
        {
            var v = Vision(c);
            a.TiedEmbeddings = c.OptionalBool("tie_word_embeddings") ?? a.TiedEmbeddings;
            RequiredVit(a, v, VisionEncoderKind.SiglipNaVit);
            a.VisionImageSize = v.Int("image_size");
            a.VisionSpatialMerge = v.Int("spatial_merge_size");
            if ((v.OptionalInt("num_channels") ?? 3) != 3)
                throw v.Invalid("num_channels", "VramPS models RGB images (3 channels).");
            a.VisionPositionEmbeddings = PaddleOcrPackingPositions;
            a.VisionMinPixels = PaddleOcrMinPixels;
            a.VisionMaxPixels = PaddleOcrMaxPixels;
            return a;
        }

        /// <summary>Rows of PaddleOCR-VL's packing_position_embedding (modeling_paddleocr_vl.py SiglipVisionEmbeddings).</summary>
        public const int PaddleOcrPackingPositions = 32768;

        /// <summary>min_pixels of PaddleOCR-VL's preprocessor_config.json.</summary>
        public const long PaddleOcrMinPixels = 147384;

        /// <summary>max_pixels of PaddleOCR-VL's preprocessor_config.json.</summary>
        public const long PaddleOcrMaxPixels = 2822400;

        /// <summary>Qwen3.5's image processor: size.shortest_edge in preprocessor_config.json (Qwen/Qwen3.5-0.8B).</summary>
        public const long Qwen35MinPixels = 65536;

        /// <summary>Qwen3.5's image processor: size.longest_edge in preprocessor_config.json (Qwen/Qwen3.5-0.8B).</summary>
        public const long Qwen35MaxPixels = 16777216;
    }
}
