using VramPS.Engine.Estimation;

namespace VramPS.Engine.Planning
{
    /// <summary>One fine-tuning method (with one optimizer and precision) of a comparison: its estimate and its memory relative to Full.</summary>
    public sealed class MethodComparison
    {
        internal MethodComparison(TrainingMemoryEstimate estimate, long fullTotal)
        {
            Estimate = estimate;
            RelativeToFull = estimate.Total / (double)fullTotal;
        }

        /// <summary>The estimate this row summarizes.</summary>
        internal TrainingMemoryEstimate Estimate { get; }
        /// <summary>The workload of this row, so the row pipes into Get-TrainingMemory and Find-GpuFit (hidden properties in PowerShell, like Estimate).</summary>
        internal Workload Workload => Estimate.Workload;
        /// <summary>Total divided by the Total of Full fine-tuning with the same optimizer and precision.</summary>
        public double RelativeToFull { get; }

        public string Model => Estimate.Model;
        public FinetuneMethod Method => Estimate.Method;
        public Precision Precision => Estimate.Precision;
        public OptimizerKind Optimizer => Estimate.Optimizer;
        public Quantization Quantization => Estimate.Quantization;
        public Checkpointing Checkpointing => Estimate.Checkpointing;
        public int BatchSize => Estimate.BatchSize;
        public int SequenceLength => Estimate.SequenceLength;
        public long Parameters => Estimate.Parameters;
        public long TrainableParameters => Estimate.TrainableParameters;
        public long Weights => Estimate.Weights;
        public long Gradients => Estimate.Gradients;
        public long OptimizerStates => Estimate.OptimizerStates;
        public long Activations => Estimate.Activations;
        public long Other => Estimate.Other;
        public long Allocated => Estimate.Allocated;
        public long Reserved => Estimate.Reserved;
        public long Total => Estimate.Total;
        public Phase PeakPhase => Estimate.PeakPhase;
    }
}
