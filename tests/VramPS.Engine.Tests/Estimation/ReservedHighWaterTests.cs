using System;
using System.Linq;
using VramPS.Engine.Estimation;
using VramPS.Engine.Models;
using Xunit;

namespace VramPS.Engine.Tests.Estimation
{
    /// <summary>
    /// Reserved is what PyTorch's caching allocator holds after a step (max_memory_reserved): it keeps every segment it
    /// has cudaMalloc'ed, so the phase that needs the most sets it, whichever phase has the most allocated.
    /// </summary>
    public class ReservedHighWaterTests
    {
        private const long MiB = 1L << 20;

        private static Workload Gemma(int batch) => new Workload(ModelCatalog.Default.Get("google/gemma-2-2b"))
        {
            Method = FinetuneMethod.Full,
            Optimizer = OptimizerKind.SGD,
            GradientAccumulation = 4,
            SequenceLength = 128,
            Checkpointing = Checkpointing.None,
            BatchSize = batch,
        };

        /// <summary>
        /// By hand from the allocator model: at each phase it holds Allocated plus a tenth of that phase's activation and
        /// logits churn (Activations + Other); the step's high-water mark is the largest of those; each of the 26 layers
        /// adds half a 2 MiB block of rounding (1 MiB). Nothing is gathered on another stream (no FSDP).
        /// </summary>
        [Theory]
        [InlineData(1)]
        [InlineData(3)]
        public void Reserved_is_the_high_water_mark_of_every_phase(int batch)
        {
            var e = MemoryEstimator.Estimate(Gemma(batch));
            long highWater = e.Phases.Max(p => p.Allocated + (p.Activations + p.Other) / 10);
            Assert.Equal(highWater + 26 * MiB, e.Reserved);
        }

        /// <summary>
        /// A block the optimizer step freed and cannot reuse is added at the step only: by hand, backward holds 30 GiB
        /// allocated with 4 GiB of activations (30 + 0.4), the step 32 GiB with 6 GiB of temporaries (32 + 0.6) and a
        /// cached 2 GiB block (34.6); 10 layers add 10 MiB of rounding, 1 GiB is gathered on another stream.
        /// </summary>
        [Fact]
        public void A_block_the_step_cannot_reuse_counts_at_the_step_only()
        {
            const long GiB = 1L << 30;
            var phases = new[]
            {
                new PhaseMemory(Phase.BackwardTop, 10 * GiB, 4 * GiB, 12 * GiB, 4 * GiB, 0),
                new PhaseMemory(Phase.OptimizerStep, 10 * GiB, 4 * GiB, 12 * GiB, 0, 6 * GiB),
            };
            long expected = 32 * GiB + 6 * GiB / 10 + 2 * GiB + 10 * MiB + GiB;
            Assert.Equal(expected, RuntimeMemory.Reserved(phases, _ => 0, 10, GiB, stepCache: 2 * GiB));
            Assert.Equal(expected - 2 * GiB, RuntimeMemory.Reserved(phases, _ => 0, 10, GiB));
        }

        /// <summary>
        /// Issue #11 case 1: Totals were 43.32, 43.32, 42.75, 43.86 GB for batches 1 to 4 (batch 3 fit an A100-40GB where
        /// batch 1 did not). Batch 1 peaks at the optimizer step, batch 3 at the start of backward; batch 3's optimizer step
        /// is batch 1's, so its high-water mark can be no lower.
        /// </summary>
        [Fact]
        public void Gemma_totals_never_fall_as_the_batch_grows()
        {
            var totals = Enumerable.Range(1, 4).Select(b => MemoryEstimator.Estimate(Gemma(b))).ToArray();
            Assert.Equal(Phase.OptimizerStep, totals[0].PeakPhase);
            Assert.Equal(Phase.BackwardStart, totals[2].PeakPhase);
            for (int i = 1; i < totals.Length; i++) Assert.True(totals[i].Total >= totals[i - 1].Total, $"batch {i + 1}: {totals[i].Total} < {totals[i - 1].Total}");
        }

        /// <summary>
        /// Issue #11 case 1, second form: per-GPU Total rose from 8 to 16 GPUs (28.09 to 29.33 GB) because the peak moved
        /// from the end of backward to its top block. Sixteen GPUs hold half the sharded weights of eight at every phase
        /// and the same activations, so no phase of 16 needs more than the same phase of 8.
        /// </summary>
        [Fact]
        public void Olmo_zero_three_total_never_rises_from_8_to_16_gpus()
        {
            TrainingMemoryEstimate On(int gpus) => MemoryEstimator.Estimate(new Workload(ModelCatalog.Default.Get("allenai/OLMo-2-0325-32B"))
            {
                Method = FinetuneMethod.Full,
                BatchSize = 5,
                SequenceLength = 137,
                Offload = Offload.OptimizerAndParameters,
                Sharding = Sharding.Zero3,
                GpuCount = gpus,
            });
            var eight = On(8);
            var sixteen = On(16);
            Assert.True(sixteen.Total <= eight.Total, $"16 GPUs {sixteen.Total} > 8 GPUs {eight.Total}");
            foreach (var phase in sixteen.Phases)
            {
                var same = eight.Phases.Single(p => p.Phase == phase.Phase);
                Assert.True(phase.Allocated <= same.Allocated, $"{phase.Phase}: {phase.Allocated} > {same.Allocated}");
            }
        }
    }
}
