using System;
using System.Collections.Generic;
using System.Linq;
using VramPS.Engine.Errors;
using VramPS.Engine.Estimation;
using VramPS.Engine.Gpus;

namespace VramPS.Engine.Planning
{
    /// <summary>
    /// Tries a workload on each accelerator: whether it fits as given, the fewest GPUs that hold it and the largest
    /// micro-batch that fits. Every figure comes from MemoryEstimator with Workload.Gpu set to the GPU tried, so Total
    /// includes that GPU's context; one RunMemo serves the whole catalog, so each run is estimated once.
    /// </summary>
    public static class GpuFitFinder
    {
        public const int DefaultMaxGpus = 64;
        /// <summary>The largest micro-batch MaxBatchSize reports.</summary>
        public const int BatchSizeLimit = 1 << 16;
        internal const long BytesPerGiB = 1L << 30;

        /// <summary>
        /// One row per GPU: those that fit first, then by GpusNeeded, then by memory. With a confidence, a run fits
        /// where the high end of Total's range at that confidence does (<see cref="ErrorRange"/>); without, where Total does.
        /// </summary>
        public static IReadOnlyList<GpuFit> Find(Workload workload, IEnumerable<GpuSpec> gpus, int maxGpus = DefaultMaxGpus, double? confidence = null)
        {
            if (workload is null) throw new ArgumentNullException(nameof(workload));
            if (gpus is null) throw new ArgumentNullException(nameof(gpus));
            if (maxGpus < 1)
                throw new InvalidWorkloadException("MaxGpus", $"-MaxGpus must be a positive integer; got {maxGpus}.");
            if (confidence is double c) ErrorRange.CheckConfidence(c);
            var memo = new RunMemo(confidence);
            IReadOnlyList<SettingChange>? changes = null;
            // A supervised run is the same run on every GPU: its layouts are estimated once for the whole catalog.
            var layouts = MemoryEstimator.DependsOnGpu(workload) ? null : new RunLayouts(memo);
            var rows = new List<GpuFit>();
            foreach (var gpu in gpus) rows.Add(Assess(workload, gpu, maxGpus, memo, ref changes, layouts));
            var order = new int[rows.Count];
            for (int i = 0; i < order.Length; i++) order[i] = i;
            // Stable: rows alike in every key keep the catalog's order.
            Array.Sort(order, (a, b) =>
            {
                int c = Compare(rows[a], rows[b]);
                return c != 0 ? c : a.CompareTo(b);
            });
            var sorted = new GpuFit[order.Length];
            for (int i = 0; i < order.Length; i++) sorted[i] = rows[order[i]];
            return sorted;
        }

        /// <summary>Those that fit first, then by GpusNeeded (none last), then by memory, then by name.</summary>
        private static int Compare(GpuFit x, GpuFit y)
        {
            if (x.Fits != y.Fits) return x.Fits ? -1 : 1;
            int c = (x.GpusNeeded ?? int.MaxValue).CompareTo(y.GpusNeeded ?? int.MaxValue);
            if (c != 0) return c;
            c = x.MemoryBytes.CompareTo(y.MemoryBytes);
            return c != 0 ? c : StringComparer.OrdinalIgnoreCase.Compare(x.Gpu, y.Gpu);
        }

        /// <summary>The workload tried on one GPU.</summary>
        public static GpuFit Assess(Workload workload, GpuSpec gpu, int maxGpus = DefaultMaxGpus)
        {
            IReadOnlyList<SettingChange>? changes = null;
            return Assess(workload, gpu, maxGpus, new RunMemo(), ref changes, null);
        }

        /// <summary>
        /// The workload tried on one GPU of many: the memo, the setting changes to suggest and, for a run that does not
        /// depend on the GPU, the estimates of its layouts are shared by all.
        /// </summary>
        private static GpuFit Assess(Workload workload, GpuSpec gpu, int maxGpus, RunMemo memo, ref IReadOnlyList<SettingChange>? changes, RunLayouts? shared)
        {
            var estimate = memo.Estimate(workload, gpu);
            var asGiven = estimate.Workload;
            string? refusal = GpuSupport.Refusal(estimate.Precision, gpu);
            if (refusal != null)
                return new GpuFit(gpu, estimate, false, null, null, $"{gpu.Name} {refusal}", FitAdvisor.Suggest(asGiven, estimate, gpu, new RunSettings(), memo));

            long need = memo.Need(asGiven, gpu);
            bool fits = need <= gpu.MemoryBytes;
            var layouts = shared ?? new RunLayouts(memo);
            var plan = FewestGpus(asGiven, estimate, gpu, maxGpus, memo, layouts);
            int? maxBatch = plan is null ? (int?)null : MaxBatchSize(plan, estimate.BatchSize, gpu, memo, layouts);
            var suggestions = fits ? null : FitAdvisor.Suggest(asGiven, estimate, gpu, new RunSettings(), memo, changes ??= FitAdvisor.SettingChanges(estimate));
            return new GpuFit(gpu, estimate, fits, plan, maxBatch, null, suggestions, need);
        }

        /// <summary>
        /// The fewest GPUs that hold the workload. A workload without sharding tries one data-parallel replica, then
        /// Zero3 across two or more; a sharded one keeps its sharding. GPU counts are whole replicas of the workload's
        /// tensor x pipeline x context parallel layout. Per-GPU memory need not fall as replicas are added (one GPU
        /// gathers nothing and reduces nothing; a count the expert-parallel degree does not divide is refused), so
        /// every count is tried from the fewest up, a refused one skipped: an estimate costs microseconds and the memo
        /// makes each once for the whole catalog.
        /// </summary>
        private static GpuPlan? FewestGpus(Workload workload, TrainingMemoryEstimate estimate, GpuSpec gpu, int maxGpus, RunMemo memo, RunLayouts layouts)
        {
            var sharding = estimate.Sharding;
            int replica = Parallelism.ModelParallelOf(workload);
            int first = 1;
            if (sharding == Engine.Sharding.None)
            {
                bool oneReplicaFits = memo.Fits(layouts.ByCount(workload, gpu, sharding, workload.BatchSize).At(replica), gpu);
                if (oneReplicaFits) return new GpuPlan(replica, sharding, At(workload, replica, sharding));
                sharding = Engine.Sharding.Zero3;
                first = 2;
            }
            var counts = layouts.ByCount(workload, gpu, sharding, workload.BatchSize);
            for (int replicas = first; replicas <= maxGpus / replica; replicas++)
            {
                int count = replicas * replica;
                if (memo.Fits(counts.At(count), gpu)) return new GpuPlan(count, sharding, At(workload, count, sharding));
            }
            return null;
        }

        /// <summary>The largest micro-batch that fits on the plan's GPUs, at least the one the plan was found with.</summary>
        private static int MaxBatchSize(GpuPlan plan, int known, GpuSpec gpu, RunMemo memo, RunLayouts layouts)
        {
            var batches = layouts.ByBatch(plan.Workload, gpu, plan.Count, plan.Sharding);
            return Bisection.Largest(known, Math.Max(known, BatchSizeLimit), b => memo.Fits(batches.At(b), gpu));
        }

        private static Workload At(Workload workload, int gpuCount, Sharding sharding)
        {
            var w = workload.Clone();
            w.GpuCount = gpuCount;
            w.Sharding = sharding;
            return w;
        }
    }
}
