using System;
using System.Collections.Generic;
using System.Linq;
using VramPS.Engine.Estimation;
using VramPS.Engine.Frameworks;
using VramPS.Engine.Gpus;

namespace VramPS.Engine.Planning
{
    /// <summary>
    /// What to change when a workload does not fit a GPU: each single change that lowers its memory (a 16-bit format
    /// the GPU runs, an 8-bit optimizer, a smaller micro-batch with more accumulation, a loss that never holds the full
    /// logits, a higher ZeRO stage, activation checkpointing, offload, shorter sequences, a lighter method), how much it
    /// saves, whether it then fits and how much slower a step gets; when no single change that keeps the training is
    /// enough, the cheapest ones combined until it fits. Suggestions come by what they save, largest first; one that
    /// saves under 1% of Total is left out. <see cref="Cheapest"/> picks the one to make: the fastest that fits and
    /// keeps the training.
    /// </summary>
    public static class FitAdvisor
    {
        /// <summary>PCIe 4.0 x16, one direction: 16 GT/s x 16 lanes x 128/130 / 8 = 31.5 GB/s (PCI-SIG), the host link offload crosses.</summary>
        public const double HostLinkBytesPerSecond = 31.5e9;

        /// <summary>The least share of Total a suggestion must save to be offered.</summary>
        public const double LeastSaving = 0.01;

        /// <summary>The shortest sequence a shorter-sequence suggestion tries, tokens.</summary>
        public const int ShortestSequence = 256;

        /// <summary>The estimate of a workload on a GPU with its time and cost, and, when it does not fit, the changes that help.</summary>
        public static TrainingMemoryEstimate Review(Workload workload, GpuSpec gpu, RunSettings settings)
        {
            if (workload is null) throw new ArgumentNullException(nameof(workload));
            if (gpu is null) throw new ArgumentNullException(nameof(gpu));
            var w = workload.Clone();
            w.Gpu = gpu;
            var estimate = MemoryEstimator.Estimate(w);
            estimate.Run = TrainingTime.Estimate(w, gpu, settings);
            estimate.Fits = GpuSupport.Fits(estimate, gpu);
            if (estimate.Fits == false) estimate.Suggestions = Suggest(w, estimate, gpu, settings, new RunMemo());
            return estimate;
        }

        /// <summary>The changes that lower the memory of a workload on a GPU by at least 1% of its Total, by what they save.</summary>
        public static IReadOnlyList<Suggestion> Suggest(Workload workload, GpuSpec gpu, RunSettings? settings = null)
        {
            if (workload is null) throw new ArgumentNullException(nameof(workload));
            if (gpu is null) throw new ArgumentNullException(nameof(gpu));
            var w = workload.Clone();
            w.Gpu = gpu;
            return Suggest(w, MemoryEstimator.Estimate(w), gpu, settings ?? new RunSettings(), new RunMemo());
        }

        /// <summary>
        /// The changes, with the runs they try estimated through the memo of the caller's planning call. A planner that
        /// advises on one workload for many GPUs passes its <see cref="SettingChanges"/>, which no GPU changes.
        /// </summary>
        internal static IReadOnlyList<Suggestion> Suggest(Workload w, TrainingMemoryEstimate estimate, GpuSpec gpu, RunSettings settings, RunMemo memo,
            IReadOnlyList<SettingChange>? settingChanges = null)
        {
            var clock = new StepClock(w, estimate, gpu, settings, memo);
            var tried = new List<(Suggestion Suggestion, SettingChange Change)>();
            void Add(SettingChange change)
            {
                var (variant, after, flops) = change.On(w, gpu, memo);
                if (after is null) return;
                long total = after.TotalOn(gpu);
                var suggestion = new Suggestion(change.Kind, change.Text, variant, gpu, total, estimate.Total - total, total <= gpu.MemoryBytes,
                    clock.Slowdown(flops, after), () => clock.Basis(change.Kind, variant, after));
                tried.Add((suggestion, change));
            }

            var precision = SupportedPrecision(estimate, gpu);
            if (precision != null)
            {
                // Nothing else helps a run the GPU cannot execute: the format comes first, and alone.
                var suggestion = Try(precision.Kind, precision.Text, w, precision.Apply, estimate, gpu, clock, memo);
                return suggestion is null ? Array.Empty<Suggestion>() : new[] { suggestion };
            }
            foreach (var change in settingChanges ?? SettingChanges(estimate)) Add(change);
            var batch = SmallerBatch(w, estimate, gpu, memo);
            if (batch != null) Add(batch);
            var sequence = ShorterSequence(w, estimate, gpu, memo);
            if (sequence != null) Add(sequence);

            long least = (long)Math.Ceiling(estimate.Total * LeastSaving);
            var ranked = new List<Suggestion>(tried.Count + 1);
            foreach (var m in tried)
            {
                if (m.Suggestion.Saves >= least) ranked.Add(m.Suggestion);
            }
            Rank(ranked);
            if (!ranked.Exists(s => s.Fits && KeepsTraining(s.Kind)))
            {
                var combined = Combine(tried.Where(m => KeepsTraining(m.Suggestion.Kind)), w, estimate, gpu, clock, memo);
                if (combined != null)
                {
                    ranked.Add(combined);
                    Rank(ranked);
                }
            }
            return ranked;
        }

        /// <summary>
        /// The suggestion to make: of those that fit and keep the training (not the method or the sequences), the
        /// fastest; of equally fast ones, the smallest change by kind (checkpointing before another trainer).
        /// </summary>
        public static Suggestion? Cheapest(IEnumerable<Suggestion> suggestions)
        {
            // One pass: the first of the least in that order, as a stable sort's first element would be.
            Suggestion? best = null;
            double bestSlowdown = 0;
            foreach (var s in suggestions)
            {
                if (!s.Fits || !KeepsTraining(s.Kind)) continue;
                double slowdown = Math.Round(s.Slowdown, 6);
                int bySlowdown = best is null ? -1 : slowdown.CompareTo(bestSlowdown);
                if (bySlowdown < 0 || bySlowdown == 0 && (s.Kind < best!.Kind || s.Kind == best.Kind && s.Saves > best.Saves))
                {
                    best = s;
                    bestSlowdown = slowdown;
                }
            }
            return best;
        }

        /// <summary>Whether a change of this kind trains the same model on the same data (a change of method or of sequence length does not).</summary>
        private static bool KeepsTraining(SuggestionKind kind) => kind != SuggestionKind.Method && kind != SuggestionKind.SequenceLength;

        /// <summary>
        /// Orders suggestions by what they save, largest first; of two that save as much, the faster, then by kind.
        /// Stable (an insertion sort: the lists hold a dozen at most), so equal suggestions keep the order they were
        /// tried in.
        /// </summary>
        private static void Rank(List<Suggestion> suggestions)
        {
            for (int i = 1; i < suggestions.Count; i++)
            {
                var s = suggestions[i];
                int j = i - 1;
                for (; j >= 0 && Before(s, suggestions[j]); j--) suggestions[j + 1] = suggestions[j];
                suggestions[j + 1] = s;
            }
        }

        private static bool Before(Suggestion a, Suggestion b)
        {
            if (a.Saves != b.Saves) return a.Saves > b.Saves;
            double aSlow = Math.Round(a.Slowdown, 6), bSlow = Math.Round(b.Slowdown, 6);
            if (aSlow != bSlow) return aSlow < bSlow;
            return a.Kind < b.Kind;
        }

        /// <summary>
        /// The changes of a setting worth trying on a workload on any GPU: all but a smaller micro-batch, whose size
        /// depends on the GPU, the longest sequence that fits and a format the GPU runs. (Where a change lands in the list
        /// matters only where two save as much, as fast, and are of one kind.)
        /// </summary>
        internal static IReadOnlyList<SettingChange> SettingChanges(TrainingMemoryEstimate e)
        {
            var changes = new List<SettingChange>(10);
            if (e.Optimizer == OptimizerKind.AdamW || e.Optimizer == OptimizerKind.PagedAdamW)
                changes.Add(new SettingChange(SuggestionKind.Optimizer, $"Optimizer {e.Optimizer} -> AdamW8bit", x => x.Optimizer = OptimizerKind.AdamW8bit));

            if (e.DataParallel * e.ContextParallel > 1)
            {
                for (var stage = e.Sharding + 1; stage <= Sharding.Zero3; stage++)
                {
                    var to = stage;
                    changes.Add(new SettingChange(SuggestionKind.Sharding, $"Sharding {e.Sharding} -> {to}", x => x.Sharding = to));
                }
            }

            if ((e.Techniques & Techniques.FusedLinearLoss) == 0)
                changes.Add(LossChange(e, Techniques.FusedLinearLoss));
            if ((e.Techniques & (Techniques.FusedLinearLoss | Techniques.ChunkedLoss)) == 0)
                changes.Add(LossChange(e, Techniques.ChunkedLoss));
            if (UnslothRuns(e))
            {
                changes.Add(new SettingChange(SuggestionKind.Framework, $"Framework {e.Framework} -> Unsloth",
                    x => x.Framework = Framework.Unsloth));
            }

            if (e.Checkpointing == Checkpointing.None && FrameworkProfiles.Of(FrameworkNames.Parse(e.Framework)).SelectiveRecompute.Value != SelectiveRecompute.None)
                changes.Add(new SettingChange(SuggestionKind.Checkpointing, "Checkpointing None -> Selective", x => x.Checkpointing = Checkpointing.Selective));
            if (e.Checkpointing != Checkpointing.Full)
                changes.Add(new SettingChange(SuggestionKind.Checkpointing, $"Checkpointing {e.Checkpointing} -> Full", x => x.Checkpointing = Checkpointing.Full));

            if (e.Offload == Offload.None)
                changes.Add(new SettingChange(SuggestionKind.Offload, "Offload None -> Optimizer", x => x.Offload = Offload.Optimizer));
            if (e.Offload != Offload.OptimizerAndParameters)
                changes.Add(new SettingChange(SuggestionKind.Offload, $"Offload {e.Offload} -> OptimizerAndParameters", x => x.Offload = Offload.OptimizerAndParameters));

            if (e.Method == FinetuneMethod.Full || e.Method == FinetuneMethod.Freeze)
                changes.Add(new SettingChange(SuggestionKind.Method, $"Method {e.Method} -> LoRA", x => { x.Method = FinetuneMethod.LoRA; x.Precision = null; x.Quantization = null; }));
            else if (e.Method == FinetuneMethod.LoRA)
                changes.Add(new SettingChange(SuggestionKind.Method, "Method LoRA -> QLoRA", x => { x.Method = FinetuneMethod.QLoRA; x.Quantization = null; }));
            return changes;
        }

        private static SettingChange LossChange(TrainingMemoryEstimate e, Techniques technique)
        {
            var to = e.Workload.Techniques | technique;
            return new SettingChange(SuggestionKind.Loss, $"Techniques {e.Workload.Techniques} -> {to}", x => x.Techniques = to);
        }

        /// <summary>
        /// Whether Unsloth's stack (fast cross-entropy, fused kernels, offloaded checkpoints) can take the run: LoRA or
        /// QLoRA on one GPU under a transformers-based trainer, the runs its open-source release trains.
        /// </summary>
        private static bool UnslothRuns(TrainingMemoryEstimate e) =>
            (e.Method == FinetuneMethod.LoRA || e.Method == FinetuneMethod.QLoRA) && e.GpuCount == 1
            && FrameworkProfiles.Of(e.Workload.Framework ?? Framework.HfTrainer).UnslothTakesRuns.Value;

        /// <summary>The 16-bit format to run where the GPU has no bf16: fp16 in place of bf16, mixed or not; null where the GPU runs the workload's.</summary>
        private static SettingChange? SupportedPrecision(TrainingMemoryEstimate e, GpuSpec gpu)
        {
            if (GpuSupport.Refusal(e.Precision, gpu) is null) return null;
            var to = e.Precision == Precision.Bf16 ? Precision.Fp16 : Precision.Fp16Mixed;
            return new SettingChange(SuggestionKind.Precision, $"Precision {e.Precision} -> {to}", x => x.Precision = to);
        }

        /// <summary>
        /// The longest of the run's sequence halved, quartered and so on down to <see cref="ShortestSequence"/> tokens
        /// that fits; null when none does. Halvings are the lengths runs are set to, and every GPU of a planning call
        /// probes the same few, so each is estimated once.
        /// </summary>
        private static SettingChange? ShorterSequence(Workload w, TrainingMemoryEstimate e, GpuSpec gpu, RunMemo memo)
        {
            var probe = w.Clone();
            for (int length = e.SequenceLength / 2; length >= ShortestSequence; length /= 2)
            {
                probe.SequenceLength = length;
                if (!memo.Fits(probe, gpu)) continue;
                int chosen = length;
                return new SettingChange(SuggestionKind.SequenceLength, $"SequenceLength {e.SequenceLength} -> {chosen}", x => x.SequenceLength = chosen);
            }
            return null;
        }

        /// <summary>The largest divisor of the micro-batch that fits (else 1), with accumulation raised to keep the tokens per optimizer step.</summary>
        private static SettingChange? SmallerBatch(Workload w, TrainingMemoryEstimate e, GpuSpec gpu, RunMemo memo)
        {
            int b = e.BatchSize, ga = e.GradientAccumulation;
            if (b == 1) return null;
            int chosen = 1;
            var probe = w.Clone();
            for (int d = b - 1; d > 1; d--)
            {
                if (b % d != 0) continue;
                probe.BatchSize = d;
                probe.GradientAccumulation = checked(ga * (b / d));
                if (memo.Fits(probe, gpu))
                {
                    chosen = d;
                    break;
                }
            }
            int accumulation = checked(ga * (b / chosen));
            return new SettingChange(SuggestionKind.MicroBatch, $"BatchSize {b} -> {chosen}, GradientAccumulation {ga} -> {accumulation}",
                x => { x.BatchSize = chosen; x.GradientAccumulation = accumulation; });
        }

        private static Suggestion? Try(SuggestionKind kind, string change, Workload w, Action<Workload> apply, TrainingMemoryEstimate e, GpuSpec gpu, StepClock clock, RunMemo memo)
        {
            var variant = w.Clone();
            apply(variant);
            var after = memo.Shared(variant, gpu);
            if (after is null) return null;
            long total = after.TotalOn(gpu);
            return new Suggestion(kind, change, variant, total, e.Total - total, total <= gpu.MemoryBytes,
                clock.Slowdown(variant, after), () => clock.Basis(kind, variant, after));
        }

        /// <summary>
        /// The changes by slowdown, each kept when, on top of those kept before, it lowers the memory further (one per
        /// setting: a stronger one of a kind replaces a weaker), until the workload fits; null when even all do not.
        /// A change that saves nothing alone can save once another has moved the peak (checkpointing after an 8-bit
        /// optimizer, when the optimizer step bound).
        /// </summary>
        private static Suggestion? Combine(IEnumerable<(Suggestion Suggestion, SettingChange Change)> tried, Workload w, TrainingMemoryEstimate e, GpuSpec gpu, StepClock clock, RunMemo memo)
        {
            var ordered = tried.OrderBy(m => Math.Round(m.Suggestion.Slowdown, 6)).ThenBy(m => m.Suggestion.Kind).ThenByDescending(m => m.Suggestion.Saves);
            var kept = new List<(Suggestion Suggestion, SettingChange Change)>();
            long total = e.Total;
            foreach (var m in ordered)
            {
                var attempt = kept.Where(a => a.Suggestion.Kind != m.Suggestion.Kind).Append(m).ToList();
                string change = string.Join(" + ", attempt.Select(a => a.Suggestion.Change));
                var combined = Try(SuggestionKind.Combined, change, w, x => { foreach (var a in attempt) a.Change.Apply(x); }, e, gpu, clock, memo);
                if (combined is null || combined.Total >= total) continue;
                kept = attempt;
                total = combined.Total;
                if (combined.Fits) return kept.Count > 1 ? combined : null;
            }
            return null;
        }
    }
}
