using VramPS.Engine.Errors;
using VramPS.Engine.Estimation;
using Xunit;

namespace VramPS.Engine.Tests.Estimation
{
    /// <summary>Host RAM per node on the Llama-2-7B example: the ranks of a node times what each keeps on the host.</summary>
    public class HostMemoryTests
    {
        private const long P = Llama2Fixture.Parameters;
        private const long Tokens = 512;
        /// <summary>input_ids, labels and attention_mask as int64, loaded and pinned.</summary>
        private const long LoaderPerToken = 3 * 8 * 2;

        [Fact]
        public void One_gpu_without_offload_needs_only_its_loaders_batch()
        {
            var e = MemoryEstimator.Estimate(Llama2Fixture.Workload(FinetuneMethod.Full));
            Assert.Equal(LoaderPerToken * Tokens, e.HostMemory);
            Assert.Equal(1, e.Nodes);
        }

        [Fact]
        public void Offloaded_states_count_once_per_rank_on_the_node()
        {
            var w = Llama2Fixture.Workload(FinetuneMethod.Full);
            w.GpuCount = 16;
            w.GpusPerNode = 4;
            w.Sharding = Sharding.Zero3;
            w.Offload = Offload.Optimizer;
            var e = MemoryEstimator.Estimate(w);

            // Pure bf16 AdamW: states 4 B and gradients 2 B per parameter, sharded over 16 ranks; 4 ranks per node.
            Assert.Equal(4 * ((4 * P + 2 * P) / 16 + LoaderPerToken * Tokens), e.HostMemory);
            Assert.Equal(4, e.Nodes);
            Assert.Equal(4, e.GpusPerNode);
        }

        [Fact]
        public void GpusPerNode_below_one_is_an_invalid_workload()
        {
            var w = Llama2Fixture.Workload(FinetuneMethod.Full);
            w.GpusPerNode = 0;
            Assert.Equal("GpusPerNode", Assert.Throws<InvalidWorkloadException>(() => MemoryEstimator.Estimate(w)).Parameter);
        }
    }
}
