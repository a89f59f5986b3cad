using VramPS.Engine.Models;
using Xunit;

namespace VramPS.Engine.Tests.Vision
{
    /// <summary>
    /// Image tokens of Qwen3.5 and LFM2-VL, worked by hand from their processors: Qwen2-VL's smart_resize with patch 16 and
    /// merge 2 (factor 32) and Qwen3.5's preprocessor_config.json size {shortest_edge 65536, longest_edge 16777216};
    /// transformers models/lfm2_vl/image_processing_lfm2_vl_fast.py (smart_resize with factor 32 within 64 and 256 tokens
    /// of 32 x 32 px; an image whose rounded area is over 2 x 262144 px is cut into 512-px tiles of 16 x 16 tokens by the
    /// closest aspect ratio of 2 to 10 tiles, with a smart-resized thumbnail).
    /// </summary>
    public sealed class NativeResolutionTokensTests
    {
        private static ModelArchitecture Model(string id) => ModelCatalog.Default.Get(id);

        [Theory]
        // 50/32 = 1.56 -> 2 -> 64; 320/32 = 10 -> 320: 20480 px < 65536, scaled by sqrt(65536 / 16000) = 2.0239:
        // ceil(101.2 / 32) = 4 -> 128, ceil(647.6 / 32) = 21 -> 672: 8 x 42 = 336 patches, 84 tokens.
        [InlineData(320, 50, 336, 84)]
        // 1024 x 1024 is a multiple of 32 within the bounds: 64 x 64 patches, 32 x 32 tokens.
        [InlineData(1024, 1024, 4096, 1024)]
        // 6000/32 = 187.5 -> 188 (half to even) -> 6016, 3000/32 = 93.75 -> 94 -> 3008: 18.1M px > 16777216;
        // beta = sqrt(18e6 / 16777216) = 1.0358: floor(2896.3 / 32) = 90 -> 2880, floor(5792.6 / 32) = 181 -> 5792.
        [InlineData(6000, 3000, 180 * 362, 90 * 181)]
        public void QwenThreePointFiveResizesWithinItsPixelBoundsThenMergesTwoByTwo(int width, int height, long patches, long tokens)
        {
            var t = VisionTokens.For(Model("Qwen/Qwen3.5-2B"), width, height);
            Assert.Equal(patches, t.EncoderTokens);
            Assert.Equal(tokens, t.LanguageTokens);
        }

        [Theory]
        // As Qwen3.5 below the minimum: 128 x 672 px, 336 patches, 84 tokens (the rounded 64 x 320 is far from too large).
        [InlineData(320, 50, 336, 84)]
        // 512 x 512 is exactly max_pixels 262144: kept, 32 x 32 patches, 256 tokens.
        [InlineData(512, 512, 1024, 256)]
        // 1024 x 768 = 786432 > 2 x 262144: tiled. Aspect 1.333 is closest to 3 x 2 tiles (1.5) among grids of 2 to 10
        // tiles: 6 tiles of 1024 patches and 256 tokens. Thumbnail: beta = sqrt(786432 / 262144) = 1.732,
        // floor(443.4 / 32) = 13 -> 416, floor(591.2 / 32) = 18 -> 576: 26 x 36 = 936 patches, 234 tokens.
        [InlineData(1024, 768, 6 * 1024 + 936, 6 * 256 + 234)]
        public void LfmTwoVlResizesSmallImagesAndTilesLargeOnes(int width, int height, long patches, long tokens)
        {
            var t = VisionTokens.For(Model("LiquidAI/LFM2.5-VL-1.6B"), width, height);
            Assert.Equal(patches, t.EncoderTokens);
            Assert.Equal(tokens, t.LanguageTokens);
        }

        [Fact]
        public void PaddleOcrVlResizesWithinItsPixelBounds()
        {
            // Factor 28: 50 -> 56, 320 -> 308 (11.43 -> 11): 17248 px < min_pixels 147384; beta = sqrt(147384 / 16000) =
            // 3.0351: ceil(151.8 / 28) = 6 -> 168, ceil(971.2 / 28) = 35 -> 980: 12 x 70 = 840 patches, 210 tokens.
            var t = VisionTokens.For(Model("unsloth/PaddleOCR-VL"), 320, 50);
            Assert.Equal(840, t.EncoderTokens);
            Assert.Equal(210, t.LanguageTokens);
        }

        [Fact]
        public void DeepSeekOcrTwoReadsOneGlobalView()
        {
            // Base size 1024: SAM's 64 x 64 patches, compressed to 16 x 16 = 256, with 256 queries through the Qwen2 encoder;
            // the language model gets 256 tokens and the view separator.
            var t = VisionTokens.For(Model("unsloth/DeepSeek-OCR-2"), 1024, 1024);
            Assert.Equal(512, t.EncoderTokens);
            Assert.Equal(257, t.LanguageTokens);
        }

        [Fact]
        public void VisionTowersHaveTheirParameters()
        {
            // Qwen3.5-0.8B's ViT (depth 12, width 768, MLP 3072, patch 16): patch embedding 3 x 2 x 16 x 16 x 768 + 768,
            // positions 2304 x 768, 12 blocks of 7,087,872 (two LayerNorms, qkv, proj, linear_fc1/2 with biases), merger
            // LayerNorm 1536 + 3072 x 3072 + 3072 + 3072 x 1024 + 1024: 100,592,896.
            Assert.Equal(100_592_896, Model("Qwen/Qwen3.5-0.8B").VisionParameters);
            // LFM2.5-VL-1.6B's SigLIP2 NaFlex (27 blocks of 1152, MLP 4304, patch 16, 256 positions): patch embedding
            // 768 x 1152 + 1152, positions 256 x 1152, post-LayerNorm 2304, 27 x 15,239,504; projector 4608 x 2048 + 2048
            // + 2048 x 2048 + 2048: 426,285,296.
            Assert.Equal(426_285_296, Model("LiquidAI/LFM2.5-VL-1.6B").VisionParameters);
            // PaddleOCR-VL's SigLIP NaViT (27 blocks of 1152): Conv2d 3 x 14 x 14 x 1152 + 1152, positions (384 / 14)^2 = 729
            // and packing 32768 rows of 1152, post-LayerNorm 2304, pooling head 15,238,352, 27 x 15,239,504; mlp_AR LayerNorm
            // 2304 + 4608 x 4608 + 4608 + 4608 x 1024 + 1024: 491,934,528 (958,588,736 less ERNIE-4.5-0.3B's 466,654,208).
            Assert.Equal(491_934_528, Model("unsloth/PaddleOCR-VL").VisionParameters);
            // DeepSeek-OCR-2's DeepEncoder V2: SAM ViT-B with neck and net_2 90,850,560, net_3 512 x 9 x 896 = 4,128,768,
            // queries 400 x 896, final norm 896, 24 Qwen2-0.5B blocks of 14,912,384, projector 896 x 1280 + 1280 and the
            // separator 1280: 454,385,280.
            Assert.Equal(454_385_280, Model("unsloth/DeepSeek-OCR-2").VisionParameters);
            // ERNIE-4.5-VL's DFN ViT (32 blocks of 1280, MLP 5120, patch 14): patch embedding 588 x 1280, 32 x 19,677,440,
            // final LayerNorm 2560; resampler over m = 5120: 2 (m^2 + m) + 2m + (2m^2 + m) + (m^2 + m) + 2m + 5120 x 2560
            // + 2560 + 2560 = 144,225,280: 774,658,560.
            Assert.Equal(774_658_560, Model("unsloth/ERNIE-4.5-VL-28B-A3B-PT").VisionParameters);
        }

        [Fact]
        public void ErnieVlMoeLayersHoldTextAndVisionExperts()
        {
            // Attention 2 x 2560 x 2560 + 2 x 2560 x 512, two norms: 15,733,760; 64 text experts 3 x 2560 x 1536, 64 vision
            // experts 3 x 2560 x 512, two shared experts 3 x 2560 x 3072 and two routers 2560 x 64: 1,030,553,600.
            Assert.Equal(1_046_287_360, Model("unsloth/ERNIE-4.5-VL-28B-A3B-PT").LayerParameters(1));
        }
    }
}
