using System.Linq;
using VramPS.Engine.Estimation;
using VramPS.Engine.Frameworks;
using Xunit;

namespace VramPS.Engine.Tests.Estimation
{
    /// <summary>
    /// DeepSpeed ZeRO-3's parameter coordinator (deepspeedai/DeepSpeed@18179807f, v0.13.2,
    /// deepspeed/runtime/zero/partitioned_param_coordinator.py) replayed over small traces worked by hand. A block of
    /// three linears of 10, 20 and 30 elements and a head of 40; the trace is each block's forward, the head twice
    /// (forward, backward), then from the top block down, under checkpointing, each block's forward again and its
    /// backward. fetch_sub_module gathers the module, then prefetches the next parameters not available until it has
    /// asked for prefetch_bucket_sz elements (whole parameters, so one at least, none once max_live_parameters are
    /// available); release_sub_module keeps a module whose next use the prefetch has walked past, or that comes again
    /// before max_reuse_distance elements of the trace have been walked.
    /// </summary>
    public class Zero3CoordinatorTests
    {
        private static readonly double[] Block = { 10, 20, 30 };

        /// <summary>
        /// Reuse distance 55 without prefetch, under checkpointing: after its forward each linear's next use is past the
        /// head's 80 elements, released; the head's backward follows its forward at once, kept (40 at the head). Back in
        /// the recompute the last linear (30) runs backward next, kept; the first two see the rest of the block and its
        /// backward (50, 60 elements) before their own, released: the top block holds 30 at most. Without checkpointing
        /// (two blocks) the last linear sees the head twice (80) before its backward, released; each linear is gathered
        /// alone in backward, 30 at most.
        /// Reuse distance 0 with a one-element prefetch bucket over two blocks: every fetch prefetches the next module
        /// not available. The head's forward prefetches the top block's first linear (10) for its recompute, the head's
        /// backward the second (20): 40 + 10 + 20 = 70. In the recompute the prefetch walks past the backward uses of the
        /// second and third linears, so they stay, and brings the first back for its backward; at the third linear's
        /// backward the block below's first two are prefetched beside the top block's three: 10 + 20 + 30 + 10 + 20 = 90.
        /// Every module reused within the distance, max live 50, one block: the first linear (10) prefetches the second
        /// (20), which prefetches the third (30): 60, over 50, so nothing more is prefetched; the head is fetched beside
        /// them all, 100; after the head's backward releases it the block stays whole, 60.
        /// </summary>
        [Theory]
        [InlineData(1, true, 55, 1e9, 0, 40, 30)]
        [InlineData(2, false, 55, 1e9, 0, 40, 30)]
        [InlineData(2, true, 0, 1e9, 1, 70, 90)]
        [InlineData(1, true, 1e9, 50, 1, 100, 60)]
        public void The_coordinator_keeps_what_its_trace_reuses_and_prefetches(int blocks, bool recompute, double reuse, double maxLive, double bucket, double atHead, double atTop)
        {
            var g = Zero3Coordinator.Replay(Block, blocks, 40, recompute, reuse, maxLive, bucket);
            Assert.Equal(atHead, g.AtHead);
            Assert.Equal(atTop, g.AtTopBlock);
        }

        [Fact]
        public void DeepSpeed_profiles_take_the_stage3_settings_their_configs_give()
        {
            // deepspeed/runtime/zero/config.py: stage3_max_reuse_distance 1e9, stage3_max_live_parameters 1e9,
            // stage3_prefetch_bucket_size 5e7; DeepSpeed-Chat's get_train_ds_config sets live and prefetch to 3e7.
            var ds = FrameworkProfiles.Of(Framework.DeepSpeed);
            Assert.Equal(1_000_000_000, ds.Zero3ReuseDistance.Value);
            Assert.Equal(1_000_000_000, ds.Zero3MaxLiveParameters.Value);
            Assert.Equal(50_000_000, ds.Zero3PrefetchBucketElements.Value);
            var chat = FrameworkProfiles.Of(Framework.DeepSpeedChat);
            Assert.Equal(1_000_000_000, chat.Zero3ReuseDistance.Value);
            Assert.Equal(30_000_000, chat.Zero3MaxLiveParameters.Value);
            Assert.Equal(30_000_000, chat.Zero3PrefetchBucketElements.Value);
        }

        /// <summary>
        /// Llama-2-7B under DeepSpeed ZeRO-3 on 4 GPUs: the forward end and the top block's backward hold, beside the
        /// stored partitions (the step's weights), what the coordinator keeps of the top blocks' linears (q, k, v, o
        /// 4096 x 4096; gate, up 4096 x 11008; down 11008 x 4096, each a module) and the head (32000 x 4096), 2 bytes an
        /// element, 16-bit storage elements a quarter of a 4-bit linear's weights. 1e9 / 202,375,168 elements a block
        /// = 4 blocks within the reuse distance, plus two (the floor, and the prefetch): 6 replayed; quantized,
        /// 1e9 / 50,593,792 = 19 blocks, 21 replayed.
        /// </summary>
        [Theory]
        [InlineData(FinetuneMethod.LoRA, 1.0, 6)]
        [InlineData(FinetuneMethod.QLoRA, 0.25, 21)]
        public void Llama2_7b_holds_what_the_coordinator_keeps_of_its_top_blocks(FinetuneMethod method, double storagePerWeight, int blocks)
        {
            const double H = Llama2Fixture.Hidden, I = Llama2Fixture.Intermediate;
            var block = new[] { H * H, H * H, H * H, H * H, H * I, H * I, I * H }.Select(e => e * storagePerWeight).ToArray();
            var g = Zero3Coordinator.Replay(block, blocks, Llama2Fixture.Vocab * H, recompute: true, 1e9, 1e9, 5e7);
            var w = Llama2Fixture.Workload(method);
            w.Framework = Framework.DeepSpeed;
            w.GpuCount = 4;
            w.Sharding = Sharding.Zero3;
            if (method == FinetuneMethod.QLoRA) w.Quantization = Quantization.NF4;
            var phases = MemoryEstimator.Estimate(w).Phases;
            long stored = phases.Single(p => p.Phase == Phase.OptimizerStep).Weights;
            Assert.Equal(2 * g.AtHead, phases.Single(p => p.Phase == Phase.ForwardEnd).Weights - stored, 0);
            Assert.Equal(2 * g.AtTopBlock, phases.Single(p => p.Phase == Phase.BackwardTop).Weights - stored, 0);
        }
    }
}
