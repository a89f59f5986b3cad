using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Runtime.CompilerServices;
using VramPS.Engine.Errors;
using VramPS.Engine.Frameworks;
using VramPS.Engine.Models;
using VramPS.Engine.Parsing;

namespace VramPS.Engine.Estimation
{
    /// <summary>
    /// A workload with every unset knob filled with what its framework does by default, and the list of defaults
    /// that were taken (the estimate's Assumptions). Also validates ranges and combinations.
    /// </summary>
    internal sealed class ResolvedRecipe
    {
        /// <summary>Tokens per micro-batch (2^28): far past what any GPU holds, low enough that no byte sum overflows.</summary>
        public const long MaxTokens = 1L << 28;

        /// <summary>LoRA rank (2^20): wider than any layer, low enough that adapter counts cannot overflow.</summary>
        public const int MaxLoraRank = 1 << 20;

        private readonly List<string> _assumptions = new List<string>(16);
        private readonly List<string> _warnings = new List<string>();
        /// <summary>What the framework's profile says of the run that VramPS estimates anyway, one sentence each naming the parameter.</summary>
        internal IReadOnlyList<string> Warnings => _warnings;
        /// <summary>Where the release asked cannot run the workload and a later one can (Warnings say so): the change that lets it, which the estimate takes; null otherwise.</summary>
        internal DatedChange? RunsFrom { get; }

        /// <param name="w">The workload.</param>
        /// <param name="profile">The framework's behaviour where a stage's trainer departs from its profile (an alignment
        /// stage's own model setup); null: the workload's framework profile.</param>
        public ResolvedRecipe(Workload w, FrameworkProfile? profile = null)
        {
            Workload = w;
            Model = w.Model;
            if (Model.Id.StartsWith("llama-like-", StringComparison.Ordinal))
            {
                _assumptions.Add($"a Llama-like model of {Model.TotalParameters / 1e9:0.##}B parameters: {Model.NumLayers} layers, hidden {Model.HiddenSize}, " +
                                 $"MLP {Model.IntermediateSize}, {Model.NumHeads} heads ({Model.NumKvHeads} KV), vocabulary {Model.VocabSize}");
            }
            Framework = w.Framework ?? Take(Engine.Framework.HfTrainer, "Framework HF-Trainer (transformers Trainer / TRL SFTTrainer)");
            Profile = ReleaseHistory.AsOf(profile ?? FrameworkProfiles.Of(Framework), w.FrameworkVersion, _assumptions);
            if (w.FrameworkNotes != null) _assumptions.AddRange(w.FrameworkNotes);
            if (w.Method != FinetuneMethod.Full && !Profile.PartialTraining.Value)
            {
                throw new InvalidWorkloadException("Method",
                    $"-Framework {Profile.Name} trains every parameter: -Method {w.Method} is not one it runs. Use -Method Full, or -Framework {FrameworkProfiles.NamesWhere(p => p.PartialTraining.Value)}.");
            }
            FrameworkOffers.Check(w, Profile);
            RunsFrom = FrameworkOffers.CheckPrecision(w, Profile, FullyShards(w), _warnings);
            Techniques = w.Techniques;
            var kernels = Profile.DefaultTechniques;
            if (kernels.Value != Techniques.None && (Techniques & kernels.Value) == 0)
            {
                Techniques |= kernels.Value;
                _assumptions.Add(kernels.Assumption!);
            }
            TransformersVersion = w.TransformersVersion ?? DefaultTransformersVersion();
            FrameworkOffers.CheckAttention(w, Profile, TransformersVersion);
            IsAdapter = w.Method == FinetuneMethod.LoRA || w.Method == FinetuneMethod.QLoRA;

            Precision = w.Precision ?? (w.Optimizer == OptimizerKind.BAdam
                ? Take(Engine.Precision.Bf16Mixed, "bf16 model under bf16 autocast: LLaMA-Factory upcasts nothing under use_badam (model/adapter.py init_adapter)")
                : DefaultPrecision(w));
            Optimizer = w.Optimizer ?? OptimizerKind.AdamW;
            Release = new LibraryRelease(w.TorchVersion, TransformersVersion, Profile, Optimizer, _assumptions);
            if (w.Optimizer == null)
            {
                _assumptions.Add(MasterCopyStack ? "Optimizer AdamW (fused)"
                    : Release.StepTemporariesOfLargest > 0 ? "Optimizer AdamW (one parameter at a time, as the release assumption says)"
                    : "Optimizer AdamW (torch, foreach implementation)");
            }
            BatchSize = Positive(w.BatchSize, "BatchSize", Profile.DefaultBatchSize.Value ?? 1, Profile.DefaultBatchSize.Assumption ?? "micro-batch 1 per GPU");
            SequenceLength = Positive(w.SequenceLength, "SequenceLength", Profile.DefaultSequenceLength.Value ?? 2048, Profile.DefaultSequenceLength.Assumption ?? "sequence length 2048 tokens");
            if ((long)BatchSize * SequenceLength > MaxTokens)
                throw new InvalidWorkloadException("BatchSize", $"-BatchSize {BatchSize} x -SequenceLength {SequenceLength} is more than {MaxTokens:N0} tokens per micro-batch, which VramPS does not estimate.");
            GradientAccumulation = Positive(w.GradientAccumulation, "GradientAccumulation", 1, "no gradient accumulation");
            SplitForPipeline(w);
            // Each parameter is stepped as soon as its gradient is ready, so nothing is left to accumulate: torchtune's
            // recipes raise "Gradient accumulation is not supported with optimizer in bwd" (full_finetune_single_device.py).
            if (Has(Techniques.OptimizerInBackward) && GradientAccumulation > 1)
            {
                throw new InvalidWorkloadException("GradientAccumulation",
                    $"-Techniques OptimizerInBackward steps each parameter during backward and keeps no gradient to accumulate: it needs -GradientAccumulation 1, not {GradientAccumulation}.");
            }
            Checkpointing = w.Checkpointing ?? DefaultCheckpointing(w.Method);
            if (Checkpointing == Engine.Checkpointing.Selective && Profile.SelectiveRecompute.Value == Frameworks.SelectiveRecompute.None)
                throw new InvalidWorkloadException("Checkpointing", SelectiveRefusal(Profile));
            Attention = w.Attention ?? DefaultAttention();
            if (Attention == AttentionKernel.Sdpa && Release.Torch is Version torch && torch < LibraryRelease.SdpaTorch(TransformersVersion))
            {
                string needs = $"SDPA needs torch {LibraryRelease.SdpaTorch(TransformersVersion).ToString(2)} ({(TransformersVersion != null ? "transformers' is_torch_sdpa_available: 2.1.1" : "torch.nn.functional.scaled_dot_product_attention")}), and -TorchVersion is {torch.ToString(2)}";
                throw w.Attention != null
                    ? new InvalidWorkloadException("Attention", $"-Attention Sdpa: {needs}. Use -Attention Eager.")
                    : new InvalidWorkloadException("TorchVersion", $"-Framework {Profile.Name} attends through torch SDPA: {needs}. Name a torch release it runs.");
            }
            int replica = Parallelism.ModelParallelOf(w);
            GpuCount = Positive(w.GpuCount, "GpuCount", replica, replica == 1 ? "one GPU" : $"{replica} GPUs: one data-parallel replica of TP x PP x CP");
            Parallel = new Parallelism(WithSequenceParallel(w), Model, GpuCount, GradientAccumulation, Profile.ExpertsSplitByTensorParallel.Value, Profile.DefaultPipelineSchedule, _assumptions);
            if (Parallel.Expert > 1 && Parallel.Tensor > 1 && Profile.ExpertsSplitByTensorParallel.Assumption is string experts) _assumptions.Add(experts);
            GpusPerNode = w.GpusPerNode ?? (GpuCount > 1 ? Take(8, "8 GPUs per node") : 8);
            if (GpusPerNode < 1) throw new InvalidWorkloadException("GpusPerNode", $"-GpusPerNode must be a positive integer; got {GpusPerNode}.");
            Sharding = w.Sharding ?? (Parallel.ShardDegree == 1 ? Engine.Sharding.None
                : Profile.DefaultSharding.Value is Sharding sharded ? Take(sharded, Profile.DefaultSharding.Assumption!)
                : w.Method == FinetuneMethod.Full && Profile.FullShardsOptimizer.Value ? Take(Engine.Sharding.Zero1, Profile.FullShardsOptimizer.Assumption!)
                : Take(Engine.Sharding.None, "plain data parallel (DDP), no sharding"));
            Offload = w.Offload ?? Engine.Offload.None;
            FrameworkOffers.CheckOffload(Profile, Offload, Sharding, Parallel.ShardDegree);
            if (Sharding != Engine.Sharding.None && Parallel.ShardDegree == 1) _assumptions.Add($"{Sharding} on one {(GpuCount == 1 ? "GPU" : "data-parallel rank")} shards nothing");

            Quantization = w.Quantization ?? (w.Method == FinetuneMethod.QLoRA
                ? Take(Engine.Quantization.NF4, "NF4 with double quantization (bitsandbytes)")
                : Engine.Quantization.None);
            if (w.Method == FinetuneMethod.QLoRA && Quantization == Engine.Quantization.None)
                throw new InvalidWorkloadException("Quantization", "-Method QLoRA needs a 4-bit or 8-bit base: -Quantization NF4, FP4 or Int8.");
            // bitsandbytes' 4-bit and 8-bit weights (Params4bit, Int8Params) are created with requires_grad=False: they
            // can only be a frozen base under adapters.
            if ((w.Method == FinetuneMethod.Full || w.Method == FinetuneMethod.Freeze) && Quantization != Engine.Quantization.None)
                throw new InvalidWorkloadException("Quantization",
                    $"-Method {w.Method} trains the model's own weights, and -Quantization {Quantization} weights cannot train: quantize a frozen base with -Method QLoRA (or LoRA), or give -Quantization None.");
            if (!Profile.QuantizedBase.Value && (w.Method == FinetuneMethod.QLoRA || Quantization != Engine.Quantization.None))
                throw new InvalidWorkloadException("Framework",
                    $"-Framework {Profile.Name} has no recipe for -Method {w.Method} with -Quantization {Quantization}: it holds no bitsandbytes 4-bit or 8-bit base. Use -Method LoRA or Full, or -Framework {FrameworkProfiles.NamesWhere(p => p.QuantizedBase.Value)}, the frameworks with a quantized base.");

            if (!IsAdapter && w.Adapter != null)
                throw new InvalidWorkloadException("Adapter", $"-Adapter applies to -Method LoRA and QLoRA (the base stays frozen); -Method {w.Method} trains the model's own weights.");
            Adapter = IsAdapter ? new AdapterMethod(w, Model, Profile.DefaultLoraRank, Positive, _assumptions) : AdapterMethod.None;
            if (IsAdapter && Profile.Adapters.Value is { } offered && !offered.Contains(Adapter.Kind))
            {
                throw new InvalidWorkloadException("Adapter",
                    $"-Framework {Profile.Name} has no {Adapter.Kind} adapter. Allowed with it: -Adapter {string.Join(", ", offered)}; -Framework {FrameworkProfiles.NamesWhere(p => p.PartialTraining.Value && (p.Adapters.Value?.Contains(Adapter.Kind) ?? true))} offer {Adapter.Kind}.");
            }
            LoraRank = Adapter.Rank;
            OptimizerRank = ResolveOptimizerRank(w);
            if (Optimizer == OptimizerKind.BAdam) CheckBlockOptimizer(w);
            LoraTargets = IsAdapter && Adapter.OnLinears ? ResolveTargets(w.LoraTargets) : Array.Empty<string>();
            if (Adapter.Kind == AdapterKind.LoRA && Profile.QkvZeroPadKeepsLoraOutput.Value && AdaptsFusedAttentionInput())
                _assumptions.Add(Profile.QkvZeroPadKeepsLoraOutput.Assumption!);
            if (Adapter.OnLinears && Profile.OneAdapterPerFusedLinear.Value && (AdaptsFusedLinear(0) || AdaptsFusedLinear(Model.NumLayers - 1)))
                _assumptions.Add(Profile.OneAdapterPerFusedLinear.Assumption!);
            HeadAdapted = IsAdapter && IsTarget("lm_head");
            if (w.Method == FinetuneMethod.Freeze && w.TrainableLayers > Model.NumLayers)
                throw new InvalidWorkloadException("TrainableLayers", $"-TrainableLayers {w.TrainableLayers} is more than the {Model.NumLayers} blocks of {Model.Id}: give at most {Model.NumLayers} (or -Method Full).");
            TrainableLayers = w.Method == FinetuneMethod.Freeze
                ? Math.Min(Positive(w.TrainableLayers, "TrainableLayers", 2, "the last 2 blocks train (LLaMA-Factory's freeze default)"), Model.NumLayers)
                : Model.NumLayers;
            FrozenInputsRequireGrad = w.Method == FinetuneMethod.Freeze && TrainableLayers < Model.NumLayers
                && Checkpointing == Engine.Checkpointing.Full && Profile.ReentrantCheckpointing.Value;
            if (FrozenInputsRequireGrad)
                _assumptions.Add("enable_input_require_grads() on: transformers' reentrant checkpointing passes no gradient to the trained blocks otherwise, so every block keeps its checkpointed input and backward recomputes the frozen ones too");
            if (Model.ModelType == "gpt_bigcode" && Profile.KeepsModelCache.Value)
                _assumptions.Add(Profile.KeepsModelCache.Assumption!);
            Vision = Model.HasVision ? new VisionRecipe(w, this, _assumptions) : VisionRecipe.None;
            if (!Model.HasVision && (w.ImageWidth != null || w.ImagesPerSample > 0 || w.VisionTokens != null || w.VisionTower != null))
                throw new InvalidWorkloadException(w.ImageWidth != null ? "ImageSize" : w.ImagesPerSample != null ? "ImagesPerSample" : w.VisionTokens != null ? "VisionTokens" : "VisionTower",
                    $"{Model.Id} has no vision encoder: -ImageSize, -ImagesPerSample, -VisionTokens and -VisionTower apply to vision-language models.");
            if ((long)BatchSize * (SequenceLength + Vision.TokensPerSample) > MaxTokens)
                throw new InvalidWorkloadException("ImagesPerSample", $"-BatchSize {BatchSize} x (-SequenceLength {SequenceLength} + {Vision.TokensPerSample} image tokens) is more than {MaxTokens:N0} tokens per micro-batch, which VramPS does not estimate.");
            SequenceLength += (int)Vision.TokensPerSample;
            if (Adapter.PrependedTokens > 0)
            {
                if ((long)BatchSize * ((long)SequenceLength + Adapter.PrependedTokens) > MaxTokens)
                    throw new InvalidWorkloadException("VirtualTokens", $"-BatchSize {BatchSize} x (-SequenceLength {SequenceLength} + -VirtualTokens {Adapter.PrependedTokens}) is more than {MaxTokens:N0} tokens per micro-batch, which VramPS does not estimate.");
                SequenceLength += Adapter.PrependedTokens;
                _assumptions.Add($"{Adapter.PrependedTokens} virtual tokens prepended to every sequence: every layer and the logits run over {SequenceLength} tokens");
            }
            if (TrainerBehavior.UsesUnslothFusedLoss(this))
                _assumptions.Add(string.Format(CultureInfo.InvariantCulture,
                    "Unsloth's fused loss in {0} chunk(s) of the logits (unsloth_zoo get_chunk_size: 16 bytes a logit against 4 GiB a chunk, else the next multiple of 4 chunks): a longer micro-batch can split into more, smaller chunks and hold less for its logits than a shorter one",
                    TrainerBehavior.UnslothFusedChunks(this)));
        }

        /// <summary>The images of a vision-language workload; <see cref="VisionRecipe.None"/> for a text-only model.</summary>
        public VisionRecipe Vision { get; }
        /// <summary>LoRA targets every linear (all-linear, or LLaMA-Factory's default): the vision encoder's too.</summary>
        public bool AllLinearTargets { get; private set; }

        /// <summary>
        /// Under Freeze with checkpointing, every block's input requires grad, the frozen ones' included. transformers'
        /// gradient_checkpointing_enable checkpoints with use_reentrant=True by default, and a reentrant checkpoint
        /// whose inputs need no gradient passes none to the weights inside it: a working Freeze recipe calls
        /// model.enable_input_require_grads(), which makes the embedding output require grad. LLaMA-Factory instead
        /// sets requires_grad on the input of the blocks with trainable parameters only and runs the frozen ones
        /// without checkpointing (src/llamafactory/model/model_utils/checkpointing.py,
        /// get_custom_gradient_checkpointing_func); litgpt, torchtune and Megatron-LM checkpoint without reentrancy.
        /// </summary>
        public bool FrozenInputsRequireGrad { get; }

        public Workload Workload { get; }
        public ModelArchitecture Model { get; }
        public Framework Framework { get; }
        /// <summary>What the framework does: every behaviour the engine asks about, each with its source.</summary>
        public FrameworkProfile Profile { get; }
        public Techniques Techniques { get; private set; }
        /// <summary>The transformers release whose model code runs (Trainer-based stacks and fsdp_qlora); null for litgpt and torchtune.</summary>
        public Version? TransformersVersion { get; }
        /// <summary>What the named torch release (and the Trainer's old default optimizer) changes in the step.</summary>
        public LibraryRelease Release { get; }
        public bool IsAdapter { get; }
        public Precision Precision { get; }
        public OptimizerKind Optimizer { get; }
        /// <summary>The projection rank of GaLore and APOLLO; 0 for the other optimizers.</summary>
        public int OptimizerRank { get; }
        public int BatchSize { get; private set; }
        /// <summary>Tokens per sample in the language model: -SequenceLength plus the image tokens of a vision-language model.</summary>
        public int SequenceLength { get; }
        public int GradientAccumulation { get; private set; }
        public Checkpointing Checkpointing { get; }
        public AttentionKernel Attention { get; }
        public int GpuCount { get; }
        public Parallelism Parallel { get; }
        public int GpusPerNode { get; }
        public Sharding Sharding { get; }
        public Offload Offload { get; }
        public Quantization Quantization { get; }
        public int LoraRank { get; }
        /// <summary>The parameter-efficient method and its settings (AdapterMethod.None without adapters).</summary>
        public AdapterMethod Adapter { get; }
        public string[] LoraTargets { get; }
        /// <summary>The -LoraTargets names that match no module, which peft skips, each with its case hint.</summary>
        public IReadOnlyList<string> SkippedLoraTargets { get; private set; } = Array.Empty<string>();
        /// <summary>-LoraTargets is scoped to the language model ("of the language model"): the vision tower carries no adapter.</summary>
        public bool LanguageModelTargetsOnly { get; private set; }
        /// <summary>LoRA adapts the output head (lm_head among the targets).</summary>
        public bool HeadAdapted { get; }

        /// <summary>Bit i set: LoRA adapts the modules named Model.LinearModuleNames[i].</summary>
        private ulong _adaptedNames;

        /// <summary>Whether LoRA adapts the modules of this name index (<see cref="ModelArchitecture.ModuleNameIndexes"/>).</summary>
        public bool AdaptsName(int nameIndex) => (_adaptedNames & (1UL << nameIndex)) != 0;

        /// <summary>LoRA adapts a block's attention input that is one module for q, k and v (query_key_value, qkv_proj).</summary>
        private bool AdaptsFusedAttentionInput()
        {
            var modules = Model.ModuleArray(0);
            var indexes = Model.ModuleNameIndexes(0);
            int fused = -1, count = 0;
            for (int i = 0; i < modules.Length; i++)
            {
                if (modules[i].Role != LinearRole.AttentionInput) continue;
                count++;
                fused = indexes[i];
            }
            return count == 1 && AdaptsName(fused);
        }

        /// <summary>An adapter wraps a linear of this block that the framework builds from several modules (Megatron-Core's linear_qkv, linear_fc1).</summary>
        private bool AdaptsFusedLinear(int layer)
        {
            var modules = Model.ModuleArray(layer);
            var names = Model.ModuleNameIndexes(layer);
            for (int j = 0; j + 1 < modules.Length; j++)
            {
                if (!AdaptedLinears.JoinsPrevious(this, modules, j) && AdaptedLinears.JoinsPrevious(this, modules, j + 1)
                    && AdaptedLinears.StartingAt(this, modules, names, j).Adapted)
                    return true;
            }
            return false;
        }

        private static ulong NameMask(IReadOnlyList<string> names, Func<string, bool> adapted)
        {
            ulong mask = 0;
            for (int i = 0; i < names.Count; i++)
            {
                if (adapted(names[i])) mask |= 1UL << i;
            }
            return mask;
        }

        /// <summary>Every linear of the blocks but routers' gates and fused expert parameters (not nn.Linear): all-linear, LLaMA-Factory's lora_target all.</summary>
        private static bool AllLinear(string name) => name != "gate" && name != "shared_expert_gate" && !ModelArchitecture.IsFusedExpertName(name);
        public int TrainableLayers { get; }

        public IReadOnlyList<string> Assumptions => _assumptions;

        /// <summary>16-bit model, fp32 master copy and fused optimizer (Megatron-LM, DeepSpeed).</summary>
        private bool MasterCopyStack => Profile.MasterCopyInOptimizer.Value;

        public bool Has(Techniques t) => (Techniques & t) == t;

        /// <summary>
        /// peft's default targets for each list of module names. An architecture keeps one list until a field of it
        /// changes (ModelArchitecture.LinearModuleNames), so the defaults are worked out once per architecture.
        /// </summary>
        private static readonly ConditionalWeakTable<IReadOnlyList<string>, PeftTargets> DefaultTargets =
            new ConditionalWeakTable<IReadOnlyList<string>, PeftTargets>();

        private static readonly ConditionalWeakTable<IReadOnlyList<string>, PeftTargets>.CreateValueCallback PeftDefaults = names =>
        {
            var defaults = names.Where(n => n == "q_proj" || n == "v_proj" || n == "c_attn" || n == "query_key_value"
                                           || n == "qkv_proj" || n == "query" || n == "value").ToArray();
            if (defaults.Length == 0) defaults = names.Where(n => n != "gate").ToArray();
            return new PeftTargets(defaults, $"LoRA on {string.Join(", ", defaults)} (peft's default targets)", NameMask(names, n => defaults.Contains(n)));
        };

        private sealed class PeftTargets
        {
            public PeftTargets(string[] targets, string assumption, ulong mask)
            {
                Targets = targets;
                Assumption = assumption;
                Mask = mask;
            }

            public string[] Targets { get; }
            public string Assumption { get; }
            /// <summary>The targets as bits of the architecture's module names.</summary>
            public ulong Mask { get; }
        }

        /// <summary>Whether LoRA adapts the module of this name (LoraTargets, matched exactly as peft matches them).</summary>
        private bool IsTarget(string moduleName) => LoraTargets.Contains(moduleName, StringComparer.Ordinal);

        /// <summary>
        /// BAdam partitions the model's own weights into blocks and trains one at a time, on one process: its step copies
        /// the 16-bit gradients to the block's fp32 copy itself (block_optim.py step_single_gpu); only LLaMA-Factory
        /// offers it (train/trainer_utils.py _create_badam_optimizer). Each block is one decoder layer:
        /// LLaMA-Factory passes no block list and BlockOptimizer.infer_param_groups makes one block per layer, leaving
        /// the embedding and head frozen (include_embedding, include_lm_head False).
        /// </summary>
        private void CheckBlockOptimizer(Workload w)
        {
            if (w.Method != FinetuneMethod.Full)
                throw new InvalidWorkloadException("Optimizer", $"-Optimizer BAdam trains the model's own weights block by block: it needs -Method Full, not -Method {w.Method}.");
            if (!Profile.BlockOptimizer.Value)
                throw new InvalidWorkloadException("Optimizer", $"-Framework {Profile.Name} has no -Optimizer BAdam: -Framework {FrameworkProfiles.NamesWhere(p => p.BlockOptimizer.Value)} offers it ({FrameworkProfiles.All.First(p => p.BlockOptimizer.Value).BlockOptimizer.Source}).");
            if (GpuCount > 1)
                throw new InvalidWorkloadException("GpuCount", $"-Optimizer BAdam is estimated on one GPU (block_optim.py step_single_gpu); -GpuCount {GpuCount} under DeepSpeed ZeRO-3 is not modelled.");
            _assumptions.Add("BAdam layer mode: one decoder layer per block, embedding and head frozen; the peak is taken with the lowest block active (backward runs through every block above it)");
        }

        /// <summary>
        /// GaLore and APOLLO project the gradients of the full weights (LLaMA-Factory refuses them with LoRA and
        /// Freeze: hparams/parser.py); their rank defaults to LLaMA-Factory's galore_rank and apollo_rank, 16.
        /// </summary>
        private int ResolveOptimizerRank(Workload w)
        {
            bool projects = Optimizer == OptimizerKind.GaLore || Optimizer == OptimizerKind.GaLore8bit || Optimizer == OptimizerKind.Apollo;
            if (!projects)
            {
                if (w.OptimizerRank != null)
                    throw new InvalidWorkloadException("OptimizerRank", $"-OptimizerRank is the projection rank of -Optimizer GaLore, GaLore8bit and Apollo; -Optimizer {Optimizer} has none.");
                return 0;
            }
            if (w.Method != FinetuneMethod.Full)
                throw new InvalidWorkloadException("Optimizer", $"-Optimizer {Optimizer} projects the gradients of the full weights: it needs -Method Full, not {w.Method}.");
            int rank = Positive(w.OptimizerRank, "OptimizerRank", 16, $"{Optimizer} rank 16 on every block linear (LLaMA-Factory's default rank and target)");
            if (rank > MaxLoraRank) throw new InvalidWorkloadException("OptimizerRank", $"-OptimizerRank must be at most {MaxLoraRank:N0}; got {rank}.");
            return rank;
        }

        private T Take<T>(T value, string why)
        {
            _assumptions.Add(why);
            return value;
        }

        private Precision DefaultPrecision(Workload w)
        {
            if (Profile.MixedPrecisionOnlyFullySharded.Value && w.Method == FinetuneMethod.Full && !FullyShards(w))
            {
                bool dataParallelOnly = (w.TensorParallel ?? 1) == 1 && (w.PipelineParallel ?? 1) == 1;
                return dataParallelOnly && Profile.AutocastsUnshardedDataParallel.Value
                    ? Take(Engine.Precision.Bf16Mixed, Profile.AutocastsUnshardedDataParallel.Assumption!)
                    : Take(Engine.Precision.Fp32, Profile.MixedPrecisionOnlyFullySharded.Assumption!);
            }
            return DefaultPrecision(w.Method, w.Sharding);
        }

        /// <summary>
        /// Whether fully_shard shards the parameters over more than one rank: -Sharding (or the profile's default)
        /// Zero2 or Zero3 over data- and context-parallel ranks, (GpuCount / (TP x PP x CP)) x CP, above 1.
        /// </summary>
        private bool FullyShards(Workload w)
        {
            var sharding = w.Sharding ?? Profile.DefaultSharding.Value ?? Engine.Sharding.None;
            if (sharding != Engine.Sharding.Zero2 && sharding != Engine.Sharding.Zero3) return false;
            int replica = Parallelism.ModelParallelOf(w);
            int gpus = w.GpuCount ?? replica;
            return replica > 0 && (long)gpus / replica * Math.Max(1, w.ContextParallel ?? 1) > 1;
        }

        private Precision DefaultPrecision(FinetuneMethod method, Sharding? sharding) =>
            Profile.Fp16ByDefault.Value
                ? Take(method == FinetuneMethod.Full || method == FinetuneMethod.Freeze ? Engine.Precision.Fp16Mixed : Engine.Precision.Fp16, Profile.Fp16ByDefault.Assumption!)
            : method == FinetuneMethod.Full || method == FinetuneMethod.Freeze
                ? Profile.FullTrainsLoadedDtype.Value && ((sharding ?? Engine.Sharding.None) == Engine.Sharding.None || Profile.ShardingKeepsLoadedDtype.Value)
                    ? Take(Engine.Precision.Bf16, Profile.FullTrainsLoadedDtype.Assumption!)
                    : Take(Engine.Precision.Bf16Mixed, MasterCopyStack
                        ? "bf16 weights with an fp32 master copy in the optimizer (--bf16)"
                        : Profile.UpcastsOnlyTrainable.Value && method == FinetuneMethod.Freeze
                            ? "bf16 autocast; frozen blocks stay bf16, trainable ones are upcast to fp32 (LLaMA-Factory)"
                            : Profile.MasterCopyInOptimizer.Assumption ?? "fp32 weights with bf16 autocast (Trainer --bf16)")
                : Take(Engine.Precision.Bf16, !Profile.AdaptersInComputeDtype.Value ? "frozen base in bf16, adapters in fp32 (peft's default)"
                    : Profile.Fp32MainCopyOfSixteenBitTrainables.Value ? "frozen base and adapters in bf16; the optimizer steps an fp32 main copy of the adapters with fp32 gradients (--bf16)"
                    : "frozen base and adapters in bf16 (the framework's adapters take the model's dtype)");

        /// <summary>The transformers release the framework's published runs used (its profile); null for a stack with its own model code.</summary>
        private Version? DefaultTransformersVersion()
        {
            var release = Profile.TransformersRelease;
            if (release.Value is null) return null;
            // What the loss path holds depends on the technique that computes the loss, not only on the release.
            string why = (Techniques & Techniques.FusedLinearLoss) != 0
                ? $"transformers {release.Value.ToString(2)} (its loss path unused: the fused linear cross-entropy never materializes the logits)"
                : (Techniques & Techniques.ChunkedLoss) != 0
                    ? $"transformers {release.Value.ToString(2)} loss path (bf16 logits kept; the fast cross-entropy keeps no fp32 log-softmax copies)"
                    : release.Assumption!;
            return Take(release.Value, why);
        }

        /// <summary>
        /// transformers 4.42-4.47 swap their default SDPA for eager attention on models that cap attention logits
        /// (Gemma2PreTrainedModel._check_and_enable_sdpa: "DISABLE torch SDPA by default on Gemma2 models").
        /// </summary>
        private static readonly Version EagerCappedFrom = new Version(4, 42);
        private static readonly Version EagerCappedUntil = new Version(4, 48);

        /// <summary>The first transformers release with an SDPA attention path (attn_implementation, v4.36.0).</summary>
        internal static readonly Version SdpaFrom = new Version(4, 36);

        private AttentionKernel DefaultAttention()
        {
            var kernel = Profile.DefaultAttention;
            if (kernel.Value is AttentionKernel own) return Take(own, kernel.Assumption!);
            if (TransformersVersion != null && TransformersVersion < SdpaFrom)
                return Take(AttentionKernel.Eager, $"eager attention: transformers {TransformersVersion.ToString(2)} predates the SDPA path (attn_implementation, 4.36)");
            if (TransformersVersion != null && Release.Torch is Version torch && torch < LibraryRelease.SdpaTorch(TransformersVersion))
                return Take(AttentionKernel.Eager, $"eager attention: torch {torch.ToString(2)} is older than the 2.1.1 that transformers' SDPA path needs (is_torch_sdpa_available)");
            if (Model.AttentionLogitSoftcap > 0 && Profile.TransformersTrainer.Value && TransformersVersion != null
                && TransformersVersion >= EagerCappedFrom && TransformersVersion < EagerCappedUntil)
                return Take(AttentionKernel.Eager, "eager attention: transformers 4.42-4.47 swap SDPA for eager on models that cap attention logits (Gemma 2)");
            return Take(AttentionKernel.Sdpa, "attention through torch SDPA (transformers' default)");
        }

        /// <summary>
        /// The checkpointing a framework runs a method with when not told: its profile's default, else on under QLoRA for
        /// the transformers Trainer stacks (peft's prepare_model_for_kbit_training turns it on), else off.
        /// </summary>
        internal static Checkpointing DefaultCheckpointingOf(Framework framework, FinetuneMethod method) =>
            DefaultCheckpointingOf(FrameworkProfiles.Of(framework), method).Mode;

        /// <summary>The default checkpointing of a profile for a method, with the words Assumptions record for it.</summary>
        private static (Checkpointing Mode, string Why) DefaultCheckpointingOf(FrameworkProfile profile, FinetuneMethod method)
        {
            var own = profile.DefaultCheckpointing;
            if (own.Value is Checkpointing mode) return (mode, own.Assumption!);
            return method == FinetuneMethod.QLoRA && profile.TransformersTrainer.Value
                ? (Engine.Checkpointing.Full, "activation checkpointing on (peft's prepare_model_for_kbit_training turns it on)")
                : (Engine.Checkpointing.None, own.Assumption ?? "no activation checkpointing (the Trainer's default)");
        }

        private Checkpointing DefaultCheckpointing(FinetuneMethod method)
        {
            var (mode, why) = DefaultCheckpointingOf(Profile, method);
            if (Profile.DefaultCheckpointing.Value != null && Profile.OffloadsCheckpoints.Value) Techniques |= Techniques.ActivationOffload;
            if (Profile.UnmodelledDefaultCheckpointing.Value)
                _warnings.Add($"no -Checkpointing: {Profile.Name}'s own default is a checkpointing VramPS does not model ({Profile.UnmodelledDefaultCheckpointing.Source}); the estimate checkpoints nothing, which holds more than that default. Give -Checkpointing as the run sets it.");
            return Take(mode, why);
        }

        /// <summary>
        /// Why -Checkpointing Selective is refused: VramPS models Megatron-LM's --recompute-granularity selective (the
        /// core attention recomputed, Korthikanti et al. 2022, section 5) and torchtitan's op-level selective
        /// checkpointing; a profile says which its framework has (SelectiveRecompute).
        /// </summary>
        private static string SelectiveRefusal(FrameworkProfile f) =>
            $"-Checkpointing Selective is Megatron-LM's core-attention recompute (--recompute-granularity selective) or torchtitan's op-level selective checkpointing; -Framework {f.Name} has no such mode. " +
            $"Use -Checkpointing None or Full, or -Framework {FrameworkProfiles.NamesWhere(p => p.SelectiveRecompute.Value != Frameworks.SelectiveRecompute.None)}, the frameworks VramPS models with it.";

        /// <summary>
        /// Where the framework's pipeline splits the local batch into micro-batches (PipelineMicroBatches), -BatchSize is
        /// that local batch: the step runs it as micro-batches of one per pipeline rank, one per stage (ranks x virtual
        /// stages), or one sample each.
        /// </summary>
        private void SplitForPipeline(Workload w)
        {
            var split = Profile.PipelineMicroBatches;
            int ranks = Math.Max(1, w.PipelineParallel ?? 1);
            if (split.Value == Frameworks.PipelineMicroBatches.Given || ranks < 2) return;
            int microBatches = split.Value switch
            {
                Frameworks.PipelineMicroBatches.OnePerRank => ranks,
                Frameworks.PipelineMicroBatches.OnePerStage => checked(ranks * Math.Max(1, w.VirtualStages ?? 1)),
                _ => BatchSize,
            };
            if (BatchSize % microBatches != 0)
            {
                throw new InvalidWorkloadException("BatchSize",
                    $"-Framework {Profile.Name} splits the local batch into {microBatches} pipeline micro-batches ({split.Assumption}): -BatchSize {BatchSize} must be a multiple of {microBatches}.");
            }
            _assumptions.Add($"the local batch of {BatchSize} split into {microBatches} pipeline micro-batches of {BatchSize / microBatches} ({split.Assumption})");
            BatchSize /= microBatches;
            GradientAccumulation = checked(GradientAccumulation * microBatches);
        }

        /// <summary>The workload as the framework splits it: sequence parallel wherever it runs tensor parallel and always pairs the two.</summary>
        private Workload WithSequenceParallel(Workload w)
        {
            var paired = Profile.TensorParallelSplitsSequence;
            if (!paired.Value || w.SequenceParallel || (w.TensorParallel ?? 1) < 2) return w;
            var split = w.Clone();
            split.SequenceParallel = true;
            _assumptions.Add(paired.Assumption!);
            return split;
        }

        private int Positive(int? value, string name, int fallback, string why)
        {
            if (value is null) return Take(fallback, why);
            if (value.Value < 1)
                throw new InvalidWorkloadException(name, $"-{name} must be a positive integer; got {value.Value}.");
            return value.Value;
        }

        private string[] ResolveTargets(string[]? given)
        {
            var names = Model.LinearModuleNames;
            if ((given is null || given.Length == 0) && Profile.AllLinearLoraTargets.Value)
            {
                _assumptions.Add(Profile.AllLinearLoraTargets.Assumption!);
                AllLinearTargets = true;
                _adaptedNames = NameMask(names, AllLinear);
                return names.Where(AllLinear).ToArray();
            }
            if ((given is null || given.Length == 0) && Adapter.Kind == AdapterKind.IA3)
            {
                var ia3 = names.Where(n => n == "k_proj" || n == "v_proj" || n == "down_proj").ToArray();
                if (ia3.Length > 0)
                {
                    _assumptions.Add($"IA3 on {string.Join(", ", ia3)} (peft's default targets)");
                    _adaptedNames = NameMask(names, n => ia3.Contains(n));
                    return ia3;
                }
            }
            if (given is null || given.Length == 0)
            {
                var defaults = DefaultTargets.GetValue(names, PeftDefaults);
                _assumptions.Add(defaults.Assumption);
                _adaptedNames = defaults.Mask;
                return (string[])defaults.Targets.Clone();
            }
            var text = LoraTargetText.Parse(given);
            _assumptions.AddRange(text.Remarks);
            LanguageModelTargetsOnly = text.LanguageModelOnly;
            if (text.ExpertParameters.Length > 0 && !Model.FusedExperts)
                throw new InvalidWorkloadException("LoraTargets",
                    $"-LoraTargets '+ MoE expert parameters {string.Join(", ", text.ExpertParameters)}': {Model.Id} has no fused expert parameters (its experts, if any, are linear modules that the target names select).");
            var experts = ExpertParameterTargets(names, text.ExpertParameters);
            if (text.AllLinear)
            {
                AllLinearTargets = true;
                _adaptedNames = NameMask(names, AllLinear) | NameMask(names, experts.Contains);
                return names.Where(AllLinear).Concat(experts).ToArray();
            }
            var list = text.Names;
            // Module targets select nn.Linear modules; fused expert parameters only through '+ MoE expert parameters'.
            // peft matches a target to a module name exactly, case included (tuners_utils.py check_target_module_exists:
            // re.fullmatch or key.endswith("." + target)), so Q_PROJ matches no q_proj.
            var known = new HashSet<string>(names.Where(n => !ModelArchitecture.IsFusedExpertName(n)).Concat(Model.VisionModuleArray.Select(m => m.Name)), StringComparer.Ordinal) { "lm_head" };
            var unmatched = list.Where(t => !known.Contains(t)).ToArray();
            // peft adapts every module whose name a target matches and refuses the list only when none matches
            // (tuners_utils.py BaseTuner.inject_adapter: "Target modules ... not found in the base model").
            if (unmatched.Length == list.Length)
                throw new InvalidWorkloadException("LoraTargets",
                    $"-LoraTargets '{unmatched[0]}' is not a linear module of {Model.Id}{LoraTargetText.CaseHint(unmatched[0], known)}. Allowed: {string.Join(", ", known)}, all-linear; the whole value: {LoraTargetText.Grammar}.");
            if (unmatched.Length > 0)
            {
                list = list.Except(unmatched, StringComparer.Ordinal).ToArray();
                SkippedLoraTargets = unmatched.Select(t => t + LoraTargetText.CaseHint(t, known)).ToArray();
                _assumptions.Add($"LoRA on {string.Join(", ", list)} only: {Model.Id} has no {string.Join(", ", SkippedLoraTargets)}, which peft skips as it matches no module");
            }
            _adaptedNames = NameMask(names, n => list.Contains(n, StringComparer.Ordinal)) | NameMask(names, experts.Contains);
            return list.Concat(experts).ToArray();
        }

        /// <summary>
        /// The fused expert parameters that peft's target_parameters select: a name matches a parameter whose path ends
        /// with it after a dot (tuners_utils.py BaseTuner._inject_parameters). Names that match none are skipped, as peft
        /// skips them, and recorded: Unsloth's get_moe_target_parameters names mlp.experts.*, which Gemma 4's layers, whose
        /// experts sit beside the MLP (layers.N.experts), do not have.
        /// </summary>
        private string[] ExpertParameterTargets(IReadOnlyList<string> names, string[] targets)
        {
            if (targets.Length == 0) return Array.Empty<string>();
            var fused = names.Where(ModelArchitecture.IsFusedExpertName).ToArray();
            var matched = fused.Where(f => targets.Any(t => ("." + f).EndsWith("." + t, StringComparison.Ordinal))).ToArray();
            var unmatched = targets.Where(t => !fused.Any(f => ("." + f).EndsWith("." + t, StringComparison.Ordinal))).ToArray();
            if (unmatched.Length > 0)
                _assumptions.Add($"no LoRA on the expert parameters {string.Join(", ", unmatched)}: {Model.Id}'s fused experts are {string.Join(", ", fused.Select(f => "layers.N." + f))}, which peft's target_parameters do not match to them");
            return matched;
        }

    }
}
