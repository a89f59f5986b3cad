using System;
using System.Collections.Generic;
using System.Linq;
using VramPS.Engine.Alignment;
using VramPS.Engine.Frameworks;
using VramPS.Engine.Gpus;
using VramPS.Engine.Planning;
using VramPS.Engine.Text;

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
            LoraTargets = ReadableList.Names(recipe.IsAdapter ? recipe.LoraTargets : null);
            SkippedLoraTargets = recipe.SkippedLoraTargets;
            Quantization = recipe.Quantization;
            TrainableLayers = workload.Method == FinetuneMethod.Freeze ? recipe.TrainableLayers : (int?)null;
            GpuCount = recipe.GpuCount;
            Sharding = recipe.Sharding;
            Offload = recipe.Offload;
            Techniques = recipe.Techniques;
            Framework = FrameworkNames.ToName(recipe.Framework);
            _transformersVersion = recipe.TransformersVersion;
            _torchVersion = recipe.Release.Torch;
            FrameworkVersion = workload.FrameworkVersion?.ToString();
            _releases = recipe.Profile.Releases;
            _profileName = recipe.Profile.Name;
            _profileWarnings = recipe.Warnings.ToArray();
            _laterChanges = _releases != null && workload.FrameworkVersion is null ? _releases.LaterChanges(recipe) : Array.Empty<DatedChange>();
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

        /// <summary>
        /// The workload as given, for planners that vary it. Internal, so Export-Csv and ConvertTo-Json leave the catalog
        /// entry it holds out; VramPS.types.ps1xml shows it to PowerShell as a hidden property, which pipes by name.
        /// </summary>
        internal Workload Workload { get; private set; }

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
        public IReadOnlyList<string> LoraTargets { get; }
        /// <summary>The -LoraTargets names peft skips as they match no module (WorkloadWarnings).</summary>
        internal IReadOnlyList<string> SkippedLoraTargets { get; }
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
        /// <summary>The torch release the workload named (major.minor); null where it named none.</summary>
        public string? TorchVersion => _torchVersion?.ToString(2);
        private readonly Version? _torchVersion;
        /// <summary>The framework release the workload named (-FrameworkVersion); null where it named none.</summary>
        public string? FrameworkVersion { get; }
        /// <summary>What later releases of the framework do differently to this recipe, where the workload named none.</summary>
        private readonly DatedChange[] _laterChanges;
        /// <summary>What the framework's profile said of the run as it was resolved (ResolvedRecipe.Warnings).</summary>
        private readonly string[] _profileWarnings;
        private readonly ReleaseHistory? _releases;
        private readonly string _profileName;
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

        /// <summary>How far Total may be off, from VramPS's errors on validation runs of this kind (see <see cref="ErrorRange"/>).</summary>
        public ErrorRange Range => _range ??= ErrorRange.For(this);
        private ErrorRange? _range;
        /// <summary>The share of runs of this kind that Low and High are meant to hold.</summary>
        public double Confidence => Range.Confidence;
        /// <summary>The low end of Total's range, bytes.</summary>
        public long Low => (long)(Total * Range.LowRatio);
        /// <summary>The high end of Total's range, bytes: what to plan with.</summary>
        public long High => HighAt(Range);
        /// <summary>Which validation runs the range comes from, and whether it was widened for a kind none covers.</summary>
        public string RangeBasis => AwaitingGc == 0 ? Range.Basis
            : Range.Basis + string.Format(System.Globalization.CultureInfo.InvariantCulture, "; High adds {0:0.##} GiB of recomputed MoE unpermute tensors awaiting garbage collection (NVIDIA/Megatron-LM#3221)", AwaitingGc / (double)(1L << 30));

        /// <summary>The high end of Total's range at another confidence, bytes, with what a known leak can hold beside Total (<see cref="AwaitingGc"/>).</summary>
        internal long HighAt(ErrorRange range) => Checked.Add((long)Math.Ceiling(Total * range.HighRatio), AwaitingGc);

        /// <summary>Bytes the rank can hold beyond Total until Python's garbage collector runs (<see cref="UnpermuteCycle"/>); 0 where nothing is known to.</summary>
        internal long AwaitingGc { get; set; }
        /// <summary>The warning that says so; null with nothing awaiting the collector.</summary>
        internal string? AwaitingGcWarning { get; set; }

        /// <summary>
        /// Total on another GPU: only the CUDA context differs. Valid for an estimate that does not depend on its GPU
        /// otherwise (<see cref="MemoryEstimator.DependsOnGpu"/>), or for the GPU it was made for.
        /// </summary>
        internal long TotalOn(GpuSpec gpu) => Checked.Add(Total - RuntimeMemory.Context(Workload.Gpu), RuntimeMemory.Context(gpu));

        /// <summary>A copy of this estimate for the workload run on another GPU (see <see cref="TotalOn"/>); its lists are read-only, so the copies share them.</summary>
        internal TrainingMemoryEstimate OnGpu(GpuSpec gpu)
        {
            var copy = (TrainingMemoryEstimate)MemberwiseClone();
            copy.Total = TotalOn(gpu);
            copy.Workload = Workload.Clone();
            copy.Workload.Gpu = gpu;
            copy.Gpu = gpu.Name;
            copy._warnings = null;
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
        public IReadOnlyList<PhaseMemory> Phases { get => _phases; internal set => _phases = ReadableList.Rows(value); }
        private IReadOnlyList<PhaseMemory> _phases = ReadableList.Rows<PhaseMemory>(null);
        /// <summary>What VramPS cannot know or suspects will not run as given, one sentence each naming the parameter (written as PowerShell warnings too).</summary>
        public IReadOnlyList<string> Warnings => _warnings ??= ReadableList.Rows(WorkloadWarnings.Of(this, Workload).Concat(_profileWarnings)
            .Concat(_laterChanges.Length == 0 ? Array.Empty<string>() : _releases!.LaterWarnings(_laterChanges, _profileName, Workload, Total)));
        private IReadOnlyList<string>? _warnings;

        /// <summary>Adds a warning only the caller can know (how the user named the GPU).</summary>
        internal void Warn(string warning) => _warnings = ReadableList.Rows(Warnings.Concat(new[] { warning }));
        /// <summary>What VramPS assumed, one sentence each.</summary>
        public IReadOnlyList<string> Assumptions { get => _assumptions; internal set => _assumptions = ReadableList.Rows(value); }
        private IReadOnlyList<string> _assumptions = ReadableList.Rows<string>(null);

        /// <summary>The training stage the estimate is for.</summary>
        public TrainingStage Stage { get; internal set; }
        /// <summary>Each model of the stage and what it holds at the peak phase; the rows add up to the terms above.</summary>
        public IReadOnlyList<ModelMemory> Models { get => _models; internal set => _models = ReadableList.Rows(value); }
        private IReadOnlyList<ModelMemory> _models = ReadableList.Rows<ModelMemory>(null);
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
        /// <summary>Whether the colocated engine sleeps between generations; null without one.</summary>
        public bool? RolloutSleep { get; internal set; }
        /// <summary>Where the vLLM engine runs (GRPO); null when the policy generates itself.</summary>
        public Alignment.VllmMode? VllmMode { get; internal set; }
        public bool PrecomputeReferenceLogProbs { get; internal set; }
        public double? KlCoefficient { get; internal set; }
        /// <summary>Whether Total fits the GPU of the workload; null when no GPU was given.</summary>
        public bool? Fits { get; internal set; }
        /// <summary>Changes that make the workload fit its GPU, best first; empty when it fits or no GPU was given.</summary>
        public IReadOnlyList<Suggestion> Suggestions { get => _suggestions; internal set => _suggestions = ReadableList.Rows(value); }
        private IReadOnlyList<Suggestion> _suggestions = ReadableList.Rows<Suggestion>(null);
        /// <summary>Time and cost of the run on its GPU, with their basis; null when no GPU was given.</summary>
        public TrainingRun? Run { get; internal set; }
        /// <summary>Wall-clock hours of the run (Run.Hours); null when no GPU was given.</summary>
        public double? Hours => Run?.Hours;
        /// <summary>USD for the run (Run.Cost); null without a GPU or a price.</summary>
        public double? Cost => Run?.Cost;

        /// <summary>"meta-llama/Llama-3.1-8B LoRA: 32.36 GiB", as a cell of Export-Csv shows an estimate held by another result.</summary>
        public override string ToString() => $"{Model} {Method}: {ByteSize.Format(Total)}";
    }
}
