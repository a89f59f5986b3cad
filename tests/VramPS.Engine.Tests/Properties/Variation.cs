using System;
using FsCheck;
using FsCheck.Fluent;
using VramPS.Engine.Estimation;

namespace VramPS.Engine.Tests.Properties
{
    /// <summary>Estimates of a workload and of a copy with one setting changed, for the property tests.</summary>
    internal static class Variation
    {
        public static TrainingMemoryEstimate Est(Workload w) => MemoryEstimator.Estimate(w);

        public static Workload With(Workload w, Action<Workload> change)
        {
            var copy = w.Clone();
            change(copy);
            return copy;
        }

        /// <summary>
        /// Under pipeline parallelism the figures are those of the stage whose GPU needs the most (Total); its Allocated
        /// need not be the larger stage's, so only Total is compared there.
        /// </summary>
        public static bool OneStage(Workload w) => (w.PipelineParallel ?? 1) == 1;

        /// <summary>Neither what the device shows (Reserved is the step's high-water mark) nor, on one stage, what is allocated at the peak may fall.</summary>
        public static Property NotLower(Workload w, Workload larger)
        {
            if (!WideWorkloadGen.Estimable(larger)) return true.ToProperty();
            TrainingMemoryEstimate small = Est(w), large = Est(larger);
            return (large.Total >= small.Total && (!OneStage(w) || large.Allocated >= small.Allocated))
                .Label($"{w.Stage} tp={w.TensorParallel} pp={w.PipelineParallel} ep={w.ExpertParallel} cp={w.ContextParallel} sp={w.SequenceParallel}: Allocated {small.Allocated} -> {large.Allocated}, Total {small.Total} -> {large.Total}");
        }
    }
}
