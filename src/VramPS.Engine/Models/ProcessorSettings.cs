namespace VramPS.Engine.Models
{
    /// <summary>
    /// The image processor's settings that decide an image's tokens and that no config.json states (or states only for the
    /// vision tower), written once on every estimate with images, with where the value is published and the parameter that
    /// overrides it.
    /// </summary>
    public static class ProcessorSettings
    {
        private const string Tokens = "-VisionTokens overrides";
        private const string SizeAndTokens = "-ImageSize sets the image, -VisionTokens overrides";

        public static string Describe(ModelArchitecture a)
        {
            switch (a.VisionEncoder)
            {
                case VisionEncoderKind.Clip:
                    return $"LLaVA's processor: every image resized and cropped to {a.VisionImageSize} px, {a.VisionTokensPerImage} tokens per image (vision_config image_size, image_seq_length); {Tokens}";
                case VisionEncoderKind.Siglip:
                    return $"Gemma 3's processor: every image resized to {a.VisionImageSize} px, pan and scan off, {a.VisionTokensPerImage} tokens per crop (mm_tokens_per_image); {Tokens}";
                case VisionEncoderKind.Qwen2Vl:
                case VisionEncoderKind.Qwen25Vl:
                    return $"{(a.VisionEncoder == VisionEncoderKind.Qwen2Vl ? "Qwen2-VL" : "Qwen2.5-VL")}'s processor: min_pixels {VisionTokens.MinPixels(a)}, max_pixels {VisionTokens.MaxPixels(a)} (preprocessor_config.json); {SizeAndTokens}";
                case VisionEncoderKind.Qwen3Vl:
                    return $"{(a.ModelType == "qwen3_5" ? "Qwen3.5" : "Qwen3-VL")}'s processor: min_pixels {VisionTokens.MinPixels(a)}, max_pixels {VisionTokens.MaxPixels(a)} (preprocessor_config.json size shortest_edge, longest_edge); {SizeAndTokens}";
                case VisionEncoderKind.SiglipNaVit:
                    return $"PaddleOCR-VL's processor: min_pixels {VisionTokens.MinPixels(a)}, max_pixels {VisionTokens.MaxPixels(a)} (preprocessor_config.json); {SizeAndTokens}";
                case VisionEncoderKind.ErnieVl:
                    return $"ERNIE-4.5-VL's processor taken as Qwen2-VL's smart_resize with min_pixels {VisionTokens.MinPixels(a)}, max_pixels {VisionTokens.MaxPixels(a)} (Qwen2-VL's preprocessor_config.json); {SizeAndTokens}";
                case VisionEncoderKind.Siglip2NaFlex:
                    long tokenPixels = (long)a.VisionPatchSize * a.VisionSpatialMerge * a.VisionPatchSize * a.VisionSpatialMerge;
                    return $"LFM2-VL's processor: min_image_tokens {VisionTokens.MinPixels(a) / tokenPixels}, max_image_tokens {VisionTokens.MaxPixels(a) / tokenPixels}; an image over twice that cut into {VisionTokens.Lfm2MinTiles} to {VisionTokens.Lfm2MaxTiles} tiles of {VisionTokens.Lfm2TileSize} px and a thumbnail (Lfm2VlImageProcessor's defaults); {SizeAndTokens}";
                case VisionEncoderKind.DeepEncoderV2:
                    return $"DeepSeek-OCR-2's processor: one global view of base_size 1024 px, 256 tokens and a view separator; crop_mode's 768-px local crops not counted (Unsloth's DeepSeekOCR2DataCollator); {Tokens}";
                case VisionEncoderKind.Mllama:
                    return $"Llama 3.2 Vision's processor: every image padded to max_num_tiles {a.VisionMaxTiles} tiles of {a.VisionImageSize} px (vision_config); {Tokens}";
                case VisionEncoderKind.Gemma4Vit:
                case VisionEncoderKind.Gemma4Unified:
                    return $"Gemma 4's processor: at most {a.VisionTokensPerImage} soft tokens per image, {a.VisionSpatialMerge}x{a.VisionSpatialMerge} patches pooled into each (vision_config default_output_length, pooling_kernel_size); {SizeAndTokens}";
                case VisionEncoderKind.Pixtral:
                    return $"Pixtral's processor: images scaled down to fit {a.VisionImageSize} px on the longer side, {a.VisionSpatialMerge}x{a.VisionSpatialMerge} patches merged into each token (vision_config image_size, spatial_merge_size); {SizeAndTokens}";
                default:
                    throw new System.ArgumentOutOfRangeException(nameof(a), $"{a.Id} has no vision encoder.");
            }
        }
    }
}
