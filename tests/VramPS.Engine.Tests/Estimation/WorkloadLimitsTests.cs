using VramPS.Engine.Errors;
using VramPS.Engine.Estimation;
using Xunit;

namespace VramPS.Engine.Tests.Estimation
{
    /// <summary>The bounds past which a workload is refused rather than estimated with figures that could overflow.</summary>
    public sealed class WorkloadLimitsTests
    {
        [Theory]
        [InlineData(1, 1 << 28, true)]
        [InlineData(2, 1 << 27, true)]
        [InlineData(1, (1 << 28) + 1, false)]
        [InlineData(int.MaxValue, int.MaxValue, false)]
        public void Tokens_per_micro_batch_are_at_most_2_to_the_28(int batch, int sequence, bool estimated)
        {
            var w = Llama2Fixture.Workload(FinetuneMethod.LoRA);
            w.BatchSize = batch;
            w.SequenceLength = sequence;
            w.Checkpointing = Checkpointing.Full;
            if (estimated)
            {
                Assert.True(MemoryEstimator.Estimate(w).Total > 0);
                return;
            }
            var e = Assert.Throws<InvalidWorkloadException>(() => MemoryEstimator.Estimate(w));
            Assert.Equal("BatchSize", e.Parameter);
            Assert.Contains("268,435,456 tokens", e.Message);
        }

        [Fact]
        public void LoRA_rank_is_at_most_2_to_the_20()
        {
            var w = Llama2Fixture.Workload(FinetuneMethod.LoRA);
            w.LoraRank = ResolvedRecipe.MaxLoraRank;
            Assert.True(MemoryEstimator.Estimate(w).Total > 0);
            w.LoraRank = ResolvedRecipe.MaxLoraRank + 1;
            Assert.Equal("LoraRank", Assert.Throws<InvalidWorkloadException>(() => MemoryEstimator.Estimate(w)).Parameter);
        }

        /// <summary>
        /// torchtune's recipes raise "Gradient accumulation is not supported with optimizer in bwd": a parameter stepped
        /// during backward keeps no gradient to add the next micro-batch's to. Estimating it anyway gave a figure that fell
        /// as accumulation grew (litgpt FSDP's unsharded no_sync gradients cut to one tensor).
        /// </summary>
        [Fact]
        public void Optimizer_in_backward_refuses_gradient_accumulation()
        {
            var w = Llama2Fixture.Workload(FinetuneMethod.Full);
            w.Techniques = Techniques.OptimizerInBackward;
            Assert.True(MemoryEstimator.Estimate(w).Total > 0);
            w.GradientAccumulation = 2;
            var e = Assert.Throws<InvalidWorkloadException>(() => MemoryEstimator.Estimate(w));
            Assert.Equal("GradientAccumulation", e.Parameter);
            Assert.Contains("-GradientAccumulation 1", e.Message);
        }
    }
}
