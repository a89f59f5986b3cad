using System.Linq;
using VramPS.Engine.Estimation;
using Xunit;

namespace VramPS.Engine.Tests.Estimation
{
    /// <summary>
    /// torch FSDP1 (pytorch/pytorch torch/distributed/fsdp/_flat_param.py, _use_unsharded_views and
    /// _get_unflat_views_aligned): during forward each parameter of a unit is a view of torch.split over the unit's
    /// flat parameter, so autograd's split_with_sizes_backward gathers the unit's gradients and concatenates them into
    /// one flat gradient only once the last has arrived. The root unit (embedding, final norm, head) gets its head
    /// gradient at the first op of backward and its embedding gradient at the last: the head's unsharded gradient is
    /// held through the whole backward, and at its end the two gradients and their concatenation are resident at once,
    /// while every block is already resharded. Lightning's FSDPStrategy (litgpt) and accelerate use FSDP1; torchtune's
    /// FSDP2 (fully_shard) keeps one DTensor per parameter and has no such concatenation.
    /// Llama-2-7B (Llama2Fixture): P = 6,738,415,616; embedding and head 32000 x 4096 = 131,072,000 each.
    /// </summary>
    public class FsdpFlatRootGradientTests
    {
        private const long P = Llama2Fixture.Parameters;
        private const long Table = Llama2Fixture.Vocab * Llama2Fixture.Hidden;

        private static PhaseMemory At(Framework framework, int accumulation, Phase phase)
        {
            var w = Llama2Fixture.Workload(FinetuneMethod.Full);
            w.Framework = framework;
            w.GpuCount = 4;
            w.Sharding = Sharding.Zero3;
            w.GradientAccumulation = accumulation;
            return MemoryEstimator.Estimate(w).Phases.Single(p => p.Phase == phase);
        }

        [Fact]
        public void Litgpt_backward_end_holds_the_root_units_gradients_and_their_concatenation_beside_the_sharded_ones()
        {
            var end = At(Framework.Litgpt, 1, Phase.BackwardEnd);
            // bf16: sharded gradients 2P/4, plus head and embedding gradients (2 x 131,072,000 x 2 B) and their
            // concatenation into the root's flat gradient (the same again).
            Assert.Equal(2 * P / 4 + 2 * (2 * Table * 2), end.Gradients);
            // Blocks resharded: the sharded bf16 weights (2P/4) and the gathered root unit (2 x 131,072,000 x 2 B).
            Assert.Equal(2 * P / 4 + 2 * Table * 2, end.Weights);
        }

        [Fact]
        public void Litgpt_no_sync_accumulation_adds_the_concatenation_to_every_unsharded_gradient()
        {
            // Lightning's no_sync keeps the unsharded flat gradients of every unit (2P) while accumulating.
            Assert.Equal(2 * P + 2 * (2 * Table * 2), At(Framework.Litgpt, 4, Phase.BackwardEnd).Gradients);
        }

        [Fact]
        public void The_head_gradient_waits_unsharded_from_backward_start()
        {
            Assert.Equal(2 * Table, At(Framework.Litgpt, 1, Phase.BackwardStart).Gradients);
            // FSDP2: the head's gradient is its own sharded tensor after its reduce-scatter.
            Assert.Equal(2 * Table / 4, At(Framework.Torchtune, 1, Phase.BackwardStart).Gradients);
        }
    
        /// <summary>
        /// Under CPUOffload FSDP1 copies each reduce-scattered gradient shard to the host (_runtime_utils.py
        /// _offload_grad), but no_sync skips the reduce-scatter: the unsharded flat gradients accumulate on the GPU
        /// (_post_backward_hook returns before _reduce_grad while not syncing). Litgpt's accumulation with offload keeps
        /// 2P of bf16 gradients at the end of backward, as without offload.
        /// </summary>
        [Fact]
        public void Litgpt_no_sync_gradients_stay_on_the_gpu_under_offload()
        {
            var w = Llama2Fixture.Workload(FinetuneMethod.Full);
            w.Framework = Framework.Litgpt;
            w.GpuCount = 4;
            w.Sharding = Sharding.Zero3;
            w.Offload = Offload.OptimizerAndParameters;
            w.GradientAccumulation = 4;
            Assert.Equal(2 * P + 2 * (2 * Table * 2), MemoryEstimator.Estimate(w).Phases.Single(p => p.Phase == Phase.BackwardEnd).Gradients);
        }
    }
}
