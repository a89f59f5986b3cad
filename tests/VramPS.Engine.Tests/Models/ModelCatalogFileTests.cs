using System;
using System.Collections.Generic;
using System.Linq;
using System.Text.RegularExpressions;
using VramPS.Engine.Errors;
using VramPS.Engine.Models;
using Xunit;

namespace VramPS.Engine.Tests.Models
{
    /// <summary>User catalog files: loading, merging over the embedded catalog, and every way a file can be wrong.</summary>
    public sealed class ModelCatalogFileTests : IDisposable
    {
        private const string Minimal =
            "\"modelType\": \"llama\", \"hiddenSize\": 512, \"intermediateSize\": 1024, \"numLayers\": 4, \"numHeads\": 8, \"vocabSize\": 1000";

        private readonly TestFiles _files = new TestFiles();

        public void Dispose() => _files.Dispose();

        /// <summary>The minimal entry acme/tiny with some fields replaced or added ("\"numLayers\": 0").</summary>
        private static string Entry(string fields)
        {
            var replaced = new HashSet<string>(Regex.Matches(fields, "\"(\\w+)\"\\s*:").Cast<Match>().Select(m => m.Groups[1].Value));
            var kept = Minimal.Split(new[] { ", " }, StringSplitOptions.None)
                .Where(f => !replaced.Contains(Regex.Match(f, "\"(\\w+)\"").Groups[1].Value));
            return "{ \"id\": \"acme/tiny\", " + string.Join(", ", kept.Concat(new[] { fields })) + " }";
        }

        private string Catalog(params string[] entries) =>
            _files.Write("catalog.json", "{ \"models\": [ " + string.Join(", ", entries) + " ] }");

        [Fact]
        public void LoadsAUserCatalogAndFillsDefaults()
        {
            var catalog = ModelCatalog.Load(Catalog("{ \"id\": \"acme/tiny\", " + Minimal + " }"));
            var model = Assert.Single(catalog.All);
            Assert.Equal("acme/tiny", model.Id);
            Assert.Equal(8, model.NumKvHeads);
            Assert.Equal(64, model.HeadDim);
            Assert.Equal(MlpKind.Gated, model.Mlp);
            Assert.True(model.FinalNorm);
        }

        [Fact]
        public void AFileWithAUtf8ByteOrderMarkLoads()
        {
            string path = _files.Write("bom.json", "\uFEFF{ \"models\": [ { \"id\": \"acme/tiny\", " + Minimal + " } ] }");
            Assert.Equal("acme/tiny", Assert.Single(ModelCatalog.Load(path).All).Id);
        }

        [Fact]
        public void UserEntriesOverrideEmbeddedOnesByIdAndAddNewOnes()
        {
            var user = ModelCatalog.Load(Catalog(
                "{ \"id\": \"META-LLAMA/Llama-2-7b-hf\", " + Minimal + " }",
                "{ \"id\": \"acme/tiny\", \"aliases\": [\"bert-large-uncased\"], " + Minimal + " }"));
            var merged = ModelCatalog.Default.MergedWith(user);

            Assert.Equal(ModelCatalog.Default.All.Count + 1, merged.All.Count);
            Assert.Equal(4, merged.Find("meta-llama/Llama-2-7b-hf")!.NumLayers);
            Assert.Equal(4, merged.Find("meta-llama/Llama-2-7b-chat-hf")!.NumLayers);
            Assert.Equal(4, merged.Find("bert-large-uncased")!.NumLayers);
            Assert.Equal(32, merged.Find("mistralai/Mistral-7B-v0.1")!.NumLayers);
            Assert.Equal(32, ModelCatalog.Default.Find("meta-llama/Llama-2-7b-hf")!.NumLayers);
        }

        [Theory]
        [InlineData("\"hiddenSize\": \"4096\"", "hiddenSize")]
        [InlineData("\"hiddenSize\": 4096.5", "hiddenSize")]
        [InlineData("\"hiddenSize\": null", "hiddenSize")]
        [InlineData("\"hiddenSize\": 99999999999", "hiddenSize")]
        [InlineData("\"numLayers\": 0", "numLayers")]
        [InlineData("\"numKvHeads\": 3", "numKvHeads")]
        [InlineData("\"intermediateSize\": -1", "intermediateSize")]
        [InlineData("\"tiedEmbeddings\": \"yes\"", "tiedEmbeddings")]
        [InlineData("\"mlp\": \"Triple\"", "mlp")]
        [InlineData("\"norm\": 1", "norm")]
        [InlineData("\"positions\": \"Learned\"", "maxPositions")]
        [InlineData("\"modelType\": \"mamba\"", "modelType")]
        [InlineData("\"aliases\": \"acme/other\"", "aliases")]
        [InlineData("\"hiddenSizee\": 512", "hiddenSizee")]
        [InlineData("\"experts\": 8", "moeIntermediateSize")]
        [InlineData("\"experts\": 8, \"moeIntermediateSize\": 64, \"expertsPerToken\": 9", "expertsPerToken")]
        [InlineData("\"partialRotaryFactor\": 1.5", "partialRotaryFactor")]
        [InlineData("\"kvLoraRank\": 64", "qkNopeHeadDim")]
        [InlineData("\"numLayers\": 10001", "numLayers")]
        [InlineData("\"hiddenSize\": 2000000000, \"vocabSize\": 2000000000", "hiddenSize")]
        [InlineData("\"hiddenSize\": 1048576, \"intermediateSize\": 1048576, \"numLayers\": 100", "hiddenSize")]
        public void ABadValueNamesTheFileTheEntryAndTheField(string field, string named)
        {
            string path = Catalog(Entry(field));
            var e = Assert.Throws<InvalidDataFileException>(() => ModelCatalog.Load(path));
            Assert.Equal(path, e.Path);
            Assert.Contains(path, e.Message);
            Assert.Contains("entry 'acme/tiny'", e.Message);
            Assert.Contains($"field '{named}'", e.Message);
        }

        [Theory]
        [InlineData("numLayers")]
        [InlineData("hiddenSize")]
        [InlineData("modelType")]
        public void AMissingRequiredFieldIsNamed(string field)
        {
            string fields = string.Join(", ", Minimal.Split(',').Where(f => !f.Contains($"\"{field}\"")));
            string path = Catalog("{ \"id\": \"acme/tiny\", " + fields + " }");
            var e = Assert.Throws<InvalidDataFileException>(() => ModelCatalog.Load(path));
            Assert.Contains($"entry 'acme/tiny', field '{field}': is missing", e.Message);
        }

        [Fact]
        public void HeadsThatDoNotDivideTheHiddenSizeNeedAHeadDim()
        {
            string path = Catalog(Entry("\"numHeads\": 7"));
            var e = Assert.Throws<InvalidDataFileException>(() => ModelCatalog.Load(path));
            Assert.Contains("field 'headDim'", e.Message);
        }

        [Fact]
        public void ANameUsedTwiceIsRejected()
        {
            string path = Catalog("{ \"id\": \"acme/tiny\", " + Minimal + " }", "{ \"id\": \"acme/other\", \"aliases\": [\"ACME/tiny\"], " + Minimal + " }");
            var e = Assert.Throws<InvalidDataFileException>(() => ModelCatalog.Load(path));
            Assert.Contains("entry 'acme/other'", e.Message);
        }

        [Theory]
        [InlineData("{ \"models\": [ { \"id\": \"acme/tiny\", \"hiddenSize\": 5")]
        [InlineData("[ ]")]
        [InlineData("{ \"models\": { } }")]
        [InlineData("{ \"models\": [ 42 ] }")]
        [InlineData("{ \"models\": [ ], \"extra\": 1 }")]
        [InlineData("{ \"models\": [ ] } trailing")]
        [InlineData("\"just a string\"")]
        public void AMalformedDocumentNamesTheFile(string text)
        {
            string path = _files.Write("bad.json", text);
            var e = Assert.Throws<InvalidDataFileException>(() => ModelCatalog.Load(path));
            Assert.Equal(path, e.Path);
            Assert.StartsWith(path + ":", e.Message);
        }

        [Fact]
        public void DeepNestingIsRejected()
        {
            string path = Catalog("{ \"id\": \"acme/tiny\", \"aliases\": " + TestFiles.Nested(40) + ", " + Minimal + " }");
            var e = Assert.Throws<InvalidDataFileException>(() => ModelCatalog.Load(path));
            Assert.Contains(path, e.Message);
            Assert.Contains("MaxDepth", e.Message);
        }

        [Fact]
        public void AFileOver16MiBIsRejectedBeforeItIsRead()
        {
            string path = _files.Sized("huge.json", 16L * 1024 * 1024 + 1);
            var e = Assert.Throws<InvalidDataFileException>(() => ModelCatalog.Load(path));
            Assert.Contains(path, e.Message);
            Assert.Contains("16 MiB", e.Message);
        }

        [Fact]
        public void AMissingFileADirectoryAnEmptyFileAndAUrlAreRejected()
        {
            string missing = System.IO.Path.Combine(_files.Folder, "missing.json");
            string empty = _files.Write("empty.json", "");
            const string url = "https://example.com/models.json";
            foreach (string path in new[] { missing, _files.Folder, empty, url })
            {
                var e = Assert.Throws<InvalidDataFileException>(() => ModelCatalog.Load(path));
                Assert.Equal(path, e.Path);
                Assert.Contains(path, e.Message);
            }
        }
    }
}
