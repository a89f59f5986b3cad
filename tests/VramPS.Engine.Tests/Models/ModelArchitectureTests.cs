using System;
using System.Linq;
using VramPS.Engine.Models;
using Xunit;

namespace VramPS.Engine.Tests.Models
{
    /// <summary>Module layouts (the names LoRA targets select), MoE active counts and the -Params shape.</summary>
    public sealed class ModelArchitectureTests
    {
        private static ModelArchitecture Model(string id) => ModelCatalog.Default.Get(id);

        [Theory]
        [InlineData("meta-llama/Llama-3.2-1B", 0, "q_proj,k_proj,v_proj,o_proj,gate_proj,up_proj,down_proj")]
        [InlineData("Qwen/Qwen3-8B", 0, "q_proj,k_proj,v_proj,o_proj,gate_proj,up_proj,down_proj")]
        [InlineData("microsoft/Phi-3-mini-4k-instruct", 0, "qkv_proj,o_proj,gate_up_proj,down_proj")]
        [InlineData("microsoft/phi-2", 0, "q_proj,k_proj,v_proj,dense,fc1,fc2")]
        [InlineData("bigcode/gpt_bigcode-santacoder", 0, "c_attn,c_proj,c_fc,c_proj")]
        [InlineData("openai-community/gpt2", 0, "c_attn,c_proj,c_fc,c_proj")]
        [InlineData("stabilityai/stablelm-base-alpha-3b", 0, "query_key_value,dense,dense_h_to_4h,dense_4h_to_h")]
        [InlineData("tiiuae/falcon-7b", 0, "query_key_value,dense,dense_h_to_4h,dense_4h_to_h")]
        [InlineData("facebook/opt-350m", 0, "q_proj,k_proj,v_proj,out_proj,fc1,fc2")]
        [InlineData("google-bert/bert-base-uncased", 0, "query,key,value,dense,dense,dense")]
        [InlineData("mistralai/Mixtral-8x7B-v0.1", 0, "q_proj,k_proj,v_proj,o_proj,w1,w3,w2,gate")]
        [InlineData("microsoft/Phi-3.5-MoE-instruct", 0, "q_proj,k_proj,v_proj,o_proj,w1,w3,w2,gate")]
        [InlineData("Qwen/Qwen1.5-MoE-A2.7B", 0, "q_proj,k_proj,v_proj,o_proj,gate_proj,up_proj,down_proj,gate,gate_proj,up_proj,down_proj,shared_expert_gate")]
        [InlineData("deepseek-ai/DeepSeek-V3", 0, "q_a_proj,q_b_proj,kv_a_proj_with_mqa,kv_b_proj,o_proj,gate_proj,up_proj,down_proj")]
        [InlineData("deepseek-ai/DeepSeek-V3", 3, "q_a_proj,q_b_proj,kv_a_proj_with_mqa,kv_b_proj,o_proj,gate_proj,up_proj,down_proj,gate,gate_proj,up_proj,down_proj")]
        [InlineData("deepseek-ai/DeepSeek-V2-Lite", 1, "q_proj,kv_a_proj_with_mqa,kv_b_proj,o_proj,gate_proj,up_proj,down_proj,gate,gate_proj,up_proj,down_proj")]
        public void LinearModulesCarryTheHuggingFaceNames(string id, int layer, string names)
        {
            Assert.Equal(names, string.Join(",", Model(id).LinearModules(layer).Select(m => m.Name)));
        }

        [Fact]
        public void FusedAndMultiQueryProjectionsHaveTheirWidths()
        {
            Assert.Equal((71 + 2) * 64, Model("tiiuae/falcon-7b").LinearModules(0)[0].OutFeatures);
            Assert.Equal(2048 + 2 * 128, Model("bigcode/gpt_bigcode-santacoder").LinearModules(0)[0].OutFeatures);
            Assert.Equal(2 * 8192, Model("microsoft/Phi-3-mini-4k-instruct").LinearModules(0)[2].OutFeatures);
            var llama = Model("meta-llama/Llama-3.2-1B").LinearModules(0);
            Assert.Equal(512, llama[1].OutFeatures);
            Assert.Equal(8, Model("mistralai/Mixtral-8x7B-v0.1").LinearModules(0)[4].Count);
        }

        [Fact]
        public void OptProjectsItsNarrowEmbeddingInAndOut()
        {
            var opt = Model("facebook/opt-350m");
            long expected = 50272L * 512 + 2050L * 1024 + 2 * 512L * 1024;
            Assert.Equal(expected, opt.EmbeddingParameters);
            Assert.Equal(0, opt.FinalNormParameters);
        }

        /// <summary>
        /// Published active counts, rounded to two or three significant digits: Mixtral 8x7B "12.9B active parameters"
        /// (https://mistral.ai/news/mixtral-of-experts), Qwen1.5-MoE-A2.7B "2.7B activated" and Qwen3-30B-A3B "3.3B
        /// activated" (their model cards), DeepSeek-V3 "37B activated" (https://arxiv.org/abs/2412.19437).
        /// </summary>
        [Theory]
        [InlineData("mistralai/Mixtral-8x7B-v0.1", 12.9e9)]
        [InlineData("Qwen/Qwen1.5-MoE-A2.7B", 2.7e9)]
        [InlineData("Qwen/Qwen3-30B-A3B", 3.3e9)]
        [InlineData("deepseek-ai/DeepSeek-V3", 37e9)]
        public void MixtureOfExpertsActiveCountsMatchThePublishedOnes(string id, double published)
        {
            double error = (Model(id).ActiveParameters - published) / published;
            Assert.True(Math.Abs(error) <= 0.02, $"{id}: {Model(id).ActiveParameters:N0} active ({error:P2})");
        }

        [Fact]
        public void ADenseModelIsActiveWhole()
        {
            var model = Model("meta-llama/Meta-Llama-3-8B");
            Assert.Equal(model.TotalParameters, model.ActiveParameters);
        }

        [Fact]
        public void WithIdCopiesTheArchitecture()
        {
            var model = Model("meta-llama/Meta-Llama-3-8B");
            var copy = model.WithId("my/llama");
            Assert.Equal("my/llama", copy.Id);
            Assert.Equal("meta-llama/Meta-Llama-3-8B", model.Id);
            Assert.Equal(model.TotalParameters, copy.TotalParameters);
        }

        [Theory]
        [InlineData(1e6)]
        [InlineData(2.5e6)]
        [InlineData(1e7)]
        [InlineData(3.3e7)]
        [InlineData(1.25e8)]
        [InlineData(5e8)]
        [InlineData(1e9)]
        [InlineData(3e9)]
        [InlineData(7e9)]
        [InlineData(1.3e10)]
        [InlineData(7e10)]
        [InlineData(4.05e11)]
        [InlineData(1e12)]
        [InlineData(1.8e13)]
        [InlineData(1e14)]
        public void LlamaLikeLandsWithin2PercentWithHeadsDividingTheHiddenSize(double parameters)
        {
            var model = ModelArchitecture.LlamaLike((long)parameters);
            double error = (model.TotalParameters - parameters) / parameters;
            Assert.True(Math.Abs(error) <= 0.02, $"{parameters:E1}: {model.TotalParameters:N0} ({error:P2})");
            Assert.Equal(model.HiddenSize, model.NumHeads * model.HeadDim);
            Assert.Equal(0, model.NumHeads % model.NumKvHeads);
            Assert.True(model.NumLayers >= 2 && model.IntermediateSize > model.HiddenSize);
            Assert.Null(ArchitectureRules.FirstProblem(model));
        }

        [Fact]
        public void LlamaLikeFollowsTheLlama3Family()
        {
            var model = ModelArchitecture.LlamaLike(8_000_000_000);
            Assert.Equal(128256, model.VocabSize);
            Assert.Equal(8, model.NumKvHeads);
            Assert.Equal(128, model.HeadDim);
            Assert.False(model.TiedEmbeddings);
            Assert.True(ModelArchitecture.LlamaLike(1_000_000_000).TiedEmbeddings);
        }

        [Theory]
        [InlineData(999_999L)]
        [InlineData(100_000_000_000_001L)]
        public void LlamaLikeRejectsCountsOutsideItsRange(long parameters)
        {
            Assert.Throws<ArgumentOutOfRangeException>(() => ModelArchitecture.LlamaLike(parameters));
        }
    }
}
