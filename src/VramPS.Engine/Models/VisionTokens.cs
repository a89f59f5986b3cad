using System;
using System.Collections.Generic;

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
    /// image token (&lt;|image|&gt;) in the sequence, the language model cross-attends to the rest; models/mllama/modeling_mllama.py),
    /// Qwen3.5 (Qwen2-VL's smart_resize with patch 16 x merge 2 = 32 px and the processor's shortest_edge / longest_edge as
    /// min and max pixels: 65536 and 16777216 in Qwen3-VL's and Qwen3.5's preprocessor_config.json), LFM2-VL
    /// (models/lfm2_vl/image_processing_lfm2_vl_fast.py: smart_resize to multiples of 32 px within min_image_tokens 64 and
    /// max_image_tokens 256 tokens of 32 x 32 px; an image over twice that is cut into 512-px tiles of 256 tokens, as
    /// many as the closest aspect ratio of 2 to 10 tiles gives, and a smart-resized thumbnail), PaddleOCR-VL (smart_resize
    /// with patch 14 x merge 2 = 28 px within its preprocessor_config.json's min_pixels 147384 and max_pixels 2822400),
    /// DeepSeek-OCR-2 (Unsloth's DeepSeekOCR2DataCollator with base_size 1024: one global view of 256 tokens and a view
    /// separator; the 768-px local crops crop_mode adds to larger images are not counted), ERNIE-4.5-VL (Qwen2-VL's smart_resize
    /// with patch 14 x merge 2; the resampler's temporal MLP takes an image's two repeated frames into one token per 2 x 2 patches),
    /// Gemma 4 (<see cref="Gemma4"/>).
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
                case VisionEncoderKind.Qwen3Vl:
                case VisionEncoderKind.SiglipNaVit:
                case VisionEncoderKind.ErnieVl:
                    return Merged(a, SmartResize(height, width, a.VisionPatchSize * a.VisionSpatialMerge, MinPixels(a), MaxPixels(a)));
                case VisionEncoderKind.Siglip2NaFlex:
                    return Lfm2Vl(a, width, height);
                case VisionEncoderKind.DeepEncoderV2:
                    // The global view padded to 1024 px: SAM's 64 x 64 patches compressed 4x a side to 256, which the Qwen2
                    // encoder reads beside 256 queries; the language model gets the 256 query outputs and the view separator.
                    return new ImageTokens(2 * 256, 256 + 1);
                case VisionEncoderKind.Mllama:
                    return new ImageTokens(MllamaEncoderTokens(a), 1);
                case VisionEncoderKind.Gemma4Vit:
                case VisionEncoderKind.Gemma4Unified:
                    return Gemma4(a, width, height);
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
                case VisionEncoderKind.Gemma4Vit:
                case VisionEncoderKind.Gemma4Unified:
                    return new ImageTokens(Gemma4MaxPatches(a), languageTokens);
                case VisionEncoderKind.DeepEncoderV2:
                    return new ImageTokens(checked(2 * languageTokens), languageTokens);
                default:
                    return new ImageTokens(checked(languageTokens * a.VisionSpatialMerge * a.VisionSpatialMerge), languageTokens);
            }
        }

        /// <summary>Gemma 4's patch budget: max_soft_tokens x pooling_kernel_size^2, what every image is padded to.</summary>
        private static long Gemma4MaxPatches(ModelArchitecture a) => checked((long)a.VisionTokensPerImage * a.VisionSpatialMerge * a.VisionSpatialMerge);

        /// <summary>
        /// Gemma 4 (image_processing_gemma4.py get_aspect_ratio_preserving_size): the image scaled by one factor to the
        /// patch budget's area, each side rounded down to a multiple of patch x pooling (a side that rounds to 0 takes one
        /// multiple, the other its aspect ratio's, capped); one soft token per pooling^2 patches; the encoder runs over the
        /// patches padded to the budget.
        /// </summary>
        public static ImageTokens Gemma4(ModelArchitecture a, int width, int height)
        {
            long maxPatches = Gemma4MaxPatches(a);
            int side = a.VisionPatchSize * a.VisionSpatialMerge;
            double factor = Math.Sqrt((double)maxPatches * a.VisionPatchSize * a.VisionPatchSize / ((double)height * width));
            long targetHeight = (long)Math.Floor(factor * height / side) * side;
            long targetWidth = (long)Math.Floor(factor * width / side) * side;
            long maxSide = maxPatches / ((long)a.VisionSpatialMerge * a.VisionSpatialMerge) * side;
            if (targetHeight == 0)
            {
                targetHeight = side;
                targetWidth = Math.Min(width / height * (long)side, maxSide);
            }
            else if (targetWidth == 0)
            {
                targetWidth = side;
                targetHeight = Math.Min(height / width * (long)side, maxSide);
            }
            long patches = targetHeight / a.VisionPatchSize * (targetWidth / a.VisionPatchSize);
            return new ImageTokens(maxPatches, patches / ((long)a.VisionSpatialMerge * a.VisionSpatialMerge));
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

        /// <summary>LFM2-VL's tiles: 2 to 10 tiles of 512 px (min_tiles, max_tiles, tile_size of Lfm2VlImageProcessorFast).</summary>
        public const int Lfm2MinTiles = 2, Lfm2MaxTiles = 10, Lfm2TileSize = 512;

        private static ImageTokens Lfm2Vl(ModelArchitecture a, int width, int height)
        {
            int factor = a.VisionPatchSize * a.VisionSpatialMerge;
            var resized = SmartResize(height, width, factor, MinPixels(a), MaxPixels(a));
            var thumbnail = Merged(a, resized);
            // _is_image_too_large: the rounded sides (at least one patch) over max_pixels x max_pixels_tolerance 2.0.
            long h = Math.Max(a.VisionPatchSize, RoundToEven(height, factor)), w = Math.Max(a.VisionPatchSize, RoundToEven(width, factor));
            if (h * w <= 2 * MaxPixels(a)) return thumbnail;
            var (columns, rows) = ClosestTileGrid((double)width / height, (long)width * height);
            long tileSide = Lfm2TileSize / a.VisionPatchSize;
            long tiles = (long)columns * rows;
            return new ImageTokens(tiles * tileSide * tileSide + thumbnail.EncoderTokens,
                tiles * (tileSide / a.VisionSpatialMerge) * (tileSide / a.VisionSpatialMerge) + thumbnail.LanguageTokens);
        }

        /// <summary>
        /// find_closest_aspect_ratio over the (columns, rows) grids of 2 to 10 tiles, taken by ascending tile count: the
        /// first with the nearest ratio, or a later equally near one when the image covers over half its area.
        /// </summary>
        private static (int Columns, int Rows) ClosestTileGrid(double aspect, long area)
        {
            var grids = new List<(int Columns, int Rows)>();
            for (int n = Lfm2MinTiles; n <= Lfm2MaxTiles; n++)
            {
                for (int c = 1; c <= n; c++)
                {
                    for (int r = 1; r <= n; r++)
                    {
                        if (c * r >= Lfm2MinTiles && c * r <= Lfm2MaxTiles && !grids.Contains((c, r))) grids.Add((c, r));
                    }
                }
            }
            // Python's sorted(set(...), key=w*h) keeps the set's order among equal products; the tie rule below only
            // compares grids of one ratio, so the order within a product does not change the result.
            grids.Sort((x, y) => (x.Columns * x.Rows).CompareTo(y.Columns * y.Rows));
            var best = (Columns: 1, Rows: 1);
            double bestDiff = double.PositiveInfinity;
            foreach (var g in grids)
            {
                double diff = Math.Abs(aspect - (double)g.Columns / g.Rows);
                if (diff < bestDiff)
                {
                    bestDiff = diff;
                    best = g;
                }
                else if (diff == bestDiff && area > 0.5 * Lfm2TileSize * Lfm2TileSize * g.Columns * g.Rows)
                {
                    best = g;
                }
            }
            return best;
        }

        private static ImageTokens Merged(ModelArchitecture a, (long Height, long Width) size)
        {
            long patches = (size.Height / a.VisionPatchSize) * (size.Width / a.VisionPatchSize);
            return new ImageTokens(patches, patches / ((long)a.VisionSpatialMerge * a.VisionSpatialMerge));
        }

        /// <summary>The smallest area smart_resize keeps: the model's min_pixels, or Qwen2-VL's.</summary>
        internal static long MinPixels(ModelArchitecture a) => a.VisionMinPixels > 0 ? a.VisionMinPixels : QwenMinPixels;

        /// <summary>The largest area smart_resize keeps: the model's max_pixels, or Qwen2-VL's.</summary>
        internal static long MaxPixels(ModelArchitecture a) => a.VisionMaxPixels > 0 ? a.VisionMaxPixels : QwenMaxPixels;

        private static long RoundToEven(long side, int factor) => (long)Math.Round((double)side / factor, MidpointRounding.ToEven) * factor;

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
