using System;
using VramPS.Engine.Gpus;
using VramPS.Engine.Models;

namespace VramPS.Engine
{
    /// <summary>
    /// One training run to estimate. Nullable settings mean "not given": the estimator fills them with what the
    /// chosen framework does by default and lists each such default in the estimate's Assumptions.
    /// </summary>
    public sealed class Workload
    {
        public Workload(ModelArchitecture model)
        {
            Model = model ?? throw new ArgumentNullException(nameof(model));
        }

        public ModelArchitecture Model { get; }
        /// <summary>How the user named the model (catalog id, config path or parameter count).</summary>
        public string ModelName { get; set; } = "";
        public FinetuneMethod Method { get; set; } = FinetuneMethod.Full;
        public Precision? Precision { get; set; }
        public OptimizerKind? Optimizer { get; set; }
        public int? BatchSize { get; set; }
        public int? SequenceLength { get; set; }
        public int? GradientAccumulation { get; set; }
        public Checkpointing? Checkpointing { get; set; }
        public AttentionKernel? Attention { get; set; }
        public int? LoraRank { get; set; }
        public string[]? LoraTargets { get; set; }
        public Quantization? Quantization { get; set; }
        /// <summary>Blocks that train under Freeze, counted from the top.</summary>
        public int? TrainableLayers { get; set; }
        public int? GpuCount { get; set; }
        public Sharding? Sharding { get; set; }
        public Offload? Offload { get; set; }
        public Techniques Techniques { get; set; }
        public Framework? Framework { get; set; }
        /// <summary>The GPU the run uses, when known: its context size shapes Total.</summary>
        public GpuSpec? Gpu { get; set; }
        /// <summary>Tensor-parallel degree: block linears, attention heads and the vocabulary split across this many GPUs.</summary>
        public int? TensorParallel { get; set; }
        /// <summary>Pipeline-parallel degree: the blocks split into this many stages.</summary>
        public int? PipelineParallel { get; set; }
        public PipelineSchedule? PipelineSchedule { get; set; }
        /// <summary>Model chunks per GPU under the interleaved schedule.</summary>
        public int? VirtualStages { get; set; }
        /// <summary>Norm, dropout and residual activations split across the tensor-parallel ranks too.</summary>
        public bool SequenceParallel { get; set; }
        /// <summary>Context-parallel degree: each sequence split into this many chunks.</summary>
        public int? ContextParallel { get; set; }
        /// <summary>Expert-parallel degree: the experts of an MoE layer split across this many GPUs.</summary>
        public int? ExpertParallel { get; set; }
        /// <summary>GPUs per node, for the host memory each node needs.</summary>
        public int? GpusPerNode { get; set; }

        public Workload Clone() => (Workload)MemberwiseClone();

        public override string ToString() =>
            $"{(ModelName.Length > 0 ? ModelName : Model.Id)} {Method} {Precision} {Optimizer} b={BatchSize} s={SequenceLength} ga={GradientAccumulation} " +
            $"{Checkpointing} {Attention} r={LoraRank} gpus={GpuCount} {Sharding} {Offload} {Techniques} {(Framework is null ? "" : FrameworkNames.ToName(Framework.Value))}";
    }
}
