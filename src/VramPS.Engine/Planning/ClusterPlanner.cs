using System;
using System.Collections.Generic;
using System.Linq;
using VramPS.Engine.Errors;
using VramPS.Engine.Estimation;
using VramPS.Engine.Frameworks;
using VramPS.Engine.Gpus;

namespace VramPS.Engine.Planning
{
    /// <summary>
    /// Plans a workload on clusters: for each GPU type and each GPU count (1, 2, 4 ... up to a node, then whole nodes up
    /// to the limit), the fastest layout that fits, trying tensor parallelism (powers of two within a node, dividing
    /// the heads), pipeline parallelism (powers of two up to 16 stages), ZeRO stages, checkpointing and smaller
    /// micro-batches with more accumulation (the same tokens per step). Settings the workload gives are kept. Among
    /// layouts equally fast, the one with the fewest model-parallel GPUs, then the lowest ZeRO stage, is taken. Of each
    /// GPU type, the plan on the fewest GPUs, the cheapest and the fastest are returned.
    /// </summary>
    public static class ClusterPlanner
    {
        public const int MaxPipelineStages = 16;

        public static IReadOnlyList<ClusterPlan> Plan(Workload workload, PlanRequest request) => Plan(workload, request, out _);

        /// <summary>
        /// The plans, and each GPU type tried that has none with why: it cannot run the precision, has no throughput
        /// figure, nothing fits within the GPU limit, or every plan that fits costs more than the budget or has no price.
        /// </summary>
        public static IReadOnlyList<ClusterPlan> Plan(Workload workload, PlanRequest request, out IReadOnlyList<UnplannedGpu> unplanned)
        {
            if (workload is null) throw new ArgumentNullException(nameof(workload));
            if (request is null) throw new ArgumentNullException(nameof(request));
            request.Validate();
            request.Run.ResolveTokens(new List<string>());
            request.Run.ResolveMfu(new List<string>());
            request.Run.ResolvePrice();

            var baseline = workload.Clone();
            baseline.Gpu = null;
            var given = MemoryEstimator.Estimate(baseline);
            int perNode = request.GpusPerNode ?? workload.GpusPerNode ?? 8;
            var layouts = Layouts(baseline, given, request.MaxGpus, perNode);
            var memo = new Dictionary<((int, int, Sharding, Checkpointing, int, int), int), long?>();
            var clocks = new Dictionary<((int, int, Sharding, Checkpointing, int, int), int), TrainingFlops>();
            var inventory = Inventory(request.Inventory);

            var plans = new List<ClusterPlan>();
            var reasons = new List<UnplannedGpu>();
            unplanned = reasons;
            foreach (var gpu in Candidates(request, inventory))
            {
                string? refusal = GpuSupport.Refusal(given.Precision, gpu);
                if (refusal != null || gpu.DenseTflops16 <= 0)
                {
                    reasons.Add(new UnplannedGpu(gpu.Name, refusal ?? "the catalog gives no 16-bit throughput (denseTflops16) to time a run on it"));
                    continue;
                }
                // An alignment stage's rollout engine takes a share of this GPU's memory: its estimates hold for this GPU only.
                if (MemoryEstimator.DependsOnGpu(baseline)) memo.Clear();
                int cap = inventory is null ? request.MaxGpus : Math.Min(request.MaxGpus, inventory[GpuNameKey.Of(gpu.Name)]);
                var made = new List<(int Gpus, PlanLayout Layout, TrainingRun Run)>();
                TrainingRun? overBudget = null;
                foreach (int gpus in Counts(cap, perNode, given.ContextParallel))
                {
                    var fitting = layouts.Where(l => gpus % l.Replica == 0).ToList();
                    if (fitting.Count == 0 || !Fits(Frugal(fitting), gpus, gpu, baseline, perNode, memo)) continue;
                    var best = fitting.FirstOrDefault(l => Fits(l, gpus, gpu, baseline, perNode, memo));
                    if (best is null) continue;
                    var key = (best.Key, gpus);
                    if (!clocks.TryGetValue(key, out var flops)) clocks[key] = flops = new TrainingFlops(best.Apply(baseline, gpus, perNode));
                    var run = TrainingTime.Estimate(flops, gpu, request.Run);
                    if (request.Budget is null || run.Cost <= request.Budget) made.Add((gpus, best, run));
                    else if (overBudget is null || Cents(run.Cost) < Cents(overBudget.Cost)) overBudget = run;
                }
                if (made.Count == 0) reasons.Add(new UnplannedGpu(gpu.Name, WhyNone(request, cap, inventory != null, overBudget), overBudget?.Cost));
                foreach (var (gpus, layout, run) in Representatives(made))
                    plans.Add(Make(layout.Apply(baseline, gpus, perNode), gpu, run, given, request.GpusChosen));
            }
            return Sort(plans, request.SortBy);
        }

        private static string WhyNone(PlanRequest request, int cap, bool owned, TrainingRun? overBudget)
        {
            var c = System.Globalization.CultureInfo.InvariantCulture;
            if (overBudget is null)
                return owned ? $"no layout fits on the {cap} in -Inventory (or -MaxGpus)" : $"no layout fits on up to {cap} GPUs (-MaxGpus {request.MaxGpus})";
            return overBudget.Cost is double cost
                ? string.Format(c, "the cheapest plan that fits costs {0:0.00} USD, over -Budget {1:0.00}", cost, request.Budget)
                : "no price to hold to -Budget: give -PricePerGpuHour";
        }

        /// <summary>Of one GPU type's plans (by count): the one on the fewest GPUs, the cheapest (to the cent) and the fastest.</summary>
        private static IEnumerable<(int, PlanLayout, TrainingRun)> Representatives(List<(int Gpus, PlanLayout Layout, TrainingRun Run)> made)
        {
            if (made.Count == 0) return Enumerable.Empty<(int, PlanLayout, TrainingRun)>();
            var cheapest = made.OrderBy(p => Cents(p.Run.Cost)).ThenBy(p => p.Gpus).First();
            var fastest = made.OrderBy(p => p.Run.Hours).ThenBy(p => Cents(p.Run.Cost)).First();
            return new[] { made[0], cheapest, fastest }.Distinct();
        }

        private static double Cents(double? cost) => cost is double c ? Math.Round(c, 2) : double.MaxValue;

        private static IReadOnlyList<ClusterPlan> Sort(List<ClusterPlan> plans, PlanSortOrder order) =>
            (order == PlanSortOrder.Time
                ? plans.OrderBy(p => p.Hours).ThenBy(p => Cents(p.Cost))
                : plans.OrderBy(p => Cents(p.Cost)).ThenBy(p => p.Hours))
            .ThenBy(p => p.GpuCount).ThenBy(p => p.Gpu, StringComparer.OrdinalIgnoreCase).ToArray();

        private static ClusterPlan Make(Workload planned, GpuSpec gpu, TrainingRun run, TrainingMemoryEstimate given, bool gpuNamed)
        {
            planned.Gpu = gpu;
            var estimate = MemoryEstimator.Estimate(planned);
            estimate.Fits = true;
            estimate.Run = run;
            return new ClusterPlan(gpu, estimate, run, Changes(given, estimate, gpu, gpuNamed));
        }

        /// <summary>What the plan changed from the workload as given; the GPU only when the planner chose it, not the user.</summary>
        private static IReadOnlyList<string> Changes(TrainingMemoryEstimate given, TrainingMemoryEstimate plan, GpuSpec gpu, bool gpuNamed)
        {
            var changes = new List<string>();
            void Note<T>(string name, T before, T after)
            {
                if (!EqualityComparer<T>.Default.Equals(before, after)) changes.Add($"{name} {before} -> {after}");
            }
            if (!gpuNamed && !string.Equals(given.Gpu, gpu.Name, StringComparison.OrdinalIgnoreCase)) changes.Add($"Gpu {given.Gpu ?? "(none)"} -> {gpu.Name}");
            Note("GpuCount", given.GpuCount, plan.GpuCount);
            Note("TensorParallel", given.TensorParallel, plan.TensorParallel);
            Note("SequenceParallel", given.SequenceParallel, plan.SequenceParallel);
            Note("PipelineParallel", given.PipelineParallel, plan.PipelineParallel);
            Note("Sharding", given.Sharding, plan.Sharding);
            Note("Checkpointing", given.Checkpointing, plan.Checkpointing);
            Note("BatchSize", given.BatchSize, plan.BatchSize);
            Note("GradientAccumulation", given.GradientAccumulation, plan.GradientAccumulation);
            return changes;
        }

        /// <summary>
        /// Every layout to try, fastest first: recomputed FLOPs per token and the 1F1B bubble (p - 1) / m set the time;
        /// among equals, fewer model-parallel GPUs, then fewer stages, then the lower ZeRO stage, then less
        /// checkpointing, then the larger micro-batch.
        /// </summary>
        private static List<PlanLayout> Layouts(Workload w, TrainingMemoryEstimate given, int maxGpus, int perNode)
        {
            var m = w.Model;
            var tensors = w.TensorParallel is int t ? new[] { t }
                : Doublings(Math.Min(perNode, maxGpus)).Where(x => m.NumHeads % x == 0 && (m.NumKvHeads == 0 || m.NumKvHeads % x == 0)).ToArray();
            var pipelines = w.PipelineParallel is int p ? new[] { p } : Doublings(Math.Min(Math.Min(MaxPipelineStages, m.NumLayers), maxGpus)).ToArray();
            var shardings = w.Sharding is Sharding s ? new[] { s } : new[] { Sharding.None, Sharding.Zero1, Sharding.Zero2, Sharding.Zero3 };
            var checkpointings = w.Checkpointing is Checkpointing c ? new[] { c }
                : FrameworkProfiles.Of(FrameworkNames.Parse(given.Framework)).SelectiveRecompute.Value != SelectiveRecompute.None ? new[] { Checkpointing.None, Checkpointing.Selective, Checkpointing.Full }
                : new[] { Checkpointing.None, Checkpointing.Full };
            int b = given.BatchSize, tokens = checked(given.BatchSize * given.GradientAccumulation);
            var batches = Enumerable.Range(1, b).Where(x => b % x == 0).Reverse().ToArray();

            var flops = checkpointings.ToDictionary(x => x, x =>
            {
                var probe = w.Clone();
                probe.Checkpointing = x;
                return new TrainingFlops(probe).PerToken;
            });
            double reference = new TrainingFlops(w).PerToken;
            int virtualStages = w.PipelineParallel is null ? 1 : given.VirtualStages;

            var layouts = new List<PlanLayout>();
            foreach (int tp in tensors)
            foreach (int pp in pipelines)
            foreach (var sharding in shardings)
            foreach (var checkpointing in checkpointings)
            foreach (int batch in batches)
            {
                int accumulation = tokens / batch;
                double bubble = pp == 1 ? 0 : (pp - 1) / ((double)virtualStages * accumulation);
                double time = flops[checkpointing] / reference * (1 + bubble);
                layouts.Add(new PlanLayout(tp, pp, given.ContextParallel, sharding, checkpointing, batch, accumulation, time));
            }
            return layouts
                .OrderBy(l => Math.Round(l.TimeFactor, 9))
                .ThenBy(l => l.Tensor * l.Pipeline)
                .ThenBy(l => l.Pipeline)
                .ThenBy(l => l.Sharding)
                .ThenBy(l => l.Checkpointing)
                .ThenByDescending(l => l.BatchSize)
                .ToList();
        }

        /// <summary>Of the layouts that divide a count, the one that holds the least memory: most model-parallel GPUs, ZeRO-3, full checkpointing, the smallest micro-batch.</summary>
        private static PlanLayout Frugal(List<PlanLayout> layouts) =>
            layouts.OrderByDescending(l => l.Tensor * l.Pipeline)
                .ThenByDescending(l => l.Tensor)
                .ThenByDescending(l => l.Sharding)
                .ThenByDescending(l => l.Checkpointing == Checkpointing.Full)
                .ThenBy(l => l.BatchSize)
                .First();

        /// <summary>
        /// Whether a layout on <paramref name="gpus"/> GPUs fits a GPU. The estimate without a GPU is kept per layout and
        /// count; only the GPU's own context differs between GPU types. An alignment stage is estimated on the GPU (the
        /// caller clears the memo for each GPU).
        /// </summary>
        private static bool Fits(PlanLayout layout, int gpus, GpuSpec gpu, Workload w, int perNode,
            Dictionary<((int, int, Sharding, Checkpointing, int, int), int), long?> memo)
        {
            var key = (layout.Key, gpus);
            if (!memo.TryGetValue(key, out long? total))
            {
                try
                {
                    var run = layout.Apply(w, gpus, perNode);
                    if (MemoryEstimator.DependsOnGpu(run)) run.Gpu = gpu;
                    total = MemoryEstimator.Estimate(run).Total - RuntimeMemory.Context(run.Gpu);
                }
                catch (InvalidWorkloadException)
                {
                    total = null;
                }
                memo[key] = total;
            }
            return total != null && total.Value + RuntimeMemory.Context(gpu) <= gpu.MemoryBytes;
        }

        /// <summary>1, 2, 4 ... below a node, then whole nodes, and the limit itself; multiples of the context-parallel degree.</summary>
        private static IEnumerable<int> Counts(int cap, int perNode, int context)
        {
            var counts = new SortedSet<int>(Doublings(Math.Min(cap, perNode - 1)));
            for (long n = perNode; n <= cap; n += perNode) counts.Add((int)n);
            counts.Add(cap);
            return counts.Where(n => n >= 1 && n % context == 0);
        }

        private static IEnumerable<int> Doublings(int limit)
        {
            for (long x = 1; x <= limit; x *= 2) yield return (int)x;
        }

        private static IEnumerable<GpuSpec> Candidates(PlanRequest request, Dictionary<string, int>? inventory)
        {
            var gpus = request.Gpus.Count > 0 ? request.Gpus : (IEnumerable<GpuSpec>)GpuCatalog.Default.All;
            if (inventory != null)
            {
                var owned = request.Inventory!.Select(i => i.Gpu);
                gpus = request.Gpus.Count > 0 ? gpus.Where(g => inventory.ContainsKey(GpuNameKey.Of(g.Name))) : owned;
            }
            return gpus.GroupBy(g => GpuNameKey.Of(g.Name)).Select(g => g.First());
        }

        /// <summary>GPUs available per type (repeated lines add up), keyed by name; null without an inventory.</summary>
        private static Dictionary<string, int>? Inventory(IReadOnlyList<InventoryItem>? items)
        {
            if (items is null) return null;
            var counts = new Dictionary<string, int>(StringComparer.Ordinal);
            foreach (var item in items)
            {
                string key = GpuNameKey.Of(item.Gpu.Name);
                counts[key] = (int)Math.Min(int.MaxValue, (counts.TryGetValue(key, out int n) ? n : 0) + (long)item.Count);
            }
            return counts;
        }
    }
}
