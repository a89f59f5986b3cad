using System.Linq;
using VramPS.Engine.Estimation;
using Xunit;

namespace VramPS.Engine.Tests.Estimation
{
    /// <summary>How each trainer reduces gradients across data-parallel ranks without ZeRO.</summary>
    public class DataParallelGradientTests
    {
        private const long P = Llama2Fixture.Parameters;

        private static PhaseMemory BackwardEnd(Framework framework, int gpus)
        {
            var w = Llama2Fixture.Workload(FinetuneMethod.Full);
            w.Precision = Precision.Bf16Mixed;
            w.Framework = framework;
            w.GpuCount = gpus;
            return MemoryEstimator.Estimate(w).Phases.Single(p => p.Phase == Phase.BackwardEnd);
        }

        /// <summary>
        /// Issue #11 case 8. DeepSpeed without ZeRO (stage 0) holds 16-bit weights (2), fp32 gradients (4), and an fp32
        /// master copy with two Adam moments (12): 18 bytes per parameter on one GPU. On several it does not wrap the
        /// model in torch DDP: deepspeed/runtime/engine.py allreduce_gradients calls
        /// buffered_allreduce_fallback(elements_per_buffer=500000000), which flattens one bucket of at most 5e8 16-bit
        /// gradients at a time (allreduce_and_copy). So two GPUs hold 18 x P + 5e8 x 2 bytes, not a second copy of
        /// every gradient (it was 22.15 bytes per parameter).
        /// </summary>
        [Fact]
        public void DeepSpeed_stage_zero_adds_its_bucket_and_no_ddp_copy()
        {
            Assert.Equal(18 * P, BackwardEnd(Framework.DeepSpeed, 1).Allocated);
            var two = BackwardEnd(Framework.DeepSpeed, 2);
            Assert.Equal(4 * P, two.Gradients);
            Assert.Equal(18 * P + 500_000_000L * 2, two.Allocated);
        }

        /// <summary>
        /// torch DDP (the Trainer's default, gradient_as_bucket_view=False) keeps its reduce buckets beside param.grad:
        /// a second fp32 copy of every gradient, 4 + 4 bytes per parameter on two GPUs.
        /// </summary>
        [Fact]
        public void Torch_ddp_keeps_a_bucket_copy_of_every_gradient()
        {
            Assert.Equal(8 * P, BackwardEnd(Framework.HfTrainer, 2).Gradients);
        }
    }
}
