using System;
using System.Collections.Generic;
using System.Globalization;
using VramPS.Engine.Estimation;
using VramPS.Engine.Gpus;
using VramPS.Engine.Text;

namespace VramPS.Engine.Planning
{
    /// <summary>Whether a workload fits one accelerator as given, and what it would take to fit it there.</summary>
    public sealed class GpuFit
    {
        internal GpuFit(GpuSpec spec, TrainingMemoryEstimate estimate, bool fits, GpuPlan? plan, int? maxBatchSize, string? refusal,
            IReadOnlyList<Suggestion>? suggestions = null)
        {
            Suggestions = ReadableList.Rows(suggestions);
            Spec = spec;
            Estimate = estimate;
            Gpu = spec.Name;
            Vendor = spec.Vendor;
            MemoryBytes = spec.MemoryBytes;
            MemoryGiB = spec.MemoryBytes / (double)GpuFitFinder.BytesPerGiB;
            Fits = fits;
            GpusNeeded = plan?.Count;
            Sharding = plan?.Sharding;
            MaxBatchSize = maxBatchSize;
            Total = estimate.Total;
            Headroom = spec.MemoryBytes - estimate.Total;
            _refusal = refusal;
        }

        /// <summary>The catalog name of the accelerator.</summary>
        public string Gpu { get; }
        public string Vendor { get; }
        /// <summary>Usable memory of one such GPU, bytes.</summary>
        public long MemoryBytes { get; }
        /// <summary>Usable memory of one such GPU, GiB.</summary>
        public double MemoryGiB { get; }
        /// <summary>True when the workload as given (its GpuCount and Sharding) fits on this GPU.</summary>
        public bool Fits { get; }
        /// <summary>The fewest of these GPUs that hold the workload, with its sharding or, when it has none, with Zero3; null when none up to the limit do.</summary>
        public int? GpusNeeded { get; }
        /// <summary>The sharding used for GpusNeeded.</summary>
        public Sharding? Sharding { get; }
        /// <summary>The largest micro-batch per GPU that fits at the estimate's sequence length, on GpusNeeded GPUs.</summary>
        public int? MaxBatchSize { get; }
        /// <summary>Memory left on each GPU by the workload as given, bytes; negative when it does not fit.</summary>
        public long Headroom { get; }
        /// <summary>What nvidia-smi would show on each GPU for the workload as given, bytes.</summary>
        public long Total { get; }
        /// <summary>Why the workload as given does not fit; null when it does. Put in words when read.</summary>
        public string? WhyNot => _refusal ?? (Fits ? null : _whyNot ??= Explain());
        private readonly string? _refusal;
        private string? _whyNot;
        /// <summary>Changes that make the workload as given fit one such GPU, best first; empty when it fits.</summary>
        public IReadOnlyList<Suggestion> Suggestions { get; }
        /// <summary>The catalog entry.</summary>
        public GpuSpec Spec { get; }
        /// <summary>The estimate of the workload as given, made for this GPU (a hidden property in PowerShell, so ConvertTo-Json keeps to the fit).</summary>
        internal TrainingMemoryEstimate Estimate { get; }
        /// <summary>The model of the workload, so a row pipes into Get-TrainingMemory by property name.</summary>
        public string Model => Estimate.Model;
        /// <summary>The workload as given, so a piped row keeps every setting (a hidden property in PowerShell).</summary>
        internal Workload Workload => Estimate.Workload;
        /// <summary>GPUs of the fitting layout (GpusNeeded), so a piped row is estimated on it.</summary>
        public int? GpuCount => GpusNeeded;

        private string Explain()
        {
            if (GpusNeeded is not int count)
                return string.Format(CultureInfo.InvariantCulture, "needs {0:0.0} GiB, has {1:0.0} GiB",
                    Total / (double)GpuFitFinder.BytesPerGiB, MemoryGiB);
            string gpus = count == 1 ? "1 GPU" : $"{count} GPUs";
            return Sharding == Engine.Sharding.None || count == 1 ? $"needs {gpus}" : $"needs {gpus} with {Sharding}";
        }
    }
}
