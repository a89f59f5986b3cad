using System.Linq;
using VramPS.Engine.Estimation;
using VramPS.Engine.Models;
using Xunit;

namespace VramPS.Engine.Tests.Models
{
    /// <summary>
    /// The processor settings an estimate's image tokens rest on are on its Assumptions, as each processor publishes them,
    /// whether the model comes from the catalog or from its config.json:
    /// Qwen2-VL-2B-Instruct's and Qwen2.5-VL-7B-Instruct's preprocessor_config.json: "min_pixels": 3136, "max_pixels": 12845056;
    /// Qwen3.5-0.8B's preprocessor_config.json: "size": {"longest_edge": 16777216, "shortest_edge": 65536};
    /// PaddleOCR-VL's preprocessor_config.json: "min_pixels": 147384, "max_pixels": 2822400;
    /// LFM2-VL (transformers models/lfm2_vl/image_processing_lfm2_vl_fast.py): min_image_tokens 64, max_image_tokens 256,
    /// min_tiles 2, max_tiles 10, tile_size 512;
    /// gemma-3-4b-it's preprocessor_config.json size 896 x 896, config.json mm_tokens_per_image 256;
    /// gemma-4-E2B-it's processor: max_soft_tokens 280 (vision_config default_output_length), pooling_kernel_size 3;
    /// llava-1.5-7b-hf's preprocessor_config.json crop_size 336 (24 x 24 = 576 patches of 14 px);
    /// Ministral-3-3B-Instruct-2512: the processor's longest_edge 1540 (vision_config image_size), spatial_merge_size 2;
    /// Llama-3.2-11B-Vision: max_image_tiles 4 of 560 px (preprocessor_config.json);
    /// DeepSeek-OCR-2 under Unsloth's DeepSeekOCR2DataCollator: base_size 1024, a 16 x 16 = 256-token global view.
    /// </summary>
    public class ProcessorSettingsTests
    {
        private static Workload Images(ModelArchitecture model) => new Workload(model)
        {
            Method = FinetuneMethod.LoRA, BatchSize = 1, SequenceLength = 2048, Framework = Framework.HfTrainer, LoraTargets = new[] { "all-linear" },
        };

        private static string[] Processor(Workload w) =>
            MemoryEstimator.Estimate(w).Assumptions.Where(a => a.Contains("'s processor")).ToArray();

        [Theory]
        [InlineData("Qwen/Qwen2-VL-2B", "Qwen2-VL's processor: min_pixels 3136, max_pixels 12845056 (preprocessor_config.json); -ImageSize")]
        [InlineData("Qwen/Qwen2.5-VL-7B-Instruct", "Qwen2.5-VL's processor: min_pixels 3136, max_pixels 12845056 (preprocessor_config.json); -ImageSize")]
        [InlineData("Qwen/Qwen3.5-0.8B", "Qwen3.5's processor: min_pixels 65536, max_pixels 16777216 (preprocessor_config.json size shortest_edge, longest_edge)")]
        [InlineData("PaddlePaddle/PaddleOCR-VL", "PaddleOCR-VL's processor: min_pixels 147384, max_pixels 2822400 (preprocessor_config.json)")]
        [InlineData("LiquidAI/LFM2.5-VL-1.6B", "LFM2-VL's processor: min_image_tokens 64, max_image_tokens 256; an image over twice that cut into 2 to 10 tiles of 512 px")]
        [InlineData("google/gemma-3-4b-pt", "Gemma 3's processor: every image resized to 896 px, pan and scan off, 256 tokens per crop")]
        [InlineData("google/gemma-4-E2B-it", "Gemma 4's processor: at most 280 soft tokens per image, 3x3 patches pooled into each")]
        [InlineData("llava-hf/llava-1.5-7b-hf", "LLaVA's processor: every image resized and cropped to 336 px, 576 tokens per image")]
        [InlineData("mistralai/Ministral-3-3B-Instruct-2512", "Pixtral's processor: images scaled down to fit 1540 px on the longer side, 2x2 patches merged")]
        [InlineData("meta-llama/Llama-3.2-11B-Vision", "Llama 3.2 Vision's processor: every image padded to max_num_tiles 4 tiles of 560 px")]
        [InlineData("deepseek-ai/DeepSeek-OCR-2", "DeepSeek-OCR-2's processor: one global view of base_size 1024 px, 256 tokens")]
        public void ACatalogModelsEstimateNamesItsProcessorOnce(string id, string expected)
        {
            var found = Processor(Images(ModelCatalog.Default.Get(id)));
            Assert.Single(found);
            Assert.StartsWith(expected, found[0]);
            Assert.Contains("-VisionTokens overrides", found[0]);
        }

        [Theory]
        [InlineData("Qwen2-VL-2B-Instruct.json", "min_pixels 3136, max_pixels 12845056")]
        [InlineData("Qwen2.5-VL-7B-Instruct.json", "min_pixels 3136, max_pixels 12845056")]
        [InlineData("Qwen3.5-0.8B.json", "min_pixels 65536, max_pixels 16777216")]
        [InlineData("PaddleOCR-VL.json", "min_pixels 147384, max_pixels 2822400")]
        [InlineData("LFM2.5-VL-1.6B.json", "min_image_tokens 64, max_image_tokens 256")]
        [InlineData("gemma-3-4b-it.json", "resized to 896 px, pan and scan off, 256 tokens per crop")]
        [InlineData("gemma-4-E2B-it.json", "at most 280 soft tokens per image, 3x3 patches")]
        [InlineData("llava-1.5-7b-hf.json", "cropped to 336 px, 576 tokens per image")]
        [InlineData("Ministral-3-3B-Instruct-2512.json", "fit 1540 px on the longer side")]
        [InlineData("Llama-3.2-11B-Vision-Instruct.json", "max_num_tiles 4 tiles of 560 px")]
        public void AConfigJsonModelsEstimateNamesTheSameSettings(string fixture, string expected)
        {
            var found = Processor(Images(HfConfigReader.Read(TestFiles.Fixture(fixture))));
            Assert.Single(found);
            Assert.Contains(expected, found[0]);
        }

        [Fact]
        public void AnEstimateWithoutImagesNamesNoProcessor()
        {
            Assert.Empty(Processor(Images(ModelCatalog.Default.Get("Qwen/Qwen3-8B"))));
            var noImages = Images(ModelCatalog.Default.Get("Qwen/Qwen3.5-0.8B"));
            noImages.ImagesPerSample = 0;
            Assert.Empty(Processor(noImages));
        }
    }
}
