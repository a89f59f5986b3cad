using VramPS.Engine.Estimation;
using VramPS.Engine.Models;
using Xunit;

namespace VramPS.Engine.Tests.Estimation
{
    /// <summary>
    /// Megatron-LM replicates the routed experts only over the expert-data-parallel group and shards their gradients
    /// and optimizer states there: megatron/core/parallel_state.py initialize_model_parallel sets
    /// expert_data_parallel_size = world_size // (expert_tensor_parallel_size x expert_model_parallel_size x
    /// pipeline_model_parallel_size), and megatron/core/distributed/distributed_data_parallel.py allocates the expert
    /// parameters' gradient buffers (the ones the distributed optimizer shards) over get_expert_data_parallel_group().
    /// </summary>
    public class ExpertShardingTests
    {
        /// <summary>
        /// Mixtral-8x7B (config.json: hidden 4096, intermediate 14336, 32 layers, 8 experts): the routed experts hold
        /// 32 x 8 x 3 x 4096 x 14336 = 45,097,156,608 parameters; the rest of the 46,702,792,704 is 1,605,636,096.
        /// </summary>
        private const long Experts = 32L * 8 * 3 * 4096 * 14336;
        private const long Total = 46_702_792_704;
        private const long Dense = Total - Experts;

        private static TrainingMemoryEstimate Mixtral(int gpus) => MemoryEstimator.Estimate(new Workload(ModelCatalog.Default.Get("mistralai/Mixtral-8x7B-v0.1"))
        {
            Method = FinetuneMethod.Full,
            Framework = Framework.MegatronLM,
            Precision = Precision.Bf16Mixed,
            Optimizer = OptimizerKind.AdamW,
            GpuCount = gpus,
            ExpertParallel = 8,
            Sharding = Sharding.Zero1,
            SequenceLength = 4096,
        });

        [Fact]
        public void Expert_count_is_the_published_split()
        {
            Assert.Equal(45_097_156_608, Experts);
            Assert.Equal(Total, ModelCatalog.Default.Get("mistralai/Mixtral-8x7B-v0.1").TotalParameters);
        }

        /// <summary>
        /// Issue #11 case 4: 8 GPUs, EP 8: the expert-data-parallel group is 8 / 8 = 1, so each rank keeps the fp32 master
        /// copy and both Adam moments (12 bytes) of its own 1/8 of the experts whole, and 1/8 of the rest:
        /// 12 x (1,605,636,096 / 8 + 45,097,156,608 / 8) = 12 x 5,837,849,088 = 70,054,189,056 bytes (65.24 GiB; it was
        /// 10.1 GiB). Across the 8 ranks that is 12 bytes for each of the 46.7B parameters, as it must be.
        /// </summary>
        [Fact]
        public void Eight_gpus_at_expert_parallel_eight_keep_each_experts_states_whole()
        {
            var e = Mixtral(8);
            Assert.Equal(12 * (Dense / 8 + Experts / 8), e.OptimizerStates);
            Assert.Equal(12 * Total, 8 * e.OptimizerStates);
        }

        /// <summary>16 GPUs, EP 8: experts over 16 / 8 = 2 ranks, the rest over 16: 12 x (1,605,636,096 / 16 + 45,097,156,608 / 16) = 35,027,094,528.</summary>
        [Fact]
        public void Sixteen_gpus_shard_the_experts_over_two_ranks()
        {
            var e = Mixtral(16);
            Assert.Equal(12 * (Dense / 16 + Experts / 8 / 2), e.OptimizerStates);
            Assert.Equal(35_027_094_528, e.OptimizerStates);
        }
    }
}
