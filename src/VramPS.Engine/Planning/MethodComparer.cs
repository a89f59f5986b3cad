using System;
using System.Collections.Generic;
using System.Linq;
using VramPS.Engine.Estimation;

namespace VramPS.Engine.Planning
{
    /// <summary>Estimates one workload under several fine-tuning methods, optionally crossed with optimizers and precisions.</summary>
    public static class MethodComparer
    {
        /// <summary>The methods compared when none are named.</summary>
        public static IReadOnlyList<FinetuneMethod> DefaultMethods { get; } =
            new[] { FinetuneMethod.Full, FinetuneMethod.Freeze, FinetuneMethod.LoRA, FinetuneMethod.QLoRA };

        /// <summary>
        /// One row per method, optimizer and precision, in that nesting order. An empty or null optimizer or precision
        /// list keeps the workload's own setting. The workload's Quantization applies to QLoRA rows only.
        /// </summary>
        public static IReadOnlyList<MethodComparison> Compare(
            Workload workload,
            IReadOnlyList<FinetuneMethod>? methods = null,
            IReadOnlyList<OptimizerKind>? optimizers = null,
            IReadOnlyList<Precision>? precisions = null)
        {
            if (workload is null) throw new ArgumentNullException(nameof(workload));
            var methodList = methods is null || methods.Count == 0 ? DefaultMethods : methods.Distinct().ToArray();
            var optimizerList = Settings(optimizers, workload.Optimizer);
            var precisionList = Settings(precisions, workload.Precision);

            // Full with each optimizer and precision is estimated once: for its own row and as the others' reference.
            var fullRuns = new Dictionary<(OptimizerKind?, Precision?), TrainingMemoryEstimate>();
            var rows = new List<MethodComparison>(methodList.Count * optimizerList.Count * precisionList.Count);
            foreach (var method in methodList)
            {
                foreach (var optimizer in optimizerList)
                {
                    foreach (var precision in precisionList)
                    {
                        if (!fullRuns.TryGetValue((optimizer, precision), out var full))
                        {
                            full = MemoryEstimator.Estimate(Variant(workload, FinetuneMethod.Full, optimizer, precision));
                            fullRuns[(optimizer, precision)] = full;
                        }
                        var estimate = method == FinetuneMethod.Full ? full : MemoryEstimator.Estimate(Variant(workload, method, optimizer, precision));
                        rows.Add(new MethodComparison(estimate, full.Total));
                    }
                }
            }
            return rows;
        }

        private static IReadOnlyList<T?> Settings<T>(IReadOnlyList<T>? given, T? own) where T : struct =>
            given is null || given.Count == 0 ? new[] { own } : given.Distinct().Select(g => (T?)g).ToArray();

        private static Workload Variant(Workload workload, FinetuneMethod method, OptimizerKind? optimizer, Precision? precision)
        {
            var w = workload.Clone();
            w.Method = method;
            w.Optimizer = optimizer;
            w.Precision = precision;
            if (method != FinetuneMethod.QLoRA) w.Quantization = null;
            return w;
        }
    }
}
