using System.Linq;
using VramPS.Engine.Estimation;
using VramPS.Engine.Models;
using Xunit;

namespace VramPS.Engine.Tests.Estimation
{
    /// <summary>
    /// unsloth_zoo's get_chunk_size splits the logits into one chunk while they fit 4 GiB at 16 bytes a logit, else the
    /// next multiple of 4 chunks that does; the estimate says how many, since a longer micro-batch can then hold less.
    /// </summary>
    public sealed class UnslothFusedLossTests
    {
        private static string ChunkAssumption(int sequence)
        {
            var w = new Workload(ModelCatalog.Default.Get("Qwen/Qwen2.5-1.5B"))
            {
                Method = FinetuneMethod.LoRA, Framework = Framework.Unsloth, BatchSize = 1, SequenceLength = sequence,
            };
            return MemoryEstimator.Estimate(w).Assumptions.Single(a => a.StartsWith("Unsloth's fused loss in "));
        }

        [Theory]
        // Qwen2.5's vocabulary is 151,936: 1,024 x 151,936 x 16 = 2.49e9 bytes fit 4 GiB (4.29e9) in one chunk;
        // 2,048 tokens need 4.98e9, 1.16 chunks, so the next multiple of 4.
        [InlineData(1024, 1)]
        [InlineData(2048, 4)]
        public void The_estimate_names_the_chunk_count(int sequence, int chunks) =>
            Assert.StartsWith($"Unsloth's fused loss in {chunks} chunk(s)", ChunkAssumption(sequence));

        [Fact]
        public void A_fused_linear_loss_names_no_chunks()
        {
            var w = new Workload(ModelCatalog.Default.Get("Qwen/Qwen2.5-1.5B"))
            {
                Method = FinetuneMethod.LoRA, Framework = Framework.Unsloth, Techniques = Techniques.FusedLinearLoss,
            };
            Assert.DoesNotContain(MemoryEstimator.Estimate(w).Assumptions, a => a.StartsWith("Unsloth's fused loss in "));
        }
    }
}
