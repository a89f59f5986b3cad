using VramPS.Engine.Alignment;
using VramPS.Engine.Estimation;
using VramPS.Engine.Models;
using VramPS.Engine.Tests.Estimation;
using Xunit;
using static VramPS.Engine.Tests.Alignment.StageFixture;

namespace VramPS.Engine.Tests.Alignment
{
    /// <summary>The building blocks of a stage: scalar heads, KV cache sizes and TRL's loss buffers.</summary>
    public class ModelPartsTests
    {
        [Fact]
        public void AScalarHeadReplacesTheLmHead()
        {
            var untied = Llama2Fixture.Model().WithScalarHead();
            Assert.Equal(ScalarHeadParameters, untied.TotalParameters);

            // Qwen2.5-0.5B ties its head to the embedding: the score adds h x 1 and the embedding stays.
            var tied = ModelCatalog.Default.Get("Qwen/Qwen2.5-0.5B");
            Assert.True(tied.TiedEmbeddings);
            Assert.Equal(tied.TotalParameters + tied.HiddenSize, tied.WithScalarHead().TotalParameters);
        }

        [Fact]
        public void KvCacheIsPerKvHeadUnderGroupedQueryAttention()
        {
            // Qwen2.5-7B: 28 layers, 4 KV heads of 128 (config.json), bf16.
            var qwen = ModelCatalog.Default.Get("Qwen/Qwen2.5-7B");
            Assert.Equal(2.0 * 28 * 4 * 128 * 2, KvCache.PerToken(qwen, 2, compressedLatent: false));
            Assert.Equal(2.0 * 28 * 4 * 128 * 2, KvCache.PerToken(qwen, 2, compressedLatent: true));
        }

        [Fact]
        public void MlaCachesTheLatentInVllmAndEveryHeadInTransformers()
        {
            // DeepSeek-V2-Lite: 27 layers, 16 heads, kv_lora_rank 512, qk_rope 64, qk_nope 128, v_head 128.
            var mla = ModelCatalog.Default.Get("deepseek-ai/DeepSeek-V2-Lite");
            Assert.Equal(27.0 * (512 + 64) * 2, KvCache.PerToken(mla, 2, compressedLatent: true));
            Assert.Equal(27.0 * 16 * (128 + 64 + 128) * 2, KvCache.PerToken(mla, 2, compressedLatent: false));
        }

        [Theory]
        [InlineData(2, 4, 4, 4)]
        [InlineData(4, 4, 8, 4)]
        public void LogProbsHoldTheLogitsAndTheirLogSoftmax(int c, double forward, double backward, double held)
        {
            var f = LossBuffers.LogProbs(c);
            Assert.Equal(forward, f.ForwardPeak);
            Assert.Equal(backward, f.BackwardPeak);
            Assert.Equal(held, f.Held);
        }

        [Fact]
        public void OrpoAndGrpoAdjustTheLogProbBuffers()
        {
            var orpo = LossBuffers.OddsRatio(2);
            Assert.Equal(5, orpo.ForwardPeak);
            Assert.Equal(6, orpo.BackwardPeak);
            Assert.Equal(5, orpo.Held);
            Assert.Equal(2, LossBuffers.Completion(2).Held);
        }
    }
}
