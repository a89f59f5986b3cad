using System;
using System.Collections.Generic;
using System.Linq;
using VramPS.Engine.Errors;
using VramPS.Engine.Frameworks;

namespace VramPS.Engine.Estimation
{
    /// <summary>
    /// Refuses a setting the framework's trainer has no way to run (its profile's offers: optimizers, techniques,
    /// attention kernels, model parallelism, offload, a quantized base over GPUs, frozen layers, a precomputed reference), naming the parameter, what the
    /// framework allows and the source, rather than estimating a run that framework cannot make.
    /// </summary>
    internal static class FrameworkOffers
    {
        public static void Check(Workload w, FrameworkProfile p)
        {
            if (w.Model.Experts > 0 && !p.BuildsMixtureOfExperts.Value)
                throw Refusal("Model", $"-Framework {p.Name} trains no mixture-of-experts model VramPS models: -Model {w.Model.Id} has {w.Model.Experts} experts: use a dense model, or -Framework {FrameworkProfiles.NamesWhere(f => f.BuildsMixtureOfExperts.Value)}", p.BuildsMixtureOfExperts.Source);
            if (w.Optimizer is OptimizerKind optimizer && p.Optimizers.Value is { } optimizers && !optimizers.Contains(optimizer))
                throw Refusal("Optimizer", $"-Framework {p.Name} builds {string.Join(", ", optimizers)} only, not -Optimizer {optimizer}", p.Optimizers.Source);
            if (p.OfferedTechniques.Value is Techniques offered && (w.Techniques & ~offered) is var missing && missing != Techniques.None)
                throw Refusal("Techniques", $"-Framework {p.Name} runs none of -Techniques {missing}{(offered == Techniques.None ? "" : $"; it offers {offered}")}", p.OfferedTechniques.Source);
            if (w.Attention is AttentionKernel kernel && p.AttentionKernels.Value is { } kernels && !kernels.Contains(kernel))
                throw Refusal("Attention", $"-Framework {p.Name} runs -Attention {string.Join(" or ", kernels)}, not {kernel}", p.AttentionKernels.Source);
            if (p.DataParallelOnly.Value)
            {
                foreach (var (name, degree) in ModelParallelDegrees(w))
                    if (degree > 1)
                        throw Refusal(name, $"-Framework {p.Name} splits a model over GPUs only by ZeRO sharding: -{name} {degree} is not a layout it runs (use -Sharding)", p.DataParallelOnly.Source);
                if (w.SequenceParallel)
                    throw Refusal("SequenceParallel", $"-Framework {p.Name} has no tensor or sequence parallelism", p.DataParallelOnly.Source);
            }
            if (p.ZeroOffloadOnly.Value && w.Offload is Offload offload && offload != Offload.None)
            {
                var sharding = w.Sharding ?? Sharding.None;
                if (sharding == Sharding.None)
                    throw Refusal("Offload", $"-Framework {p.Name} offloads only through ZeRO: -Offload {offload} needs -Sharding Zero1, Zero2 or Zero3", p.ZeroOffloadOnly.Source);
                if (offload == Offload.OptimizerAndParameters && sharding != Sharding.Zero3)
                    throw Refusal("Offload", $"-Framework {p.Name} offloads parameters only under ZeRO-3: with -Sharding {sharding} use -Offload Optimizer, or -Sharding Zero3", p.ZeroOffloadOnly.Source);
            }
            if (w.Offload == Offload.Optimizer && !p.OffloadsOptimizerAlone.Value && (w.Stage ?? Alignment.TrainingStage.Sft) == Alignment.TrainingStage.Sft)
                throw Refusal("Offload", $"-Framework {p.Name}'s supervised trainer offloads the optimizer states only with the parameters: use -Offload OptimizerAndParameters or None, not Optimizer", p.OffloadsOptimizerAlone.Source);
            if (w.Offload == Offload.OptimizerAndParameters && !p.OffloadsTrainedParameters.Value)
                throw Refusal("Offload", $"-Framework {p.Name} offloads a trained model's optimizer states, never its parameters: use -Offload Optimizer or None, not OptimizerAndParameters", p.OffloadsTrainedParameters.Source);
            if (w.Method == FinetuneMethod.QLoRA && p.QuantizedBaseOneGpu.Value && w.GpuCount is int gpus && gpus > 1)
                throw Refusal("GpuCount", $"-Framework {p.Name} trains over a quantized base on one GPU only: -Method QLoRA with -GpuCount {gpus} is not a run it makes (use -GpuCount 1, or -Method LoRA)", p.QuantizedBaseOneGpu.Source);
            if (w.Method == FinetuneMethod.Freeze && !p.FreezesLayers.Value)
                throw Refusal("Method", $"-Framework {p.Name} has no -Method Freeze (it trains every weight, or LoRA factors)", p.FreezesLayers.Source);
            if (w.PrecomputeReferenceLogProbs && !p.PrecomputesReference.Value)
                throw Refusal("PrecomputeReferenceLogProbs", $"-Framework {p.Name} runs its reference on every step: -PrecomputeReferenceLogProbs is not a setting it has", p.PrecomputesReference.Source);
        }

        /// <summary>
        /// Refuses a -Precision the framework cannot train in at the release asked: one outside its Precisions, or
        /// Bf16Mixed where only fully_shard applies mixed precision and the run, as resolved, shards nothing (with tensor
        /// or pipeline parallelism, or at a release without autocast). Where no -FrameworkVersion was given and a later
        /// release runs it, warns instead, naming that release, and estimates the precision as asked: the change that
        /// release brings is returned, null where the release asked runs it.
        /// </summary>
        public static DatedChange? CheckPrecision(Workload w, FrameworkProfile p, bool fullyShards, ICollection<string> warnings)
        {
            if (w.Precision is not Precision precision) return null;
            if (p.Precisions.Value is { } precisions && !precisions.Contains(precision))
                return Unrunnable(w, p, f => f.Precisions.Value?.Contains(precision) != false,
                    $"trains -Precision {string.Join(" or ", precisions)}, not {precision}", p.Precisions.Source, warnings);
            if (precision != Precision.Bf16Mixed || !p.MixedPrecisionOnlyFullySharded.Value || fullyShards || w.Method != FinetuneMethod.Full) return null;
            if ((w.TensorParallel ?? 1) > 1 || (w.PipelineParallel ?? 1) > 1)
                throw Refusal("Precision", $"-Framework {p.Name} applies bf16 mixed precision only through fully_shard, and tensor or pipeline parallelism without it trains fp32: use -Precision Fp32, or -Sharding Zero3 over more than one data-parallel rank", p.AutocastsUnshardedDataParallel.Source);
            if (p.AutocastsUnshardedDataParallel.Value) return null;
            return Unrunnable(w, p, f => f.AutocastsUnshardedDataParallel.Value,
                    "applies bf16 mixed precision only through fully_shard and has no autocast: -Precision Bf16Mixed on one GPU or DDP trains fp32 (use -Precision Fp32, or fully_shard over more than one data-parallel rank)",
                p.MixedPrecisionOnlyFullySharded.Source, warnings);
        }

        private static DatedChange Unrunnable(Workload w, FrameworkProfile p, Func<FrameworkProfile, bool> runs, string what, string source, ICollection<string> warnings)
        {
            var later = p.Releases?.FirstChangeWhere(p, runs);
            if (later is null)
                throw Refusal("Precision", $"-Framework {p.Name} {what}", source);
            if (w.FrameworkVersion != null)
                throw Refusal("Precision", $"-Framework {p.Name} at -{ReleaseHistory.Parameter} {w.FrameworkVersion} {what}; {later.Span} {later.Change}: give -{ReleaseHistory.Parameter} {later.From.Date:yyyy-MM-dd} or later", source);
            warnings.Add($"no -{ReleaseHistory.Parameter}: {p.Name} as of {p.Releases!.Baseline} {what} ({source}); the estimate takes -Precision {w.Precision} as asked, as {p.Name} runs it {later.Span} ({later.Change}). Give -{ReleaseHistory.Parameter} for the release the run used.");
            return later;
        }

        /// <summary>
        /// Refuses -Offload where the framework offloads only through fully_shard's CPU offload and the run, as
        /// resolved, shards no parameters (-Sharding None or Zero1, or one data-parallel rank).
        /// </summary>
        public static void CheckOffload(FrameworkProfile p, Offload offload, Sharding sharding, int shardDegree)
        {
            if (!p.OffloadNeedsFullShard.Value || offload == Offload.None) return;
            if (shardDegree == 1)
                throw Refusal("Offload", $"-Framework {p.Name} offloads only through fully_shard's CPU offload, which one data-parallel rank does not run: -Offload {offload} needs -Sharding Zero3 over more than one rank (raise -GpuCount)", p.OffloadNeedsFullShard.Source);
            if (sharding != Sharding.Zero2 && sharding != Sharding.Zero3)
                throw Refusal("Offload", $"-Framework {p.Name} offloads only through fully_shard's CPU offload: -Offload {offload} needs -Sharding Zero3 (or Zero2), not -Sharding {sharding}", p.OffloadNeedsFullShard.Source);
        }

        /// <summary>
        /// Refuses -Attention Sdpa where the framework takes the transformers release's default kernel and the release
        /// (given or the framework's own) predates SDPA.
        /// </summary>
        public static void CheckAttention(Workload w, FrameworkProfile p, Version? transformers)
        {
            if (w.Attention == AttentionKernel.Sdpa && p.AttentionFromRelease.Value && transformers != null && transformers < ResolvedRecipe.SdpaFrom)
                throw Refusal("Attention", $"-Framework {p.Name} takes transformers' default attention, and transformers {transformers.ToString(2)} has no SDPA path: it runs -Attention Eager (or name -TransformersVersion '4.36' or later)", p.AttentionFromRelease.Source);
        }

        /// <summary>
        /// Whether the framework's trainer runs a method at all, as the refusals of <see cref="Check"/> and
        /// <see cref="ResolvedRecipe"/> decide it (PartialTraining, FreezesLayers, QuantizedBase, QuantizedBaseOneGpu):
        /// what Compare-FinetuneMethod compares when no method is named.
        /// </summary>
        public static bool RunsMethod(FrameworkProfile p, FinetuneMethod method, int gpus) => method switch
        {
            FinetuneMethod.Full => true,
            FinetuneMethod.Freeze => p.PartialTraining.Value && p.FreezesLayers.Value,
            FinetuneMethod.LoRA => p.PartialTraining.Value,
            FinetuneMethod.QLoRA => p.PartialTraining.Value && p.QuantizedBase.Value && !(p.QuantizedBaseOneGpu.Value && gpus > 1),
            _ => throw new ArgumentOutOfRangeException(nameof(method), method, null),
        };

        private static IEnumerable<(string Name, int Degree)> ModelParallelDegrees(Workload w)
        {
            yield return ("TensorParallel", w.TensorParallel ?? 1);
            yield return ("PipelineParallel", w.PipelineParallel ?? 1);
            yield return ("ContextParallel", w.ContextParallel ?? 1);
            yield return ("ExpertParallel", w.ExpertParallel ?? 1);
        }

        private static InvalidWorkloadException Refusal(string parameter, string what, string source) =>
            new InvalidWorkloadException(parameter, $"{what} ({source}).");
    }
}
