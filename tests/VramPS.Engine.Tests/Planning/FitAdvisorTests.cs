using System.Linq;
using VramPS.Engine.Estimation;
using VramPS.Engine.Gpus;
using VramPS.Engine.Planning;
using VramPS.Engine.Tests.Estimation;
using Xunit;

namespace VramPS.Engine.Tests.Planning
{
    /// <summary>
    /// The advisor against the estimator: each suggestion's Total and Saves are the estimates of its own changed
    /// workload, its slowdown the ratio of executed FLOPs (TrainingFlops) where only FLOPs change.
    /// </summary>
    public class FitAdvisorTests
    {
        private const long GiB = 1L << 30;

        private static GpuSpec Gpu(long memory) => new GpuSpec { Name = "test", MemoryBytes = memory, DenseTflops16 = 1000, ContextBytes = 500L << 20, SupportsBf16 = true };

        /// <summary>Llama-2-7B in pure bf16 at 8 x 4096 tokens: the saved activations bind, not the optimizer step.</summary>
        private static Workload Full()
        {
            var w = Llama2Fixture.Workload(FinetuneMethod.Full);
            w.Checkpointing = Checkpointing.None;
            w.BatchSize = 8;
            w.SequenceLength = 4096;
            return w;
        }

        private static long TotalOn(Workload w, GpuSpec gpu)
        {
            var copy = w.Clone();
            copy.Gpu = gpu;
            return MemoryEstimator.Estimate(copy).Total;
        }

        [Fact]
        public void Each_suggestion_is_the_estimate_of_its_changed_workload()
        {
            var w = Full();
            var gpu = Gpu(TotalOn(w, Gpu(1000 * GiB)) * 9 / 10);
            long before = TotalOn(w, gpu);
            var suggestions = FitAdvisor.Suggest(w, gpu);

            Assert.NotEmpty(suggestions);
            foreach (var s in suggestions)
            {
                long after = TotalOn(s.Workload, gpu);
                Assert.Equal(after, s.Total);
                Assert.Equal(before - after, s.Saves);
                Assert.True(s.Saves > 0);
                Assert.Equal(after <= gpu.MemoryBytes, s.Fits);
            }
            var eightBit = suggestions.Single(s => s.Kind == SuggestionKind.Optimizer);
            Assert.Equal(OptimizerKind.AdamW8bit, eightBit.Workload.Optimizer);
        }

        [Fact]
        public void Suggestions_come_by_what_they_save_and_none_saves_under_one_percent()
        {
            var w = Full();
            var gpu = Gpu(TotalOn(w, Gpu(1000 * GiB)) / 2);
            long total = TotalOn(w, gpu);
            var suggestions = FitAdvisor.Suggest(w, gpu);

            Assert.NotEmpty(suggestions);
            var saves = suggestions.Select(s => s.Saves).ToList();
            Assert.Equal(saves.OrderByDescending(x => x), saves);
            Assert.All(suggestions, s => Assert.True(s.Saves * 100 >= total));
        }

        [Fact]
        public void Loss_techniques_and_shorter_sequences_are_offered()
        {
            var w = Full();
            var gpu = Gpu(TotalOn(w, Gpu(1000 * GiB)) * 9 / 10);
            var suggestions = FitAdvisor.Suggest(w, gpu);

            var fused = suggestions.Single(s => s.Change == "Techniques None -> FusedLinearLoss");
            Assert.Equal(SuggestionKind.Loss, fused.Kind);
            var sequence = suggestions.Single(s => s.Kind == SuggestionKind.SequenceLength);
            int length = sequence.Workload.SequenceLength!.Value;
            Assert.Contains(length, new[] { 2048, 1024, 512, 256 });
            Assert.True(sequence.Fits);
            // The next halving up, when it is not the run's own length, does not fit.
            var longer = w.Clone();
            longer.SequenceLength = 2 * length;
            Assert.True(2 * length == 4096 || TotalOn(longer, gpu) > gpu.MemoryBytes);
        }

        [Fact]
        public void The_cheapest_change_keeps_the_training_and_fits()
        {
            var w = Full();
            var suggestions = FitAdvisor.Suggest(w, Gpu(TotalOn(w, Gpu(1000 * GiB)) * 9 / 10));
            var cheapest = FitAdvisor.Cheapest(suggestions)!;
            Assert.True(cheapest.Fits);
            Assert.NotEqual(SuggestionKind.Method, cheapest.Kind);
            Assert.NotEqual(SuggestionKind.SequenceLength, cheapest.Kind);
            Assert.DoesNotContain(suggestions, s => s.Fits && s.Kind != SuggestionKind.Method && s.Kind != SuggestionKind.SequenceLength
                && System.Math.Round(s.Slowdown, 6) < System.Math.Round(cheapest.Slowdown, 6));
        }

        [Fact]
        public void Checkpointing_costs_its_recomputed_FLOPs()
        {
            var w = Full();
            var full = FitAdvisor.Suggest(w, Gpu(TotalOn(w, Gpu(1000 * GiB)) / 2)).Single(s => s.Change == "Checkpointing None -> Full");
            var changed = w.Clone();
            changed.Checkpointing = Checkpointing.Full;
            Assert.Equal(new TrainingFlops(changed).PerToken / new TrainingFlops(w).PerToken, full.Slowdown, 12);
            Assert.True(full.Slowdown > 1.3 && full.Slowdown < 1.4);
        }

        [Fact]
        public void A_smaller_micro_batch_keeps_the_tokens_per_step()
        {
            var w = Full();
            var micro = FitAdvisor.Suggest(w, Gpu(TotalOn(w, Gpu(1000 * GiB)) * 9 / 10)).Single(s => s.Kind == SuggestionKind.MicroBatch);
            Assert.Equal(8, micro.Workload.BatchSize!.Value * micro.Workload.GradientAccumulation!.Value);
            Assert.Equal(1.0, micro.Slowdown, 12);
        }

        [Fact]
        public void When_no_single_change_fits_they_are_combined_until_it_does()
        {
            var w = Full();
            w.BatchSize = 1;
            var gpu = Gpu(TotalOn(w, Gpu(1000 * GiB)) / 3);
            var suggestions = FitAdvisor.Suggest(w, gpu);

            Assert.DoesNotContain(suggestions, s => s.Fits && s.Kind != SuggestionKind.Method && s.Kind != SuggestionKind.SequenceLength && s.Kind != SuggestionKind.Combined);
            var combined = suggestions.Single(s => s.Kind == SuggestionKind.Combined);
            Assert.True(combined.Fits);
            Assert.Contains(" + ", combined.Change);
            Assert.Equal(TotalOn(combined.Workload, gpu), combined.Total);
        }

        [Fact]
        public void Review_attaches_time_and_suggests_only_when_it_does_not_fit()
        {
            var w = Full();
            var roomy = FitAdvisor.Review(w, Gpu(1000 * GiB), new RunSettings());
            Assert.True(roomy.Fits);
            Assert.Empty(roomy.Suggestions);
            Assert.NotNull(roomy.Run);

            var tight = FitAdvisor.Review(w, Gpu(roomy.Total / 2), new RunSettings());
            Assert.False(tight.Fits);
            Assert.NotEmpty(tight.Suggestions);
        }

        [Fact]
        public void Offload_counts_its_host_traffic()
        {
            var w = Full();
            var offload = FitAdvisor.Suggest(w, Gpu(TotalOn(w, Gpu(1000 * GiB)) / 2)).Single(s => s.Change == "Offload None -> Optimizer");
            Assert.True(offload.Slowdown > 1);
            Assert.Contains("PCIe", offload.SlowdownBasis);
        }
    }
}
