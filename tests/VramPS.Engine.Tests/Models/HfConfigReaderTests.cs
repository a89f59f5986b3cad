using System;
using System.IO;
using System.Linq;
using VramPS.Engine.Errors;
using VramPS.Engine.Models;
using Xunit;

namespace VramPS.Engine.Tests.Models
{
    /// <summary>
    /// Real config.json files (Fixtures/, copied from the models' Hugging Face repositories or, where noted in
    /// Fixtures/README.md, from mlc-llm's copies of them) read into architectures whose derived counts must match the
    /// published counts the catalog cites.
    /// </summary>
    public sealed class HfConfigReaderTests : IDisposable
    {
        private readonly TestFiles _files = new TestFiles();

        public void Dispose() => _files.Dispose();

        [Theory]
        [InlineData("Llama-3.2-1B.json", "meta-llama/Llama-3.2-1B")]
        [InlineData("Qwen2.5-32B.json", "Qwen/Qwen2.5-32B")]
        [InlineData("Qwen3-8B.json", "Qwen/Qwen3-8B")]
        [InlineData("Qwen1.5-MoE-A2.7B.json", "Qwen/Qwen1.5-MoE-A2.7B")]
        [InlineData("Mixtral-8x7B-v0.1.json", "mistralai/Mixtral-8x7B-v0.1")]
        [InlineData("gemma-2-2b.json", "google/gemma-2-2b")]
        [InlineData("gemma-3-1b-it.json", "google/gemma-3-1b-pt")]
        [InlineData("gemma-3-4b-it.json", "google/gemma-3-4b-pt")]
        [InlineData("Qwen2.5-VL-7B-Instruct.json", "Qwen/Qwen2.5-VL-7B-Instruct")]
        [InlineData("Qwen2-VL-2B-Instruct.json", "Qwen/Qwen2-VL-2B")]
        [InlineData("llava-1.5-7b-hf.json", "llava-hf/llava-1.5-7b-hf")]
        [InlineData("Ministral-3-3B-Instruct-2512.json", "mistralai/Ministral-3-3B-Instruct-2512")]
        [InlineData("Llama-3.2-11B-Vision-Instruct.json", "meta-llama/Llama-3.2-11B-Vision")]
        [InlineData("phi-2.json", "microsoft/phi-2")]
        [InlineData("falcon-7b.json", "tiiuae/falcon-7b")]
        [InlineData("gpt2.json", "openai-community/gpt2")]
        [InlineData("gpt_bigcode-santacoder.json", "bigcode/gpt_bigcode-santacoder")]
        [InlineData("bert-base-uncased.json", "google-bert/bert-base-uncased")]
        [InlineData("opt-350m.json", "facebook/opt-350m")]
        [InlineData("DeepSeek-V2-Lite.json", "deepseek-ai/DeepSeek-V2-Lite")]
        public void AConfigGivesThePublishedParameterCount(string fixture, string catalogId)
        {
            var model = HfConfigReader.Read(TestFiles.Fixture(fixture));
            var entry = ModelCatalog.Default.Get(catalogId);
            double error = (double)(model.TotalParameters - entry.PublishedParameters) / entry.PublishedParameters;
            Assert.True(Math.Abs(error) <= 0.005, $"{fixture}: {model.TotalParameters:N0} vs published {entry.PublishedParameters:N0}");
            Assert.Equal(entry.TotalParameters, model.TotalParameters);
            Assert.Equal(model.MaxPositions, entry.MaxPositions);
            Assert.Equal(entry.LinearModules(entry.NumLayers - 1).Select(m => m.Name), model.LinearModules(model.NumLayers - 1).Select(m => m.Name));
        }

        [Fact]
        public void AbsentFieldsTakeTransformersDefaults()
        {
            var gpt2 = HfConfigReader.Read(TestFiles.Fixture("gpt2.json"));
            Assert.Equal(12, gpt2.NumKvHeads);
            Assert.Equal(64, gpt2.HeadDim);
            Assert.Equal(3072, gpt2.IntermediateSize);
            Assert.True(gpt2.TiedEmbeddings);

            var falcon = HfConfigReader.Read(TestFiles.Fixture("falcon-7b.json"));
            Assert.Equal(1, falcon.NumKvHeads);
            Assert.True(falcon.TiedEmbeddings);
            Assert.Equal(1, falcon.NormsPerLayer);

            var mixtral = HfConfigReader.Read(TestFiles.Fixture("Mixtral-8x7B-v0.1.json"));
            Assert.False(mixtral.TiedEmbeddings);

            var gemma3 = HfConfigReader.Read(TestFiles.Fixture("gemma-3-4b-it.json"));
            Assert.Equal(8, gemma3.NumHeads);
            Assert.Equal(4, gemma3.NumKvHeads);
            Assert.Equal(262208, gemma3.VocabSize);
            Assert.True(gemma3.TiedEmbeddings);
        }

        [Fact]
        public void TheIdIsNameOrPathThenTheFolderNameThenThePath()
        {
            Assert.Equal("microsoft/phi-2", HfConfigReader.Read(TestFiles.Fixture("phi-2.json")).Id);

            string file = TestFiles.Fixture("gpt2.json");
            Assert.Equal(file, HfConfigReader.Read(file).Id);

            string folder = Path.Combine(_files.Folder, "my-gpt2");
            Directory.CreateDirectory(folder);
            File.Copy(file, Path.Combine(folder, "config.json"));
            var model = HfConfigReader.Read(folder);
            Assert.Equal("my-gpt2", model.Id);
            Assert.Equal(124439808, model.TotalParameters);
        }

        [Fact]
        public void AMissingFileAndAFolderWithoutConfigNameThePath()
        {
            string missing = Path.Combine(_files.Folder, "nothing", "config.json");
            string folder = Path.Combine(_files.Folder, "empty-model");
            Directory.CreateDirectory(folder);
            foreach (string path in new[] { missing, folder })
            {
                var e = Assert.Throws<InvalidDataFileException>(() => HfConfigReader.Read(path));
                Assert.Equal(path, e.Path);
                Assert.Contains(path, e.Message);
            }
        }

        [Theory]
        [InlineData("{ \"model_type\": \"llama\", \"hidden_size\": 2048, ", null)]
        [InlineData("[ 1, 2 ]", null)]
        [InlineData("{ \"model_type\": \"llama\", \"hidden_size\": \"2048\", \"num_hidden_layers\": 16, \"num_attention_heads\": 32, \"vocab_size\": 100, \"intermediate_size\": 10 }", "hidden_size")]
        [InlineData("{ \"model_type\": \"llama\", \"hidden_size\": 2048, \"num_attention_heads\": 32, \"vocab_size\": 100, \"intermediate_size\": 10 }", "num_hidden_layers")]
        [InlineData("{ \"model_type\": \"llama\", \"hidden_size\": 2048, \"num_hidden_layers\": 16, \"num_attention_heads\": 32, \"vocab_size\": 100, \"intermediate_size\": 10, \"tie_word_embeddings\": 1 }", "tie_word_embeddings")]
        [InlineData("{ \"model_type\": \"llama\", \"hidden_size\": 2048, \"num_hidden_layers\": 16, \"num_attention_heads\": 32, \"num_key_value_heads\": 0, \"vocab_size\": 100, \"intermediate_size\": 10 }", "num_key_value_heads")]
        [InlineData("{ \"model_type\": 7 }", "model_type")]
        [InlineData("{ \"hidden_size\": 2048 }", "model_type")]
        [InlineData("{ \"model_type\": \"gemma3\" }", "text_config")]
        public void AMalformedConfigNamesThePathAndTheField(string text, string? field)
        {
            string path = _files.Write("config.json", text);
            var e = Assert.Throws<InvalidDataFileException>(() => HfConfigReader.Read(path));
            Assert.Equal(path, e.Path);
            Assert.StartsWith(path + ":", e.Message);
            if (field != null) Assert.Contains($"field '{field}'", e.Message);
        }

        [Fact]
        public void AnUnknownModelTypeListsTheKnownOnes()
        {
            string path = _files.Write("config.json", "{ \"model_type\": \"mamba\", \"hidden_size\": 768 }");
            var e = Assert.Throws<InvalidDataFileException>(() => HfConfigReader.Read(path));
            Assert.Contains(path, e.Message);
            Assert.Contains("'mamba'", e.Message);
            Assert.Contains("llama", e.Message);
            Assert.Contains("gpt_bigcode", e.Message);
        }

        [Fact]
        public void ANonsenseArchitectureIsRejected()
        {
            string path = _files.Write("config.json",
                "{ \"model_type\": \"llama\", \"hidden_size\": 2048, \"num_hidden_layers\": 0, \"num_attention_heads\": 32, \"vocab_size\": 100, \"intermediate_size\": 10 }");
            var e = Assert.Throws<InvalidDataFileException>(() => HfConfigReader.Read(path));
            Assert.Contains(path, e.Message);
            Assert.Contains("numLayers", e.Message);
        }

        [Theory]
        [InlineData("qwen2_5_vl", "", "vision_config")]
        [InlineData("qwen2_vl", ", \"vision_config\": { \"temporal_patch_size\": 1 }", "vision_config.temporal_patch_size")]
        [InlineData("llava", ", \"vision_config\": {}", "text_config")]
        public void AVisionLanguageConfigWithoutItsPartsIsRefusedNamingTheField(string modelType, string extra, string field)
        {
            string path = _files.Write("config.json",
                "{ \"model_type\": \"" + modelType + "\", \"hidden_size\": 1536, \"intermediate_size\": 8960, \"num_hidden_layers\": 28, " +
                "\"num_attention_heads\": 12, \"num_key_value_heads\": 2, \"vocab_size\": 151936" + extra + " }");
            var e = Assert.Throws<InvalidDataFileException>(() => HfConfigReader.Read(path));
            Assert.Contains($"field '{field}'", e.Message);
        }

        [Fact]
        public void AFileOver16MiBAndDeepNestingAreRejected()
        {
            string huge = _files.Sized("huge/config.json", 16L * 1024 * 1024 + 1);
            var tooLarge = Assert.Throws<InvalidDataFileException>(() => HfConfigReader.Read(huge));
            Assert.Contains(huge, tooLarge.Message);

            string deep = _files.Write("deep/config.json", "{ \"model_type\": \"llama\", \"rope_scaling\": " + TestFiles.Nested(20) + " }");
            var tooDeep = Assert.Throws<InvalidDataFileException>(() => HfConfigReader.Read(deep));
            Assert.Contains(deep, tooDeep.Message);
        }

        [Fact]
        public void ALinkToAConfigIsFollowed()
        {
            string target = _files.Write("blobs/abc123", File.ReadAllText(TestFiles.Fixture("gpt2.json")));
            string folder = Path.Combine(_files.Folder, "snapshots", "rev");
            Directory.CreateDirectory(folder);
            File.CreateSymbolicLink(Path.Combine(folder, "config.json"), target);
            Assert.Equal(124439808, HfConfigReader.Read(folder).TotalParameters);
        }
    }
}
