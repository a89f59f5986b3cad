using System;

namespace VramPS.Engine.Models
{
    /// <summary>The tokens one image costs: patches through the vision encoder, and tokens in the language model's sequence.</summary>
    public readonly struct ImageTokens
    {
        public ImageTokens(long encoderTokens, long languageTokens)
        {
            EncoderTokens = encoderTokens;
            LanguageTokens = languageTokens;
        }

        /// <summary>Tokens every ViT block processes (patches, plus CLIP's class token).</summary>
        public long EncoderTokens { get; }
        /// <summary>Image tokens the projector hands the language model (its placeholders in input_ids).</summary>
        public long LanguageTokens { get; }
    }

    /// <summary>
    /// How each family's image processor turns a WIDTHxHEIGHT image into tokens:
    /// LLaVA-1.5 (CLIPImageProcessor resizes and crops to 336 px: 24 x 24 = 576 patch tokens, the class token dropped by
    /// vision_feature_select_strategy "default"; transformers models/llava/processing_llava.py), Gemma 3 (Gemma3ImageProcessor
    /// resizes to 896 px, pan and scan off by default; the projector pools 64 x 64 patches to mm_tokens_per_image = 256;
    /// models/gemma3/image_processing_gemma3.py, modeling_gemma3.py Gemma3MultiModalProjector), Qwen2-VL and Qwen2.5-VL
    /// (smart_resize to multiples of patch x merge = 28 px within min_pixels and max_pixels, then one token per 2 x 2 patches;
    /// models/qwen2_vl/image_processing_qwen2_vl.py smart_resize and Qwen2VLProcessor), Mistral 3 / Pixtral (scaled down to fit
    /// image_size on the longer side, each side rounded up to whole patches; a 2 x 2 merge, one [IMG_BREAK] per row of
    /// tokens and an [IMG_END] in its place at the end; models/pixtral/image_processing_pixtral.py
    /// get_resize_output_image_size, models/mistral3/processing_mistral3.py), Llama 3.2 Vision (every image padded to
    /// max_num_tiles tiles of 560 px, each 1600 patches and a class token, padded to a multiple of 8 in the encoder; one
    /// image token (&lt;|image|&gt;) in the sequence, the language model cross-attends to the rest; models/mllama/modeling_mllama.py).
    /// </summary>
    public static class VisionTokens
    {
        /// <summary>min_pixels of Qwen2-VL's and Qwen2.5-VL's preprocessor_config.json (56 x 56).</summary>
        public const long QwenMinPixels = 3136;
        /// <summary>max_pixels of Qwen2-VL's and Qwen2.5-VL's preprocessor_config.json (16384 tokens of 28 x 28 px).</summary>
        public const long QwenMaxPixels = 12845056;
        /// <summary>smart_resize refuses an image whose sides differ by more than this ratio.</summary>
        public const int QwenMaxAspectRatio = 200;

        public static ImageTokens For(ModelArchitecture a, int width, int height)
        {
            if (width < 1 || height < 1) throw new ArgumentOutOfRangeException(nameof(width), "An image has positive sides.");
            switch (a.VisionEncoder)
            {
                case VisionEncoderKind.Clip:
                    return new ImageTokens(Grid(a) + 1, a.VisionTokensPerImage);
                case VisionEncoderKind.Siglip:
                    return new ImageTokens(Grid(a), a.VisionTokensPerImage);
                case VisionEncoderKind.Qwen2Vl:
                case VisionEncoderKind.Qwen25Vl:
                    var (h, w) = SmartResize(height, width, a.VisionPatchSize * a.VisionSpatialMerge, QwenMinPixels, QwenMaxPixels);
                    long patches = (h / a.VisionPatchSize) * (w / a.VisionPatchSize);
                    return new ImageTokens(patches, patches / ((long)a.VisionSpatialMerge * a.VisionSpatialMerge));
                case VisionEncoderKind.Mllama:
                    return new ImageTokens(MllamaEncoderTokens(a), 1);
                case VisionEncoderKind.Pixtral:
                    var (rows, columns) = PixtralPatches(height, width, a.VisionImageSize, a.VisionPatchSize);
                    long tokenRows = rows / a.VisionSpatialMerge, tokenColumns = columns / a.VisionSpatialMerge;
                    return new ImageTokens(rows * columns, tokenRows * (tokenColumns + 1));
                default:
                    return new ImageTokens(0, 0);
            }
        }

        /// <summary>The tokens of an image whose language-model token count is given (-VisionTokens).</summary>
        public static ImageTokens ForTokens(ModelArchitecture a, long languageTokens)
        {
            switch (a.VisionEncoder)
            {
                case VisionEncoderKind.Clip:
                    return new ImageTokens(Grid(a) + 1, languageTokens);
                case VisionEncoderKind.Siglip:
                    return new ImageTokens(Grid(a), languageTokens);
                case VisionEncoderKind.None:
                    return new ImageTokens(0, 0);
                case VisionEncoderKind.Mllama:
                    return new ImageTokens(MllamaEncoderTokens(a), languageTokens);
                default:
                    return new ImageTokens(checked(languageTokens * a.VisionSpatialMerge * a.VisionSpatialMerge), languageTokens);
            }
        }

        /// <summary>
        /// Qwen2-VL's smart_resize: each side rounded (half to even, as Python's round) to a multiple of factor, then scaled
        /// down (floor) or up (ceil) by one ratio so that the area lies within [minPixels, maxPixels].
        /// </summary>
        public static (long Height, long Width) SmartResize(long height, long width, int factor, long minPixels, long maxPixels)
        {
            if (Math.Max(height, width) > (long)QwenMaxAspectRatio * Math.Min(height, width))
                throw new ArgumentOutOfRangeException(nameof(height), $"smart_resize refuses an aspect ratio above {QwenMaxAspectRatio}.");
            long h = (long)Math.Round((double)height / factor, MidpointRounding.ToEven) * factor;
            long w = (long)Math.Round((double)width / factor, MidpointRounding.ToEven) * factor;
            if (h * w > maxPixels)
            {
                double beta = Math.Sqrt((double)height * width / maxPixels);
                h = Math.Max(factor, (long)Math.Floor(height / beta / factor) * factor);
                w = Math.Max(factor, (long)Math.Floor(width / beta / factor) * factor);
            }
            else if (h * w < minPixels)
            {
                double beta = Math.Sqrt(minPixels / ((double)height * width));
                h = (long)Math.Ceiling(height * beta / factor) * factor;
                w = (long)Math.Ceiling(width * beta / factor) * factor;
            }
            return (h, w);
        }

        /// <summary>
        /// Pixtral's resize: both sides divided by max(height, width) / longest edge (floored) when that ratio is above 1,
        /// then rounded up to whole patches.
        /// </summary>
        public static (long Rows, long Columns) PixtralPatches(long height, long width, int longestEdge, int patch)
        {
            double ratio = Math.Max((double)height / longestEdge, (double)width / longestEdge);
            if (ratio > 1)
            {
                height = (long)Math.Floor(height / ratio);
                width = (long)Math.Floor(width / ratio);
            }
            return ((height - 1) / patch + 1, (width - 1) / patch + 1);
        }

        /// <summary>Mllama: max_num_tiles x (patches + class token, padded to a multiple of 8).</summary>
        private static long MllamaEncoderTokens(ModelArchitecture a)
        {
            long perTile = Grid(a) + 1;
            return a.VisionMaxTiles * ((perTile + 7) / 8 * 8);
        }

        private static long Grid(ModelArchitecture a)
        {
            long side = a.VisionImageSize / a.VisionPatchSize;
            return side * side;
        }
    }
}
