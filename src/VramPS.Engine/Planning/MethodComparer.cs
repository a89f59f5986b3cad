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
        /// One row per method, adapter, optimizer and precision, in that nesting order. An empty or null adapter,
        /// optimizer or precision list keeps the workload's own setting; adapters cross LoRA and QLoRA only, and
        /// adapters named without methods compare under LoRA. The workload's Quantization applies to QLoRA rows only.
        /// </summary>
        public static IReadOnlyList<MethodComparison> Compare(
            Workload workload,
            IReadOnlyList<FinetuneMethod>? methods = null,
            IReadOnlyList<OptimizerKind>? optimizers = null,
            IReadOnlyList<Precision>? precisions = null,
            IReadOnlyList<AdapterKind>? adapters = null)
        {
            if (workload is null) throw new ArgumentNullException(nameof(workload));
            bool adaptersNamed = adapters != null && adapters.Count > 0;
            var methodList = methods is null || methods.Count == 0 ? adaptersNamed ? AdapterMethods : DefaultMethods : methods.Distinct().ToArray();
            var adapterList = Settings(adapters, workload.Adapter);
            var optimizerList = Settings(optimizers, workload.Optimizer);
            var precisionList = Settings(precisions, workload.Precision);

            // Full with each optimizer and precision is estimated once: for its own row and as the others' reference.
            var fullRuns = new Dictionary<(OptimizerKind?, Precision?), TrainingMemoryEstimate>();
            var rows = new List<MethodComparison>(methodList.Count * optimizerList.Count * precisionList.Count);
            foreach (var method in methodList)
            {
                bool adapter = method == FinetuneMethod.LoRA || method == FinetuneMethod.QLoRA;
                foreach (var kind in adapter ? adapterList : NoAdapter)
                {
                    foreach (var optimizer in optimizerList)
                    {
                        foreach (var precision in precisionList)
                        {
                            if (!fullRuns.TryGetValue((optimizer, precision), out var full))
                            {
                                full = MemoryEstimator.Estimate(Variant(workload, FinetuneMethod.Full, null, optimizer, precision));
                                fullRuns[(optimizer, precision)] = full;
                            }
                            var estimate = method == FinetuneMethod.Full ? full : MemoryEstimator.Estimate(Variant(workload, method, kind, optimizer, precision));
                            rows.Add(new MethodComparison(estimate, full.Total));
                        }
                    }
                }
            }
            return rows;
        }

        private static IReadOnlyList<T?> Settings<T>(IReadOnlyList<T>? given, T? own) where T : struct =>
            given is null || given.Count == 0 ? new[] { own } : given.Distinct().Select(g => (T?)g).ToArray();

        private static readonly IReadOnlyList<FinetuneMethod> AdapterMethods = new[] { FinetuneMethod.LoRA };
        private static readonly IReadOnlyList<AdapterKind?> NoAdapter = new AdapterKind?[] { null };

        private static Workload Variant(Workload workload, FinetuneMethod method, AdapterKind? adapter, OptimizerKind? optimizer, Precision? precision)
        {
            var w = workload.Clone();
            w.Method = method;
            if (method == FinetuneMethod.LoRA || method == FinetuneMethod.QLoRA)
            {
                // Crossed adapters keep the rank and targets only where they apply (IA3 has no rank, prompt tuning no targets).
                w.Adapter = adapter;
                var kind = adapter ?? AdapterKind.LoRA;
                if (!AdapterMethod.TakesRank(kind)) w.LoraRank = null;
                if (!AdapterMethod.WrapsLinears(kind)) w.LoraTargets = null;
            }
            else
            {
                w.ClearAdapter();
            }
            w.Optimizer = optimizer;
            w.Precision = precision;
            if (method != FinetuneMethod.QLoRA) w.Quantization = null;
            return w;
        }
    }
}
