using System.Linq;
using VramPS.Engine.Estimation;
using VramPS.Engine.Frameworks;
using VramPS.Engine.Models;
using Xunit;

namespace VramPS.Engine.Tests.Estimation
{
    /// <summary>
    /// torch FSDP2 (2.5.1, and main at 010ae4a) allocates each unit's reduce-scatter input on the default stream, kept
    /// until the next unit reduces (FSDPCommContext.reduce_scatter_state), and the sharded gradients on the
    /// reduce-scatter stream, whose pool the default stream cannot use (_fsdp_collectives.py foreach_reduce); the root
    /// unit reduces from backward's final callback; torchtitan runs the allocator with expandable segments
    /// (run_llama_train.sh@9dec370). Figures by hand for Llama 3.1 8B (config.json: vocabulary 128256, hidden 4096,
    /// 32 blocks of 4096 x (4096 + 1024 + 1024 + 4096) attention and 3 x 4096 x 14336 MLP weights and two 4096 norms,
    /// untied head): 8,030,261,248 parameters.
    /// </summary>
    public class ReduceScatterPoolTests
    {
        private const long MiB = 1L << 20;
        private const long Parameters = 8_030_261_248;
        /// <summary>Embedding and head, 128256 x 4096 each.</summary>
        private const long RootParameters = 2 * 128_256L * 4096;
        /// <summary>One block: 41,943,040 attention, 176,160,768 MLP, 8,192 norm weights.</summary>
        private const long BlockParameters = 41_943_040 + 176_160_768 + 8_192;

        /// <summary>Table 1 of benchmarks/llama3_h100_202412_torchtitan.md: FSDP over 8 (or 128) GPUs, local batch 2, 8192 tokens, op-level SAC.</summary>
        private static TrainingMemoryEstimate Titan(int gpus, Techniques techniques) => MemoryEstimator.Estimate(
            new Workload(ModelCatalog.Default.Get("meta-llama/Llama-3.1-8B"))
            {
                Framework = Framework.Torchtitan, Precision = Precision.Bf16Mixed, GpuCount = gpus, Sharding = Sharding.Zero3,
                BatchSize = 2, SequenceLength = 8192, Checkpointing = Checkpointing.Selective, Attention = AttentionKernel.Sdpa,
                Techniques = techniques,
            });

        [Theory]
        [InlineData(8, Techniques.None)]
        [InlineData(8, Techniques.Compile)]
        [InlineData(128, Techniques.None)]
        [InlineData(128, Techniques.Compile)]
        public void Reserved_adds_the_idle_gradient_pool_the_stranded_logits_and_the_gather_pool(int gpus, Techniques techniques)
        {
            var e = Titan(gpus, techniques);
            Assert.Equal(Phase.BackwardStart, e.PeakPhase);
            // The loss's backward, before any gradient is reduced: the fp32 sharded gradients of the last step
            // (4 bytes x parameters / gpus) sit freed in the reduce-scatter pool, less the head's shard (4 x 128256 x 4096
            // / gpus) the phase already counts; no reduce-scatter input exists yet (each is allocated on the default
            // stream when its unit reduces). Below the saved log-softmax the freed bf16 logits (2 x 16384 tokens x 128256)
            // and their fp32 copy leave a hole that holds one of the two fp32 gradients, so the bf16 logits' 2 bytes stay
            // unused. The all-gather pool holds the root unit and two blocks in bf16; 32 blocks of 1 MiB rounding; with
            // expandable segments no tenth of the churn.
            long idleGradients = 4 * Parameters / gpus - 4 * (RootParameters / 2) / gpus;
            long strandedLogits = 2L * 2 * 8192 * 128_256;
            long gatherPool = 2 * (RootParameters + 2 * BlockParameters);
            var peak = e.Phases.Single(p => p.Phase == Phase.BackwardStart);
            Assert.Equal(peak.Allocated + idleGradients + strandedLogits + gatherPool + 32 * MiB, e.Reserved);
        }

        [Fact]
        public void A_blocks_backward_holds_its_bf16_gradients_beside_the_previous_units_fp32_input_and_the_roots_head_gradient()
        {
            var e = Titan(8, Techniques.None);
            // A block's backward: its unsharded gradients in bf16 (2 bytes) beside the previous block's reduce-scatter
            // input in fp32 (4 bytes), 218,112,000 parameters each; the head's unsharded bf16 gradient (128256 x 4096 x 2)
            // waits in the root unit until backward ends. No gradient of an earlier micro-batch.
            var top = e.Phases.Single(p => p.Phase == Phase.BackwardTop);
            Assert.Equal(6 * BlockParameters + 2 * (RootParameters / 2), top.Gradients);
            // Backward's final callback reduces the root: its unsharded bf16 gradients and their fp32 reduce-scatter
            // input (2 + 4 bytes x 1,050,673,152) beside every other unit's fp32 shard (4 x 8,030,261,248 / 8), the root
            // resharded first, so only the fp32 shards of the parameters (4 x 8,030,261,248 / 8).
            var end = e.Phases.Single(p => p.Phase == Phase.BackwardEnd);
            Assert.Equal(4 * Parameters / 8 + 6 * RootParameters, end.Gradients);
            Assert.Equal(4 * Parameters / 8, end.Weights);
        }

        [Fact]
        public void The_pool_of_sharded_gradients_shrinks_with_the_ranks_that_shard_them()
        {
            // Every term but the sharded ones is alike on 8 and 128 GPUs: fp32 parameters and AdamW's two states (12 bytes)
            // and the gradients, idle in their pool or the head's shard the start of backward holds (4), per parameter,
            // divided by 8 or by 128.
            long Shards(int gpus) => 16 * Parameters / gpus;
            Assert.Equal(Shards(8) - Shards(128), Titan(8, Techniques.None).Reserved - Titan(128, Techniques.None).Reserved);
        }

        private static StepLayout Layout(Workload w)
        {
            var r = new ResolvedRecipe(w);
            var t = new TrainerBehavior(r);
            var stage = r.Parallel.Stages[0];
            var budget = new ParameterBudget(r, t, stage);
            var layout = new StepLayout(r, t, budget, new ModelStateMemory(r, t, budget), new ActivationMemory(r, t, stage), new System.Collections.Generic.List<string>());
            layout.Phases();
            return layout;
        }

        [Fact]
        public void Torchtune_full_training_under_fsdp2_keeps_its_bf16_gradients_in_the_pool_and_adapters_none()
        {
            // torchtune shards with the same fully_shard; its full-finetune model is bf16, so a block's backward holds its
            // bf16 gradients beside the previous block's bf16 reduce-scatter input (2 + 2 bytes x 218,112,000), and the
            // pool keeps the sharded gradients, 2 x 8,030,261,248 / 4, idle through forward and in use once backward ends.
            var w = new Workload(ModelCatalog.Default.Get("meta-llama/Llama-3.1-8B"))
            {
                Framework = Framework.Torchtune, Precision = Precision.Bf16, GpuCount = 4, Sharding = Sharding.Zero3, BatchSize = 1, SequenceLength = 2048,
                Techniques = Techniques.ChunkedLoss,
            };
            var full = Layout(w);
            Assert.Equal(2 * Parameters / 4, full.CachedUnused(Phase.ForwardEnd));
            Assert.Equal(0, full.CachedUnused(Phase.BackwardEnd));
            var top = MemoryEstimator.Estimate(w).Phases.Single(p => p.Phase == Phase.BackwardTop);
            Assert.Equal(4 * BlockParameters + 2 * (RootParameters / 2), top.Gradients);
            // LoRA reduce-scatters only adapter gradients; VramPS counts no pool for them.
            w.Method = FinetuneMethod.LoRA;
            var lora = Layout(w);
            Assert.Equal(0, lora.CachedUnused(Phase.ForwardEnd));
        }

        [Fact]
        public void The_allocator_assumption_is_stated()
        {
            Assert.Contains(FrameworkProfiles.Of(Framework.Torchtitan).ExpandableSegments.Assumption, Titan(8, Techniques.Compile).Assumptions);
        }

        [Fact]
        public void Without_expandable_segments_a_tenth_of_the_churn_stays_and_idle_bytes_add_to_their_phase()
        {
            // Two phases by hand: 10 GiB allocated of which 6 GiB activations and 2 GiB loss buffers, then 12 GiB with
            // nothing churning; 3 GiB idle on another stream in the first phase only; 4 tensors alive, 1 GiB pools.
            const long GiB = 1L << 30;
            var phases = new[]
            {
                new PhaseMemory(Phase.BackwardStart, GiB, 0, GiB, 6 * GiB, 2 * GiB),
                new PhaseMemory(Phase.OptimizerStep, 6 * GiB, 2 * GiB, 4 * GiB, 0, 0),
            };
            long Idle(Phase p) => p == Phase.BackwardStart ? 3 * GiB : 0;
            Assert.Equal(10 * GiB + 8 * GiB / 10 + 3 * GiB + 4 * MiB + GiB, RuntimeMemory.Reserved(phases, _ => 0, 4, GiB, Idle, false));
            Assert.Equal(13 * GiB + 4 * MiB + GiB, RuntimeMemory.Reserved(phases, _ => 0, 4, GiB, Idle, true));
        }
    }
}
