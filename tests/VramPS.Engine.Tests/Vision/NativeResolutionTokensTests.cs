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
        }
    }
}
