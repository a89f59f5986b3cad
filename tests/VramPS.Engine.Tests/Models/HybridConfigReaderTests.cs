using System;
using System.Linq;
using VramPS.Engine.Errors;
using VramPS.Engine.Models;
using Xunit;

namespace VramPS.Engine.Tests.Models
{
    /// <summary>
    /// config.json fixtures of the model types added with the hybrid and vision catalog entries (Fixtures/README.md
    /// names each hub file whose field names and values they carry), read into the architecture the catalog entry gives:
    /// the same parameter count, which the entry pins to a cited published count, and the same block layout.
    /// </summary>
    public sealed class HybridConfigReaderTests : IDisposable
    {
        private readonly TestFiles _files = new TestFiles();

        /// <summary>
        /// Every architecture field a catalog entry sets, but its naming and citation, the context (some entries leave it
        /// 0) and the mixer pattern (an entry writes one period, a config one letter per block; compared block by block).
        /// </summary>
        private static readonly System.Reflection.PropertyInfo[] ArchitectureFields = typeof(ModelArchitecture).GetProperties()
            .Where(p => p.SetMethod != null && p.SetMethod.IsAssembly && p.PropertyType != typeof(string[])
                        && !new[] { "Id", "Source", "PublishedParameters", "ParametersSource", "MaxPositions", "MixerPattern" }.Contains(p.Name))
            .ToArray();

        public void Dispose() => _files.Dispose();

        /// <param name="tolerance">Half the published count's last digit, relative (80B: 0.5B of 80B); 0 where it is exact.</param>
        [Theory]
        [InlineData("Qwen3.5-0.8B.json", "Qwen/Qwen3.5-0.8B", 0.0)]
        [InlineData("Qwen3-Next-80B-A3B-Instruct.json", "Qwen/Qwen3-Next-80B-A3B-Instruct", 0.5 / 80)]
        [InlineData("LFM2.5-1.2B-Instruct.json", "LiquidAI/LFM2.5-1.2B-Instruct", 0.005 / 1.17)]
        [InlineData("LFM2.5-VL-1.6B.json", "LiquidAI/LFM2.5-VL-1.6B", 0.0)]
        [InlineData("PaddleOCR-VL.json", "PaddlePaddle/PaddleOCR-VL", 0.0)]
        [InlineData("Moonlight-16B-A3B-Instruct.json", "moonshotai/Moonlight-16B-A3B-Instruct", 0.5 / 16)]
        [InlineData("gemma-4-E2B-it.json", "google/gemma-4-E2B-it", 0.0)]
        [InlineData("gemma-4-26B-A4B-it.json", "google/gemma-4-26B-A4B-it", 0.0)]
        [InlineData("gemma-4-31B-it.json", "google/gemma-4-31B-it", 0.0)]
        public void AConfigGivesTheCatalogEntrysArchitecture(string fixture, string catalogId, double tolerance)
        {
            var model = HfConfigReader.Read(TestFiles.Fixture(fixture));
            var entry = ModelCatalog.Default.Get(catalogId);
            double error = (double)(model.TotalParameters - entry.PublishedParameters) / entry.PublishedParameters;
            Assert.True(Math.Abs(error) <= tolerance, $"{fixture}: {model.TotalParameters:N0} vs published {entry.PublishedParameters:N0}");
            Assert.Equal(entry.TotalParameters, model.TotalParameters);
            Assert.Equal(entry.ActiveParameters, model.ActiveParameters);
            if (entry.MaxPositions > 0) Assert.Equal(entry.MaxPositions, model.MaxPositions);
            Assert.Contains(ArchitectureFields, f => f.Name == nameof(ModelArchitecture.VisionMinPixels));
            foreach (var field in ArchitectureFields)
                Assert.True(Equals(field.GetValue(entry), field.GetValue(model)), $"{fixture}: {field.Name} {field.GetValue(model)}, catalog {field.GetValue(entry)}");
            for (int layer = 0; layer < entry.NumLayers; layer++)
            {
                Assert.Equal(entry.MixerOf(layer), model.MixerOf(layer));
                Assert.Equal(entry.LinearModules(layer).Select(m => m.Name + ":" + m.InFeatures + "x" + m.OutFeatures),
                    model.LinearModules(layer).Select(m => m.Name + ":" + m.InFeatures + "x" + m.OutFeatures));
            }
        }

        [Fact]
        public void Qwen35ReadsItsViTAndTheProcessorsPixelBounds()
        {
            var model = HfConfigReader.Read(TestFiles.Fixture("Qwen3.5-0.8B.json"));
            Assert.Equal(VisionEncoderKind.Qwen3Vl, model.VisionEncoder);
            Assert.Equal(12, model.VisionLayers);
            Assert.Equal(2304, model.VisionPositionEmbeddings);
            // Qwen/Qwen3.5-0.8B preprocessor_config.json: size.shortest_edge 65536, size.longest_edge 16777216.
            Assert.Equal(65536, model.VisionMinPixels);
            Assert.Equal(16777216, model.VisionMaxPixels);
            Assert.Equal(0.25, model.PartialRotaryFactor);
            Assert.True(model.TiedEmbeddings);
        }

        [Fact]
        public void Lfm2VlTakesTheProcessorsTokenBoundsInPixels()
        {
            // Lfm2VlImageProcessor: min_image_tokens 64 and max_image_tokens 256 of (16 x 2)^2 = 1024 pixels each.
            var model = HfConfigReader.Read(TestFiles.Fixture("LFM2.5-VL-1.6B.json"));
            Assert.Equal(64 * 1024, model.VisionMinPixels);
            Assert.Equal(256 * 1024, model.VisionMaxPixels);
        }

        [Fact]
        public void Lfm2NarrowsItsMlpAsLfm2MlpDoes()
        {
            // Lfm2MLP: int(2 x 12288 / 3) = 8192, x 1.0, rounded up to a multiple of 256: 8192.
            var model = HfConfigReader.Read(TestFiles.Fixture("LFM2.5-1.2B-Instruct.json"));
            Assert.Equal(8192, model.IntermediateSize);
            Assert.Equal("CCACCACCACACACAC", model.MixerPattern);
            Assert.Equal(3, model.MixerConvKernel);
        }

        [Theory]
        [InlineData("{ \"model_type\": \"qwen3_next\", \"hidden_size\": 2048, \"num_hidden_layers\": 4, \"num_attention_heads\": 16, \"vocab_size\": 100, \"intermediate_size\": 10, \"linear_num_key_heads\": 16 }", "linear_num_value_heads")]
        [InlineData("{ \"model_type\": \"qwen3_5\", \"vision_config\": {} }", "text_config")]
        [InlineData("{ \"model_type\": \"qwen3_5_text\", \"hidden_size\": 1024, \"num_hidden_layers\": 2, \"num_attention_heads\": 8, \"vocab_size\": 100, \"intermediate_size\": 10, \"linear_num_key_heads\": 16, \"linear_num_value_heads\": 16, \"linear_key_head_dim\": 128, \"linear_value_head_dim\": 128, \"linear_conv_kernel_dim\": 4, \"layer_types\": [\"linear_attention\", \"mamba\"] }", "layer_types")]
        [InlineData("{ \"model_type\": \"qwen3_5_text\", \"hidden_size\": 1024, \"num_hidden_layers\": 3, \"num_attention_heads\": 8, \"vocab_size\": 100, \"intermediate_size\": 10, \"linear_num_key_heads\": 16, \"linear_num_value_heads\": 16, \"linear_key_head_dim\": 128, \"linear_value_head_dim\": 128, \"linear_conv_kernel_dim\": 4, \"layer_types\": [\"linear_attention\", \"full_attention\"] }", "layer_types")]
        [InlineData("{ \"model_type\": \"lfm2\", \"hidden_size\": 2048, \"num_hidden_layers\": 2, \"num_attention_heads\": 32, \"vocab_size\": 100, \"intermediate_size\": 12288, \"conv_L_cache\": 3 }", "layer_types")]
        [InlineData("{ \"model_type\": \"lfm2\", \"hidden_size\": 2048, \"num_hidden_layers\": 2, \"num_attention_heads\": 32, \"vocab_size\": 100, \"intermediate_size\": 12288, \"layer_types\": [\"conv\", \"full_attention\"] }", "conv_L_cache")]
        [InlineData("{ \"model_type\": \"lfm2\", \"hidden_size\": 2048, \"num_hidden_layers\": 2, \"num_attention_heads\": 32, \"vocab_size\": 100, \"intermediate_size\": 12288, \"conv_L_cache\": 3, \"full_attn_idxs\": [2] }", "full_attn_idxs")]
        [InlineData("{ \"model_type\": \"gemma4\", \"vision_config\": {} }", "text_config")]
        [InlineData("{ \"model_type\": \"gemma4\", \"text_config\": { \"hidden_size\": 1536, \"intermediate_size\": 6144, \"num_hidden_layers\": 2, \"num_attention_heads\": 8, \"num_key_value_heads\": 1, \"head_dim\": 256, \"global_head_dim\": 512, \"vocab_size\": 100, \"sliding_window\": 512 }, \"vision_config\": {} }", "text_config.layer_types")]
        public void AHybridConfigMissingAFieldIsRefusedNamingIt(string text, string field)
        {
            string path = _files.Write("config.json", text);
            var e = Assert.Throws<InvalidDataFileException>(() => HfConfigReader.Read(path));
            Assert.Contains($"field '{field}'", e.Message);
        }

        [Theory]
        [InlineData("Qwen3.5-0.8B.json", "\"depth\": 12,", "", "vision_config.depth")]
        [InlineData("LFM2.5-VL-1.6B.json", "\"projector_hidden_size\": 2048,", "", "projector_hidden_size")]
        [InlineData("LFM2.5-VL-1.6B.json", "\"projector_use_layernorm\": false", "\"projector_use_layernorm\": true", "projector_use_layernorm")]
        [InlineData("PaddleOCR-VL.json", "\"spatial_merge_size\": 2", "\"spatial_merge_size\": null", "vision_config.spatial_merge_size")]
        [InlineData("gemma-4-E2B-it.json", "\"pooling_kernel_size\": 3,", "", "vision_config.pooling_kernel_size")]
        [InlineData("gemma-4-E2B-it.json", "\"vocab_size_per_layer_input\": 262144,", "", "text_config.vocab_size_per_layer_input")]
        [InlineData("gemma-4-E2B-it.json", "\"sliding_attention\",", "\"chunked_attention\",", "text_config.layer_types")]
        [InlineData("gemma-4-E2B-it.json", "\"output_proj_dims\": 1536", "\"output_proj_dims\": null", "audio_config.output_proj_dims")]
        public void AFixtureWithoutAFieldItNeedsIsRefusedNamingTheField(string fixture, string field, string replacement, string named)
        {
            string text = System.IO.File.ReadAllText(TestFiles.Fixture(fixture));
            Assert.Contains(field, text);
            string path = _files.Write("config.json", text.Replace(field, replacement));
            var e = Assert.Throws<InvalidDataFileException>(() => HfConfigReader.Read(path));
            Assert.Contains($"field '{named}'", e.Message);
        }
    }
}
