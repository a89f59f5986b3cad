using System;
using System.Collections.Generic;
using System.Globalization;
using VramPS.Engine.Alignment;
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

        public ModelArchitecture Model { get; private set; }
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
        /// <summary>The parameter-efficient method of LoRA and QLoRA; LoRA when not given.</summary>
        public AdapterKind? Adapter { get; set; }
        /// <summary>Virtual tokens of prompt, prefix and P-tuning; the adaption prompt's length.</summary>
        public int? VirtualTokens { get; set; }
        /// <summary>OFT's and BOFT's rotation block size (oft_block_size, boft_block_size).</summary>
        public int? OftBlockSize { get; set; }
        /// <summary>LoKr's decompose_factor (-1: the factors nearest the square root).</summary>
        public int? LokrFactor { get; set; }
        /// <summary>AdaLoRA's init_r: the rank every target starts with before the budget shrinks.</summary>
        public int? AdaLoraInitialRank { get; set; }
        /// <summary>The projection rank of GaLore and APOLLO.</summary>
        public int? OptimizerRank { get; set; }
        public Quantization? Quantization { get; set; }
        /// <summary>Blocks that train under Freeze, counted from the top.</summary>
        public int? TrainableLayers { get; set; }
        public int? GpuCount { get; set; }
        public Sharding? Sharding { get; set; }
        public Offload? Offload { get; set; }
        public Techniques Techniques { get; set; }
        public Framework? Framework { get; set; }
        /// <summary>What -Framework's text said beyond the framework's name (its remarks), recorded in Assumptions.</summary>
        public string[]? FrameworkNotes { get; set; }
        /// <summary>The transformers release of a Trainer-based stack: its loss path decides how logits are held.</summary>
        public Version? TransformersVersion { get; set; }
        /// <summary>The torch release the run uses, where an older one holds more (softmax inputs, zeroed gradients, per-parameter AdamW).</summary>
        public Version? TorchVersion { get; set; }
        /// <summary>The framework's release (a published version or a checkout's date): its profile as of then applies.</summary>
        public FrameworkVersion? FrameworkVersion { get; set; }
        /// <summary>The GPU the run uses, when known: its context size shapes Total.</summary>
        public GpuSpec? Gpu { get; set; }
        /// <summary>The training stage; Sft when not given.</summary>
        public TrainingStage? Stage { get; set; }
        /// <summary>The reward model of PPO and GRPO (a scalar head replaces its LM head).</summary>
        public ModelArchitecture? RewardModel { get; set; }
        /// <summary>How the user named the reward model (catalog id or config path).</summary>
        public string RewardModelName { get; set; } = "";
        /// <summary>Completions generated per prompt (GRPO).</summary>
        public int? NumGenerations { get; set; }
        /// <summary>Prompt tokens of each rollout (PPO, GRPO).</summary>
        public int? PromptLength { get; set; }
        /// <summary>Generated tokens of each rollout (PPO, GRPO).</summary>
        public int? GenerationLength { get; set; }
        /// <summary>Share of the GPU's memory a colocated vLLM engine reserves for generation (PPO, GRPO); HF generate when not given.</summary>
        public double? RolloutMemoryFraction { get; set; }
        /// <summary>The colocated engine sleeps between generations (TRL's vllm_enable_sleep_mode, Unsloth's standby); the framework's default when null.</summary>
        public bool? RolloutSleep { get; set; }
        /// <summary>Where the vLLM engine runs (PPO, GRPO); colocated when -RolloutMemoryFraction is given, else none (HF generate).</summary>
        public VllmMode? VllmMode { get; set; }
        /// <summary>Reference log-probs computed before training, so no reference runs during it (DPO, KTO).</summary>
        public bool PrecomputeReferenceLogProbs { get; set; }
        /// <summary>The KL coefficient of GRPO (TRL's beta): above 0 a reference model runs.</summary>
        public double? KlCoefficient { get; set; }
        /// <summary>A moving-average copy of the policy is kept beside it (PPO: DeepSpeed-Chat's --enable_ema, OpenRLHF's --train.enable_ema).</summary>
        public bool EmaCopy { get; set; }
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
        /// <summary>Width in pixels of the images a vision-language model is fed (-ImageSize WIDTHxHEIGHT).</summary>
        public int? ImageWidth { get; set; }
        /// <summary>Height in pixels of the images a vision-language model is fed.</summary>
        public int? ImageHeight { get; set; }
        /// <summary>Images in each sample of a vision-language model.</summary>
        public int? ImagesPerSample { get; set; }
        /// <summary>Language-model tokens per image, in place of what the model's processor computes.</summary>
        public int? VisionTokens { get; set; }
        /// <summary>Whether the vision encoder trains; the framework's default when not given.</summary>
        public VisionTraining? VisionTower { get; set; }

        public Workload Clone() => (Workload)MemberwiseClone();

        /// <summary>Drops every adapter setting (a method that trains the model's own weights, a frozen copy).</summary>
        internal void ClearAdapter()
        {
            LoraRank = null;
            LoraTargets = null;
            Adapter = null;
            VirtualTokens = null;
            OftBlockSize = null;
            LokrFactor = null;
            AdaLoraInitialRank = null;
        }

        /// <summary>A copy of this workload for another model (an alignment stage's reward or value model).</summary>
        public Workload WithModel(ModelArchitecture model)
        {
            var copy = Clone();
            copy.Model = model ?? throw new ArgumentNullException(nameof(model));
            return copy;
        }

        /// <summary>
        /// Whether two workloads describe the same run in every setting but <see cref="Gpu"/> (models by reference, LoRA
        /// target lists name by name): planners that try one run on many GPUs estimate each such run once.
        /// </summary>
        internal bool SameRunAs(Workload other) =>
            ReferenceEquals(Model, other.Model) && ModelName == other.ModelName && Method == other.Method
            && Precision == other.Precision && Optimizer == other.Optimizer && BatchSize == other.BatchSize
            && SequenceLength == other.SequenceLength && GradientAccumulation == other.GradientAccumulation
            && Checkpointing == other.Checkpointing && Attention == other.Attention && LoraRank == other.LoraRank
            && SameTargets(LoraTargets, other.LoraTargets) && Quantization == other.Quantization
            && Adapter == other.Adapter && VirtualTokens == other.VirtualTokens && OftBlockSize == other.OftBlockSize
            && LokrFactor == other.LokrFactor && AdaLoraInitialRank == other.AdaLoraInitialRank && OptimizerRank == other.OptimizerRank
            && TrainableLayers == other.TrainableLayers && GpuCount == other.GpuCount && Sharding == other.Sharding
            && Offload == other.Offload && Techniques == other.Techniques && Framework == other.Framework
            && SameTargets(FrameworkNotes, other.FrameworkNotes)
            && Equals(TransformersVersion, other.TransformersVersion) && Equals(TorchVersion, other.TorchVersion)
            && Equals(FrameworkVersion, other.FrameworkVersion) && Stage == other.Stage
            && ReferenceEquals(RewardModel, other.RewardModel) && RewardModelName == other.RewardModelName
            && NumGenerations == other.NumGenerations && PromptLength == other.PromptLength
            && GenerationLength == other.GenerationLength && RolloutMemoryFraction == other.RolloutMemoryFraction
            && RolloutSleep == other.RolloutSleep && VllmMode == other.VllmMode
            && PrecomputeReferenceLogProbs == other.PrecomputeReferenceLogProbs && KlCoefficient == other.KlCoefficient
            && EmaCopy == other.EmaCopy
            && TensorParallel == other.TensorParallel && PipelineParallel == other.PipelineParallel
            && PipelineSchedule == other.PipelineSchedule && VirtualStages == other.VirtualStages
            && SequenceParallel == other.SequenceParallel && ContextParallel == other.ContextParallel
            && ExpertParallel == other.ExpertParallel && GpusPerNode == other.GpusPerNode
            && ImageWidth == other.ImageWidth && ImageHeight == other.ImageHeight && ImagesPerSample == other.ImagesPerSample
            && VisionTokens == other.VisionTokens && VisionTower == other.VisionTower;

        /// <summary>A hash over the settings planners vary, consistent with <see cref="SameRunAs"/>.</summary>
        internal int RunHash()
        {
            unchecked
            {
                int h = (int)Method;
                h = h * 31 + (BatchSize ?? 0);
                h = h * 31 + (GpuCount ?? 0);
                h = h * 31 + (GradientAccumulation ?? 0);
                h = h * 31 + (int)(Sharding ?? (Engine.Sharding)(-1));
                h = h * 31 + (int)(Offload ?? (Engine.Offload)(-1));
                h = h * 31 + (int)(Checkpointing ?? (Engine.Checkpointing)(-1));
                h = h * 31 + (int)(Optimizer ?? (OptimizerKind)(-1));
                h = h * 31 + (int)(Precision ?? (Engine.Precision)(-1));
                h = h * 31 + (SequenceLength ?? 0);
                h = h * 31 + (int)Techniques;
                h = h * 31 + (int)(Framework ?? (Engine.Framework)(-1));
                return h;
            }
        }

        private static bool SameTargets(string[]? a, string[]? b)
        {
            if (ReferenceEquals(a, b)) return true;
            if (a is null || b is null || a.Length != b.Length) return false;
            for (int i = 0; i < a.Length; i++)
            {
                if (!string.Equals(a[i], b[i], StringComparison.Ordinal)) return false;
            }
            return true;
        }

        /// <summary>The model, the method and each setting given, by parameter name: "meta-llama/Llama-3.1-8B LoRA BatchSize=4 Gpu=H100-SXM".</summary>
        public override string ToString()
        {
            var words = new List<string> { ModelName.Length > 0 ? ModelName : Model.Id, Method.ToString() };
            void Given(string name, object? value)
            {
                if (value is not null) words.Add(name + "=" + Convert.ToString(value, CultureInfo.InvariantCulture));
            }
            Given(nameof(Stage), Stage);
            Given(nameof(Precision), Precision);
            Given(nameof(Optimizer), Optimizer);
            Given(nameof(BatchSize), BatchSize);
            Given(nameof(SequenceLength), SequenceLength);
            Given(nameof(GradientAccumulation), GradientAccumulation);
            Given(nameof(Checkpointing), Checkpointing);
            Given(nameof(Attention), Attention);
            Given(nameof(LoraRank), LoraRank);
            Given(nameof(LoraTargets), LoraTargets is null ? null : string.Join(",", LoraTargets));
            Given(nameof(Adapter), Adapter);
            Given(nameof(VirtualTokens), VirtualTokens);
            Given(nameof(OftBlockSize), OftBlockSize);
            Given(nameof(LokrFactor), LokrFactor);
            Given(nameof(AdaLoraInitialRank), AdaLoraInitialRank);
            Given(nameof(OptimizerRank), OptimizerRank);
            Given(nameof(Quantization), Quantization);
            Given(nameof(TrainableLayers), TrainableLayers);
            Given(nameof(GpuCount), GpuCount);
            Given(nameof(Sharding), Sharding);
            Given(nameof(Offload), Offload);
            Given(nameof(Techniques), Techniques == Techniques.None ? null : Techniques.ToString().Replace(" ", ""));
            Given(nameof(Framework), Framework is null ? null : FrameworkNames.ToName(Framework.Value));
            Given(nameof(TensorParallel), TensorParallel);
            Given(nameof(PipelineParallel), PipelineParallel);
            Given(nameof(ContextParallel), ContextParallel);
            Given(nameof(ExpertParallel), ExpertParallel);
            Given(nameof(Gpu), Gpu?.Name);
            return string.Join(" ", words);
        }
    }
}
