using Xunit;

namespace VramPS.Engine.Tests.Fuzz
{
    /// <summary>
    /// Workloads drawn up to the extremes (int.MaxValue tokens, 100T parameters, rank 1e6, 100000 GPUs) give an estimate
    /// whose figures are positive, add up and are ordered, or an InvalidWorkloadException; never an overflow or a
    /// wrapped figure.
    /// </summary>
    public sealed class EstimatorFuzzTests
    {
        [Fact]
        public void Extreme_workloads_give_sound_figures_or_a_clean_refusal() =>
            FuzzHarness.Fuzz(FuzzTargets.Get("estimate", "."), FuzzSettings.Iterations, FuzzSettings.Seed);
    }
}
