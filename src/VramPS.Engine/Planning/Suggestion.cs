using System;
using VramPS.Engine.Gpus;

namespace VramPS.Engine.Planning
{
    /// <summary>One change that lowers the memory a workload needs on a GPU: how much it saves, whether it then fits, and what it costs in speed.</summary>
    public sealed class Suggestion
    {
        internal Suggestion(SuggestionKind kind, string change, Workload workload, long total, long saves, bool fits, double slowdown, Func<string> basis)
            : this(kind, change, workload, workload.Gpu, total, saves, fits, slowdown, basis)
        {
        }

        /// <summary>A suggestion whose changed workload is shared by the GPUs of a planning call: it is copied onto this GPU when first read.</summary>
        internal Suggestion(SuggestionKind kind, string change, Workload shared, GpuSpec? gpu, long total, long saves, bool fits, double slowdown, Func<string> basis)
        {
            Kind = kind;
            Change = change;
            _shared = shared;
            _gpu = gpu;
            Total = total;
            Saves = saves;
            Fits = fits;
            Slowdown = slowdown;
            _describeBasis = basis;
        }

        public SuggestionKind Kind { get; }
        /// <summary>How the workload names its model, so the suggestion pipes into Get-TrainingMemory.</summary>
        public string Model => Workload.ModelName.Length > 0 ? Workload.ModelName : Workload.Model.Id;
        /// <summary>The change, as "Setting old -> new".</summary>
        public string Change { get; }
        /// <summary>Bytes of Total the change saves on each GPU.</summary>
        public long Saves { get; }
        /// <summary>What each GPU shows after the change, bytes.</summary>
        public long Total { get; }
        /// <summary>True when the changed workload fits the GPU.</summary>
        public bool Fits { get; }
        /// <summary>Step time after the change relative to before: 1 is as fast, 1.33 a third slower, below 1 faster.</summary>
        public double Slowdown { get; }
        /// <summary>How Slowdown was reckoned (put in words when first read: planners make many suggestions nobody reads).</summary>
        public string SlowdownBasis => _basis ??= _describeBasis();
        private readonly Func<string> _describeBasis;
        private string? _basis;
        /// <summary>The changed workload, to pipe into Get-TrainingMemory (a hidden property in PowerShell: VramPS.types.ps1xml).</summary>
        internal Workload Workload => _workload ??= ReferenceEquals(_shared.Gpu, _gpu) ? _shared : OnGpu(_shared, _gpu);
        private readonly Workload _shared;
        private readonly GpuSpec? _gpu;
        private Workload? _workload;

        private static Workload OnGpu(Workload shared, GpuSpec? gpu)
        {
            var w = shared.Clone();
            w.Gpu = gpu;
            return w;
        }

        /// <summary>The change, as a cell of Export-Csv shows a suggestion held by an estimate.</summary>
        public override string ToString() => Change;
    }
}
