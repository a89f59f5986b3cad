using System;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using VramPS.Engine.Errors;
using VramPS.Engine.Estimation;
using VramPS.Engine.Gpus;
using VramPS.Engine.Planning;

namespace VramPS.Engine.Tests.Properties
{
    /// <summary>GpusNeeded against the estimator itself, over workloads of every trainer and layout and GPUs of any size.</summary>
    public class GpuFitProperties
    {
        private const int Cases = 50;

        private static GpuSpec Gpu(long memory) => new GpuSpec
        {
            Name = "probe",
            Vendor = "Test",
            MemoryBytes = memory,
            SupportsBf16 = true,
            ContextBytes = 500L << 20,
        };

        /// <summary>A GPU between a fifth and one and a half times what the workload as given needs.</summary>
        private static Arbitrary<(Workload, GpuSpec, int)> Draws() =>
            (from w in WideWorkloadGen.Arbitrary().Generator
             from share in Gen.Choose(20, 150)
             from above in Gen.Choose(0, 40)
             select (w, Gpu(MemoryEstimator.Estimate(w).Total / 100 * share), above)).ToArbitrary();

        /// <summary>Whether the estimator says the workload fits the GPU at that count and sharding; false where it refuses the layout.</summary>
        private static bool Fits(Workload w, GpuSpec gpu, int gpus, Sharding sharding)
        {
            var probe = w.Clone();
            probe.GpuCount = gpus;
            probe.Sharding = sharding;
            probe.Gpu = gpu;
            try
            {
                return MemoryEstimator.Estimate(probe).Total <= gpu.MemoryBytes;
            }
            catch (InvalidWorkloadException)
            {
                return false;
            }
        }

        /// <summary>
        /// GpusNeeded fits; no smaller whole number of replicas does (with the workload's sharding, or for an unsharded
        /// workload one replica as given and Zero3 from two up); and any -MaxGpus from GpusNeeded up gives the same answer.
        /// </summary>
        [Property(MaxTest = Cases)]
        public Property GpusNeededIsTheFewestAndDoesNotDependOnTheLimit() => Prop.ForAll(Draws(), c =>
        {
            var (w, gpu, above) = c;
            var fit = GpuFitFinder.Assess(w, gpu);
            if (fit.GpusNeeded is not int n)
                return true.ToProperty();
            int replica = Parallelism.ModelParallelOf(w);
            var given = w.Sharding ?? Sharding.None;
            bool fewerFit = false;
            for (int m = replica; m < n; m += replica)
                fewerFit |= given == Sharding.None ? (m == replica ? Fits(w, gpu, m, given) : Fits(w, gpu, m, Sharding.Zero3)) : Fits(w, gpu, m, given);
            bool same = GpuFitFinder.Assess(w, gpu, n).GpusNeeded == n && GpuFitFinder.Assess(w, gpu, n + above).GpusNeeded == n;
            return (n % replica == 0 && Fits(w, gpu, n, fit.Sharding!.Value) && !fewerFit && same)
                .Label($"tp={w.TensorParallel} pp={w.PipelineParallel} ep={w.ExpertParallel} on {gpu.MemoryBytes}: GpusNeeded {n} with {fit.Sharding}");
        });
    }
}
