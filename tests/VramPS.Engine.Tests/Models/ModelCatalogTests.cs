using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using VramPS.Engine.Errors;
using VramPS.Engine.Models;
using Xunit;

namespace VramPS.Engine.Tests.Models
{
    /// <summary>The embedded catalog: every entry's derived count against its published one, lookup and suggestions.</summary>
    public sealed class ModelCatalogTests
    {
        private static readonly ModelCatalog Catalog = ModelCatalog.Default;

        public static IEnumerable<object[]> CatalogIds => ModelCatalog.Default.All.Select(m => new object[] { m.Id });

        [Fact]
        public void EmbeddedCatalogLoadsWithAtLeast65Models()
        {
            Assert.True(Catalog.All.Count >= 65, $"{Catalog.All.Count} models");
        }

        /// <summary>
        /// The expected value is publishedParameters, taken from the source each entry cites; 0.5% covers published
        /// figures rounded to three significant digits.
        /// </summary>
        [Theory]
        [MemberData(nameof(CatalogIds))]
        public void DerivedParameterCountMatchesThePublishedCount(string id)
        {
            var model = Catalog.All.Single(m => m.Id == id);
            Assert.True(model.PublishedParameters > 0, "publishedParameters is missing");
            double error = (double)(model.TotalParameters - model.PublishedParameters) / model.PublishedParameters;
            Assert.True(Math.Abs(error) <= 0.005,
                $"{id}: derived {model.TotalParameters:N0}, published {model.PublishedParameters:N0} ({error:P3})");
        }

        [Theory]
        [MemberData(nameof(CatalogIds))]
        public void EveryEntryCitesItsConfigAndItsCount(string id)
        {
            var model = Catalog.All.Single(m => m.Id == id);
            Assert.StartsWith("https://huggingface.co/", model.Source);
            Assert.EndsWith("/config.json", model.Source);
            Assert.Contains("http", model.ParametersSource);
        }

        /// <summary>Entries whose context (max_position_embeddings) was not verified from their config.json: left at 0, so no warning.</summary>
        private static readonly string[] ContextUnverified =
        {
            "ibm/PowerLM-3b", "Qwen/Qwen2-1.5B", "Qwen/Qwen2-7B", "Qwen/Qwen2-72B", "Qwen/Qwen2-57B-A14B", "tiiuae/falcon-7b", "tiiuae/falcon-40b",
            "HuggingFaceTB/SmolLM2-135M", "HuggingFaceTB/SmolLM2-360M", "HuggingFaceTB/SmolLM2-1.7B", "mistralai/Ministral-8B-Instruct-2410",
            "ibm-granite/granite-3.0-8b-base", "LiquidAI/LFM2.5-VL-1.6B", "LiquidAI/LFM2.5-1.2B-Instruct", "deepseek-ai/DeepSeek-OCR-2", "baidu/ERNIE-4.5-VL-28B-A3B-PT",
        };

        /// <summary>Every other entry gives its context, which the -SequenceLength warning reads.</summary>
        [Theory]
        [MemberData(nameof(CatalogIds))]
        public void EveryEntryGivesItsContextUnlessUnverified(string id)
        {
            var model = Catalog.All.Single(m => m.Id == id);
            if (ContextUnverified.Contains(id)) Assert.Equal(0, model.MaxPositions);
            else Assert.True(model.MaxPositions > 0, $"{id}: maxPositions is missing");
        }

        [Fact]
        public void EveryModelOfTheDevSetResolves()
        {
            string csv = Path.Combine(AppContext.BaseDirectory, "data", "measured-dev.csv");
            var models = File.ReadLines(csv).Skip(1).Select(line => line.Split(',')[1]).Distinct().ToList();
            Assert.NotEmpty(models);
            Assert.All(models, name => Assert.NotNull(Catalog.Find(name)));
        }

        [Theory]
        [InlineData("01-ai/Yi-34B")]
        [InlineData("ibm/PowerLM-3b")]
        [InlineData("facebook/opt-350m")]
        [InlineData("facebook/opt-1.3b")]
        [InlineData("mistralai/Mixtral-8x7B-v0.1")]
        [InlineData("deepseek-ai/DeepSeek-V3")]
        [InlineData("Qwen/Qwen3-30B-A3B")]
        public void RequiredModelsAreCatalogued(string id)
        {
            Assert.Equal(id, Catalog.Find(id)?.Id);
        }

        [Theory]
        [InlineData("meta-llama/Llama-3.2-3B-Instruct", "meta-llama/Llama-3.2-3B")]
        [InlineData("meta-llama/Llama-2-7b-chat-hf", "meta-llama/Llama-2-7b-hf")]
        [InlineData("mistralai/Mixtral-8x7B-Instruct-v0.1", "mistralai/Mixtral-8x7B-v0.1")]
        [InlineData("google/gemma-2-9b-it", "google/gemma-2-9b")]
        [InlineData("Qwen/Qwen2.5-7B-Instruct", "Qwen/Qwen2.5-7B")]
        [InlineData("01-ai/Yi-34B-Chat", "01-ai/Yi-34B")]
        [InlineData("meta-llama/llama-3.1-8b-instruct", "meta-llama/Llama-3.1-8B")]
        public void ChatAndInstructVariantsResolveToTheBaseArchitectureUnderTheAskedId(string asked, string baseId)
        {
            var model = Catalog.Find(asked);
            var baseModel = Catalog.Find(baseId)!;
            Assert.NotNull(model);
            Assert.Equal(asked, model!.Id);
            Assert.Equal(baseModel.TotalParameters, model.TotalParameters);
            Assert.Equal(baseId, baseModel.Id);
        }

        [Fact]
        public void ExactIdsMatchIgnoringCaseAndKeepTheCatalogSpelling()
        {
            Assert.Equal("meta-llama/Llama-2-7b-hf", Catalog.Find("  META-LLAMA/LLAMA-2-7B-HF ")?.Id);
        }

        [Fact]
        public void AnAliasResolvesUnderTheAliasName()
        {
            var model = Catalog.Find("bert-large-uncased");
            Assert.Equal("bert-large-uncased", model?.Id);
            Assert.Equal(Catalog.Find("google-bert/bert-large-uncased")!.TotalParameters, model!.TotalParameters);
        }

        [Theory]
        [InlineData("meta-llama/Llama-2-7b-xyz")]
        [InlineData("meta-llama/Llama-2-7b-hf-instructed")]
        [InlineData("Instruct")]
        [InlineData("")]
        [InlineData("   ")]
        public void NamesThatAreNotVariantsOfAnEntryAreNotFound(string name)
        {
            Assert.Null(Catalog.Find(name));
        }

        [Fact]
        public void GetThrowsUnknownNameWithTheFiveClosestNames()
        {
            var e = Assert.Throws<UnknownNameException>(() => Catalog.Get("mistralai/Mistral-7B-v0.4"));
            Assert.Equal("Model", e.Parameter);
            Assert.Equal("mistralai/Mistral-7B-v0.4", e.Value);
            Assert.Equal(5, e.Closest.Count);
            Assert.Equal(new[]
            {
                "mistral-community/Mistral-7B-v0.2", "mistralai/Mistral-7B-v0.1", "mistralai/Mistral-7B-v0.2", "mistralai/Mistral-7B-v0.3",
            }, e.Closest.Take(4));
            Assert.Contains("mistralai/Mistral-7B-v0.1", e.Message);
        }

        [Fact]
        public void GetNamesTheParameterItWasGiven()
        {
            var e = Assert.Throws<UnknownNameException>(() => Catalog.Get("no-such-model", "BaseModel"));
            Assert.Equal("BaseModel", e.Parameter);
        }

        [Fact]
        public void ClosestNamesCompareThePartAfterTheOwner()
        {
            Assert.Equal("mistralai/Mistral-7B-v0.3", Catalog.ClosestNames("Mistral-7B-v0.3", 1).Single());
        }

        [Fact]
        public void ClosestNamesOfferAliases()
        {
            Assert.Equal("gpt2-xl", Catalog.ClosestNames("gpt2-xll", 1).Single());
        }

        [Theory]
        [InlineData(0)]
        [InlineData(3)]
        [InlineData(12)]
        public void ClosestNamesReturnsTheCountAskedFor(int count)
        {
            Assert.Equal(count, Catalog.ClosestNames("llama", count).Count);
        }

        [Theory]
        [InlineData("NousResearch/Llama-2-7b-hf", "meta-llama/Llama-2-7b-hf")]
        [InlineData("NousResearch/Llama-2-7b-chat-hf", "meta-llama/Llama-2-7b-hf")]
        [InlineData("mistralai/Mistral-7B-Instruct-v0.2", "mistral-community/Mistral-7B-v0.2")]
        public void MirrorsUnderAnotherOrganizationResolveByName(string asked, string catalogued)
        {
            var mirror = ModelCatalog.Default.Get(asked);
            var original = ModelCatalog.Default.Get(catalogued);
            Assert.Equal(asked, mirror.Id);
            Assert.Equal(original.TotalParameters, mirror.TotalParameters);
        }

        [Theory]
        [InlineData("unsloth/llama-3-8b-bnb-4bit", "meta-llama/Meta-Llama-3-8B")]
        [InlineData("unsloth/llama-3-8b-Instruct-bnb-4bit", "meta-llama/Meta-Llama-3-8B")]
        [InlineData("unsloth/Meta-Llama-3.1-8B-bnb-4bit", "meta-llama/Llama-3.1-8B")]
        [InlineData("unsloth/Llama-3.2-3B-Instruct-unsloth-bnb-4bit", "meta-llama/Llama-3.2-3B")]
        [InlineData("unsloth/mistral-7b-v0.3-bnb-4bit", "mistralai/Mistral-7B-v0.3")]
        [InlineData("unsloth/tinyllama-bnb-4bit", "TinyLlama/TinyLlama-1.1B-intermediate-step-1431k-3T")]
        [InlineData("Qwen/Qwen2.5-7B-Instruct-GPTQ-Int4", "Qwen/Qwen2.5-7B")]
        [InlineData("meta-llama/Meta-Llama-3.1-70B", "meta-llama/Llama-3.1-70B")]
        public void PreQuantizedUploadsAndRenamedReposResolveToTheirArchitecture(string asked, string catalogued)
        {
            var upload = ModelCatalog.Default.Get(asked);
            Assert.Equal(asked, upload.Id);
            Assert.Equal(ModelCatalog.Default.Get(catalogued).TotalParameters, upload.TotalParameters);
        }

        [Theory]
        [InlineData("meta-llama/Llama-2-7b-xyz-bnb-4bit")]
        [InlineData("-bnb-4bit")]
        public void AQuantizationEndingDoesNotMakeAnUnknownNameKnown(string name)
        {
            Assert.Null(ModelCatalog.Default.Find(name));
        }
    }
}
