using System;
using System.Collections.Generic;
using VramPS.Engine.Alignment;
using VramPS.Engine.Gpus;
using VramPS.Engine.Planning;

namespace VramPS.Engine.Estimation
{
    /// <summary>
    /// The memory one GPU of a training run holds at its peak, by term, in bytes; the workload it was computed for,
    /// with every default resolved, so the object pipes back into the cmdlets by property name.
    /// </summary>
    public sealed class TrainingMemoryEstimate
    {
        internal TrainingMemoryEstimate(Workload workload, ResolvedRecipe recipe)
        {
            Workload = workload;
            Model = workload.ModelName.Length > 0 ? workload.ModelName : workload.Model.Id;
            Method = workload.Method;
            Precision = recipe.Precision;
            Optimizer = recipe.Optimizer;
            BatchSize = recipe.BatchSize;
            SequenceLength = recipe.SequenceLength - (int)recipe.Vision.TokensPerSample - recipe.Adapter.PrependedTokens;
            GradientAccumulation = recipe.GradientAccumulation;
            Checkpointing = recipe.Checkpointing;
            Attention = recipe.Attention;
            LoraRank = recipe.IsAdapter && recipe.LoraRank > 0 ? recipe.LoraRank : (int?)null;
            Adapter = recipe.IsAdapter ? recipe.Adapter.Kind : (AdapterKind?)null;
            LoraTargets = recipe.IsAdapter ? recipe.LoraTargets : Array.Empty<string>();
            Quantization = recipe.Quantization;
            TrainableLayers = workload.Method == FinetuneMethod.Freeze ? recipe.TrainableLayers : (int?)null;
            GpuCount = recipe.GpuCount;
            Sharding = recipe.Sharding;
            Offload = recipe.Offload;
            Techniques = recipe.Techniques;
            Framework = FrameworkNames.ToName(recipe.Framework);
            _transformersVersion = recipe.TransformersVersion;
            Gpu = workload.Gpu?.Name;
            ForwardBatch = recipe.BatchSize;
            var parallel = recipe.Parallel;
            TensorParallel = parallel.Tensor;
            PipelineParallel = parallel.Pipeline;
            PipelineSchedule = parallel.Schedule;
            VirtualStages = parallel.VirtualStages;
            SequenceParallel = parallel.SequenceParallel;
            ContextParallel = parallel.Context;
            ExpertParallel = parallel.Expert;
            DataParallel = parallel.Data;
            GpusPerNode = recipe.GpusPerNode;
        }

        /// <summary>The workload as given, for planners that vary it.</summary>
        public Workload Workload { get; private set; }

        public string Model { get; }
        public FinetuneMethod Method { get; }
        public Precision Precision { get; }
        public OptimizerKind Optimizer { get; }
        public int BatchSize { get; }
        /// <summary>Text tokens per sample as given: a vision-language model's image tokens and prompt tuning's virtual tokens come on top (see Assumptions).</summary>
        public int SequenceLength { get; }
        public int GradientAccumulation { get; }
        public Checkpointing Checkpointing { get; }
        public AttentionKernel Attention { get; }
        public int? LoraRank { get; }
        /// <summary>The parameter-efficient method under LoRA and QLoRA; null for Full and Freeze.</summary>
        public AdapterKind? Adapter { get; }
        public string[] LoraTargets { get; private set; }
        public Quantization Quantization { get; }
        public int? TrainableLayers { get; }
        public int GpuCount { get; }
        public Sharding Sharding { get; }
        public Offload Offload { get; }
        public Techniques Techniques { get; }
        /// <summary>The trainer, spelled as the validation CSV spells it.</summary>
        public string Framework { get; }
        public string? Gpu { get; private set; }
        /// <summary>The transformers release whose loss path was modelled (Trainer-based stacks), major.minor.</summary>
        public string? TransformersVersion => _transformersVersion?.ToString(2);
        private readonly Version? _transformersVersion;
        public int TensorParallel { get; }
        public int PipelineParallel { get; }
        public PipelineSchedule PipelineSchedule { get; }
        public int VirtualStages { get; }
        public bool SequenceParallel { get; }
        public int ContextParallel { get; }
        public int ExpertParallel { get; }
        /// <summary>GpuCount / (TensorParallel x PipelineParallel x ContextParallel): the replicas ZeRO and FSDP shard across (with the context-parallel ranks).</summary>
        public int DataParallel { get; }
        public int GpusPerNode { get; }
        /// <summary>Nodes the GPUs fill at GpusPerNode each.</summary>
        public int Nodes { get; internal set; }
        /// <summary>The pipeline stage (0-based) whose rank the per-GPU figures describe: the most loaded one.</summary>
        public int PipelineStage { get; internal set; }
        /// <summary>Which rank the per-GPU figures describe, in words.</summary>
        public string Rank => RankStage?.Describe() ?? "";
        /// <summary>The rank the per-GPU figures describe; null for alignment stages.</summary>
        internal PipelineStage? RankStage { get; set; }

        public long Parameters { get; internal set; }
        public long TrainableParameters { get; internal set; }

        /// <summary>Per GPU (the most loaded rank) at the peak phase, bytes.</summary>
        public long Weights { get; internal set; }
        public long Gradients { get; internal set; }
        public long OptimizerStates { get; internal set; }
        public long Activations { get; internal set; }
        /// <summary>Logits and loss buffers, optimizer temporaries, workspaces.</summary>
        public long Other { get; internal set; }
        /// <summary>The sum of the terms at the peak: what torch.cuda.max_memory_allocated shows.</summary>
        public long Allocated { get; internal set; }
        /// <summary>What PyTorch's caching allocator holds: max_memory_reserved.</summary>
        public long Reserved { get; internal set; }
        /// <summary>Reserved plus CUDA context and libraries: what nvidia-smi shows.</summary>
        public long Total { get; internal set; }
        /// <summary>Host RAM each node needs: its ranks' offloaded states, gradients, parameters and activations, and their data loaders' pinned batches.</summary>
        public long HostMemory { get; internal set; }

        public Phase PeakPhase { get; internal set; }

        /// <summary>
        /// Total on another GPU: only the CUDA context differs. Valid for an estimate that does not depend on its GPU
        /// otherwise (<see cref="MemoryEstimator.DependsOnGpu"/>), or for the GPU it was made for.
        /// </summary>
        internal long TotalOn(GpuSpec gpu) => Checked.Add(Total - RuntimeMemory.Context(Workload.Gpu), RuntimeMemory.Context(gpu));

        /// <summary>A copy of this estimate for the workload run on another GPU (see <see cref="TotalOn"/>), with its own lists.</summary>
        internal TrainingMemoryEstimate OnGpu(GpuSpec gpu)
        {
            var copy = (TrainingMemoryEstimate)MemberwiseClone();
            copy.Total = TotalOn(gpu);
            copy.Workload = Workload.Clone();
            copy.Workload.Gpu = gpu;
            copy.Gpu = gpu.Name;
            copy.Assumptions = (string[])Assumptions.Clone();
            copy.LoraTargets = (string[])LoraTargets.Clone();
            return copy;
        }

        /// <summary>Takes the terms of the phase that binds.</summary>
        internal void SetPeak(PhaseMemory peak)
        {
            Weights = peak.Weights;
            Gradients = peak.Gradients;
            OptimizerStates = peak.OptimizerStates;
            Activations = peak.Activations;
            Other = peak.Other;
            Allocated = peak.Allocated;
            PeakPhase = peak.Phase;
        }
        public IReadOnlyList<PhaseMemory> Phases { get; internal set; } = Array.Empty<PhaseMemory>();
        public string[] Assumptions { get; internal set; } = Array.Empty<string>();

        /// <summary>The training stage the estimate is for.</summary>
        public TrainingStage Stage { get; internal set; }
        /// <summary>Each model of the stage and what it holds at the peak phase; the rows add up to the terms above.</summary>
        public IReadOnlyList<ModelMemory> Models { get; internal set; } = Array.Empty<ModelMemory>();
        /// <summary>Keys and values generation holds for its sequences at full length, bytes (PPO, GRPO).</summary>
        public long KvCache { get; internal set; }
        /// <summary>Sequences per training forward: twice BatchSize where chosen and rejected run together.</summary>
        public int ForwardBatch { get; internal set; }
        /// <summary>Sequences each generation round makes per GPU (PPO, GRPO).</summary>
        public int? RolloutBatch { get; internal set; }
        /// <summary>The reward model as named with -RewardModel.</summary>
        public string? RewardModel { get; internal set; }
        public int? NumGenerations { get; internal set; }
        public int? PromptLength { get; internal set; }
        public int? GenerationLength { get; internal set; }
        public double? RolloutMemoryFraction { get; internal set; }
        public bool PrecomputeReferenceLogProbs { get; internal set; }
        public double? KlCoefficient { get; internal set; }
        /// <summary>Whether Total fits the GPU of the workload; null when no GPU was given.</summary>
        public bool? Fits { get; internal set; }
        /// <summary>Changes that make the workload fit its GPU, best first; empty when it fits or no GPU was given.</summary>
        public IReadOnlyList<Suggestion> Suggestions { get; internal set; } = Array.Empty<Suggestion>();
        /// <summary>Time and cost of the run on its GPU; null when no GPU was given.</summary>
        public TrainingRun? Run { get; internal set; }
    }
}
