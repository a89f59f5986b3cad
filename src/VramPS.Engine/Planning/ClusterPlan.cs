using System.Collections.Generic;
using VramPS.Engine.Estimation;
using VramPS.Engine.Gpus;
using VramPS.Engine.Text;

namespace VramPS.Engine.Planning
{
    /// <summary>
    /// One way to run a workload on a cluster: which GPU, how many on how many nodes, the parallel layout, sharding,
    /// checkpointing and micro-batch, what each GPU then holds, how long the run takes and what it costs, and what was
    /// changed from the workload as given.
    /// </summary>
    public sealed class ClusterPlan
    {
        internal ClusterPlan(GpuSpec gpu, TrainingMemoryEstimate estimate, TrainingRun run, IReadOnlyList<string> changes)
        {
            Spec = gpu;
            Estimate = estimate;
            Run = run;
            Changes = ReadableList.Rows(changes);
        }

        /// <summary>How the workload names its model, so the plan pipes into Get-TrainingMemory.</summary>
        public string Model => Estimate.Model;
        public string Gpu => Spec.Name;
        public int GpuCount => Estimate.GpuCount;
        public int Nodes => Estimate.Nodes;
        public int GpusPerNode => Estimate.GpusPerNode;
        public Sharding Sharding => Estimate.Sharding;
        public int TensorParallel => Estimate.TensorParallel;
        public int PipelineParallel => Estimate.PipelineParallel;
        public bool SequenceParallel => Estimate.SequenceParallel;
        public int DataParallel => Estimate.DataParallel;
        public Checkpointing Checkpointing => Estimate.Checkpointing;
        public int BatchSize => Estimate.BatchSize;
        public int GradientAccumulation => Estimate.GradientAccumulation;
        /// <summary>What nvidia-smi would show on the most loaded GPU, bytes.</summary>
        public long Total => Estimate.Total;
        /// <summary>Memory of one such GPU, bytes.</summary>
        public long MemoryBytes => Spec.MemoryBytes;
        public long Headroom => Spec.MemoryBytes - Estimate.Total;
        /// <summary>Host RAM each node needs, bytes.</summary>
        public long HostMemory => Estimate.HostMemory;
        public double Tokens => Run.Tokens;
        public double TokensPerSecond => Run.TokensPerSecond;
        public double Hours => Run.Hours;
        public double GpuHours => Run.GpuHours;
        public double? PricePerGpuHour => Run.PricePerGpuHour;
        public string PriceSource => Run.PriceSource;
        /// <summary>USD; null when the GPU has no price.</summary>
        public double? Cost => Run.Cost;
        /// <summary>What the plan changed from the workload as given: "Setting old -> new".</summary>
        public IReadOnlyList<string> Changes { get; }
        /// <summary>The planned workload, to pipe into Get-TrainingMemory, and its estimate (hidden properties in PowerShell).</summary>
        internal Workload Workload => Estimate.Workload;
        internal TrainingMemoryEstimate Estimate { get; }
        public TrainingRun Run { get; }
        public GpuSpec Spec { get; }
    }
}
