using System;
using VramPS.Engine.Estimation;
using VramPS.Engine.Gpus;

namespace VramPS.Engine.Planning
{
    /// <summary>One change of a workload's settings that FitAdvisor tries: its kind, how it reads and how it is made.</summary>
    internal sealed class SettingChange
    {
        public SettingChange(SuggestionKind kind, string text, Action<Workload> apply)
        {
            Kind = kind;
            Text = text;
            Apply = apply;
        }

        public SuggestionKind Kind { get; }
        /// <summary>"Setting old -> new".</summary>
        public string Text { get; }
        public Action<Workload> Apply { get; }

        private Workload? _variant;
        private GpuSpec? _gpu;
        private TrainingMemoryEstimate? _after;
        private double _flopsPerToken;

        /// <summary>
        /// The changed workload, its remembered estimate (null where VramPS refuses it) and its FLOPs per token, worked
        /// out once where the list of changes serves many GPUs: a run whose estimate does not depend on the GPU
        /// (<see cref="MemoryEstimator.DependsOnGpu"/>) changes alike on each, so only the first GPU's variant is made.
        /// The variant carries that GPU; <see cref="Suggestion"/> puts its own GPU on a copy when it is read.
        /// </summary>
        public (Workload Variant, TrainingMemoryEstimate? After, double FlopsPerToken) On(Workload w, GpuSpec gpu, RunMemo memo)
        {
            if (_variant is null || !ReferenceEquals(_gpu, gpu) && MemoryEstimator.DependsOnGpu(w))
            {
                var variant = w.Clone();
                Apply(variant);
                _after = memo.Shared(variant, gpu);
                _flopsPerToken = _after is null ? 0 : memo.FlopsPerToken(variant);
                _variant = variant;
                _gpu = gpu;
            }
            return (_variant, _after, _flopsPerToken);
        }
    }
}
