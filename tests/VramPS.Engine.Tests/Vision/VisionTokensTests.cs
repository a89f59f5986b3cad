using VramPS.Engine.Models;
using Xunit;

namespace VramPS.Engine.Tests.Vision
{
    /// <summary>
    /// Image tokens as each processor computes them, worked by hand from the processors' published code:
    /// transformers models/qwen2_vl/image_processing_qwen2_vl.py (smart_resize: factor 28, Python's round, min_pixels 3136 and
    /// max_pixels 12845056 from Qwen2-VL's preprocessor_config.json; one token per 2 x 2 patches), models/llava (CLIP at 336 px:
    /// 24 x 24 patches, the class token dropped), models/gemma3 (SigLIP at 896 px: 64 x 64 patches pooled to 256 tokens),
    /// models/pixtral/image_processing_pixtral.py and models/mistral3/processing_mistral3.py (Ministral 3: longest edge 1540,
    /// patch 14, 2 x 2 merge, a break token per row).
    /// </summary>
    public class VisionTokensTests
    {
        private static ModelArchitecture Model(string id) => ModelCatalog.Default.Get(id);

        [Theory]
        // 1024/28 = 36.57 -> 37 -> 1036 px a side: 74 x 74 = 5476 patches, 1369 tokens.
        [InlineData(1024, 1024, 5476, 1369)]
        // 50/28 = 1.79 -> 2 -> 56; 320/28 = 11.43 -> 11 -> 308: 4 x 22 = 88 patches, 22 tokens.
        [InlineData(320, 50, 88, 22)]
        // 480/28 = 17.14 -> 17 -> 476; 640/28 = 22.86 -> 23 -> 644: 34 x 46 = 1564 patches, 391 tokens.
        [InlineData(640, 480, 1564, 391)]
        // 70/28 = 2.5 rounds half to even -> 2 -> 56 (not 84): 4 x 4 patches, 4 tokens.
        [InlineData(70, 70, 16, 4)]
        // 10 x 10 rounds to 0 x 0, below min_pixels: scaled by sqrt(3136/100) = 5.6, ceil(56/28) x 28 = 56: 16 patches.
        [InlineData(10, 10, 16, 4)]
        // 5000 x 3000 rounds to 5012 x 2996 = 15.0M > max_pixels: beta = sqrt(15e6 / 12845056) = 1.0806;
        // floor(3000 / 1.0806 / 28) = 99 -> 2772, floor(5000 / 1.0806 / 28) = 165 -> 4620: 198 x 330 patches.
        [InlineData(5000, 3000, 65340, 16335)]
        public void QwenVlResizesSmartlyThenMergesTwoByTwo(int width, int height, long patches, long tokens)
        {
            foreach (string id in new[] { "Qwen/Qwen2-VL-7B", "Qwen/Qwen2.5-VL-7B-Instruct" })
            {
                var t = VisionTokens.For(Model(id), width, height);
                Assert.Equal(patches, t.EncoderTokens);
                Assert.Equal(tokens, t.LanguageTokens);
            }
        }

        [Fact]
        public void QwenVlRefusesAnAspectRatioAbove200()
        {
            Assert.Throws<System.ArgumentOutOfRangeException>(() => VisionTokens.For(Model("Qwen/Qwen2-VL-7B"), 2010, 10));
        }

        [Theory]
        // 50 px -> (50 - 1) // 14 + 1 = 4 patch rows, 320 px -> 23 columns: 92 patches; merged 2 x 2: 2 rows of 11 tokens,
        // each row ended by [IMG_BREAK] (the last by [IMG_END]): 2 x 12 = 24 tokens.
        [InlineData(320, 50, 92, 24)]
        // 640 x 480: 35 x 46 patches = 1610; 17 rows x (23 + 1) = 408 tokens.
        [InlineData(640, 480, 1610, 408)]
        // 3080 x 1540 is above the 1540 longest edge by a ratio of 2: 1540 x 770 -> 110 x 55 patches = 6050;
        // 27 rows x (55 + 1) = 1512 tokens.
        [InlineData(3080, 1540, 6050, 1512)]
        public void PixtralKeepsTheAspectWithinItsLongestEdgeAndBreaksEachRow(int width, int height, long patches, long tokens)
        {
            var t = VisionTokens.For(Model("mistralai/Ministral-3-3B-Instruct-2512"), width, height);
            Assert.Equal(patches, t.EncoderTokens);
            Assert.Equal(tokens, t.LanguageTokens);
        }

        [Theory]
        [InlineData(320, 50)]
        [InlineData(2000, 1000)]
        public void Llama32VisionPadsEveryImageToFourTilesAndCrossAttends(int width, int height)
        {
            // 560 / 14 = 40: 1600 patches and a class token per tile, padded to 1608 (a multiple of 8), 4 tiles;
            // the sequence holds one <|image|> token (MllamaProcessor), the rest is cross-attended.
            var t = VisionTokens.For(Model("meta-llama/Llama-3.2-11B-Vision-Instruct"), width, height);
            Assert.Equal(4 * 1608, t.EncoderTokens);
            Assert.Equal(1, t.LanguageTokens);
        }

        [Theory]
        [InlineData(320, 50)]
        [InlineData(1024, 1024)]
        public void LlavaTakesEveryImageAt336PixelsAs576Tokens(int width, int height)
        {
            var t = VisionTokens.For(Model("llava-hf/llava-1.5-7b-hf"), width, height);
            Assert.Equal(577, t.EncoderTokens);
            Assert.Equal(576, t.LanguageTokens);
        }

        [Theory]
        [InlineData(320, 50)]
        [InlineData(1024, 1024)]
        public void Gemma3PoolsItsSiglipPatchesTo256Tokens(int width, int height)
        {
            var t = VisionTokens.For(Model("google/gemma-3-4b-it"), width, height);
            Assert.Equal(64 * 64, t.EncoderTokens);
            Assert.Equal(256, t.LanguageTokens);
        }
    }
}
