using System;
using System.Collections.Generic;
using System.Linq;
using VramPS.Engine.Alignment;
using VramPS.Engine.Estimation;
using VramPS.Engine.Frameworks;

namespace VramPS.Engine.Planning
{
    /// <summary>
    /// Estimates one workload under several fine-tuning methods, optionally crossed with optimizers and precisions.
    /// Methods are compared like with like: where the trainer's defaults differ by method (the Trainer turns
    /// checkpointing on for QLoRA only), every row takes the same setting unless each method's own default is asked for.
    /// </summary>
    public static class MethodComparer
    {
        /// <summary>The methods compared when none are named, before the framework's own (<see cref="DefaultMethodsFor"/>).</summary>
        public static IReadOnlyList<FinetuneMethod> DefaultMethods { get; } =
            new[] { FinetuneMethod.Full, FinetuneMethod.Freeze, FinetuneMethod.LoRA, FinetuneMethod.QLoRA };

        /// <summary>
        /// The methods compared when none are named: <see cref="DefaultMethods"/> (an alignment stage's,
        /// <see cref="StageSettings.DefaultMethods"/>) that the workload's framework runs; <paramref name="notRun"/>
        /// gets the others, which its profile refuses.
        /// </summary>
        public static IReadOnlyList<FinetuneMethod> DefaultMethodsFor(Workload workload, out IReadOnlyList<FinetuneMethod> notRun)
        {
            if (workload is null) throw new ArgumentNullException(nameof(workload));
            var all = (workload.Stage ?? TrainingStage.Sft) == TrainingStage.Sft ? DefaultMethods : StageSettings.DefaultMethods;
            var profile = FrameworkProfiles.Of(workload.Framework ?? Framework.HfTrainer);
            int gpus = workload.GpuCount ?? 1;
            notRun = all.Where(m => !FrameworkOffers.RunsMethod(profile, m, gpus)).ToArray();
            return all.Where(m => FrameworkOffers.RunsMethod(profile, m, gpus)).ToArray();
        }

        /// <summary>
        /// One row per method, adapter, optimizer and precision, in that nesting order. An empty or null adapter,
        /// optimizer or precision list keeps the workload's own setting; adapters cross LoRA and QLoRA only, and
        /// adapters named without methods compare under LoRA. The workload's Quantization applies to QLoRA rows only.
        /// Unless <paramref name="frameworkDefaults"/>, a workload that leaves checkpointing unset runs every method with
        /// the same: on (Full) when the trainer turns it on for any method compared, noted in each changed row's Assumptions.
        /// </summary>
        public static IReadOnlyList<MethodComparison> Compare(
            Workload workload,
            IReadOnlyList<FinetuneMethod>? methods = null,
            IReadOnlyList<OptimizerKind>? optimizers = null,
            IReadOnlyList<Precision>? precisions = null,
            IReadOnlyList<AdapterKind>? adapters = null,
            bool frameworkDefaults = false)
        {
            if (workload is null) throw new ArgumentNullException(nameof(workload));
            bool adaptersNamed = adapters != null && adapters.Count > 0;
            var methodList = methods is null || methods.Count == 0 ? adaptersNamed ? AdapterMethods : DefaultMethodsFor(workload, out _) : methods.Distinct().ToArray();
            var adapterList = Settings(adapters, workload.Adapter);
            var optimizerList = Settings(optimizers, workload.Optimizer);
            var precisionList = Settings(precisions, workload.Precision);
            var own = frameworkDefaults ? null : OwnCheckpointing(workload, methodList);
            if (own != null)
            {
                workload = workload.Clone();
                workload.Checkpointing = Checkpointing.Full;
            }

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
                                full = Note(MemoryEstimator.Estimate(Variant(workload, FinetuneMethod.Full, null, optimizer, precision)), own);
                                fullRuns[(optimizer, precision)] = full;
                            }
                            var estimate = method == FinetuneMethod.Full ? full : Note(MemoryEstimator.Estimate(Variant(workload, method, kind, optimizer, precision)), own);
                            rows.Add(new MethodComparison(estimate, full.Total));
                        }
                    }
                }
            }
            return rows;
        }

        /// <summary>
        /// Each method's own checkpointing where the trainer's defaults differ between the methods compared (and Full,
        /// the reference); null when they agree, when the workload gives it or when an alignment stage sets it.
        /// </summary>
        private static Dictionary<FinetuneMethod, Checkpointing>? OwnCheckpointing(Workload workload, IReadOnlyList<FinetuneMethod> methods)
        {
            if (workload.Checkpointing != null || (workload.Stage ?? TrainingStage.Sft) != TrainingStage.Sft) return null;
            var framework = workload.Framework ?? Framework.HfTrainer;
            var own = methods.Append(FinetuneMethod.Full).Distinct().ToDictionary(m => m, m => ResolvedRecipe.DefaultCheckpointingOf(framework, m));
            return own.Values.Distinct().Count() == 1 ? null : own;
        }

        /// <summary>Notes on an estimate that its checkpointing is the comparison's, not its method's default.</summary>
        private static TrainingMemoryEstimate Note(TrainingMemoryEstimate estimate, Dictionary<FinetuneMethod, Checkpointing>? own)
        {
            if (own is null || own[estimate.Method] == estimate.Checkpointing) return estimate;
            estimate.Assumptions = estimate.Assumptions.Append(
                $"Checkpointing {estimate.Checkpointing} as for every method compared (the trainer's default for {estimate.Method} is {own[estimate.Method]}; -FrameworkDefaults keeps each method's own)").ToArray();
            return estimate;
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
