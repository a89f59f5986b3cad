using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using VramPS.Engine.Errors;
using VramPS.Engine.Estimation;
using VramPS.Engine.Frameworks;
using VramPS.Engine.Gpus;
using VramPS.Engine.Models;

namespace VramPS.Engine.Alignment
{
    /// <summary>
    /// An alignment stage's workload with every unset knob filled as TRL's trainer for the stage fills it, the cast of
    /// models the stage holds, and the batch shapes each model runs. Validates the stage's settings.
    /// </summary>
    internal sealed class StageRecipe
    {
        /// <summary>max_length of DPOConfig, KTOConfig, ORPOConfig, CPOConfig and RewardConfig.</summary>
        public const int PreferenceLength = 1024;
        public const int PromptTokens = 512;
        /// <summary>
        /// GRPOConfig.max_completion_length: 256 in every TRL release from v0.14.0, which introduced GRPO, to v1.9.0
        /// (huggingface/trl trl/trainer/grpo_config.py); main raised it to 512 after v1.9.0 (#6264, 2026-07-23).
        /// </summary>
        public const int GrpoCompletionTokens = 256;
        /// <summary>PPOConfig.response_length.</summary>
        public const int PpoResponseTokens = 53;
        /// <summary>GRPOConfig.num_generations.</summary>
        public const int Generations = 8;
        /// <summary>PPOConfig.local_rollout_forward_batch_size: sequences per generate call and per scoring forward.</summary>
        public const int RolloutForwardBatch = 64;
        /// <summary>The GPU whose memory a rollout fraction is taken of when the workload names none.</summary>
        public const string AssumedGpu = "H100-SXM";

        private readonly List<string> _notes = new List<string>();

        public StageRecipe(Workload w)
        {
            Stage = w.Stage ?? TrainingStage.Sft;
            Original = w;
            var given = w.Clone();
            var framework = FrameworkProfiles.Of(w.Framework ?? Framework.HfTrainer);
            if (!framework.AlignmentStages.Value)
                throw new InvalidWorkloadException("Stage",
                    $"-Stage {Stage} is not a stage -Framework {framework.Name} runs: VramPS models none but Sft for it ({framework.AlignmentStages.Source}). For -Stage {Stage} use -Framework {FrameworkProfiles.NamesWhere(p => p.AlignmentStages.Value && (p.Stages.Value?.Contains(Stage) ?? true))}.");
            if (framework.Stages.Value is IReadOnlyList<TrainingStage> stages && !stages.Contains(Stage))
                throw new InvalidWorkloadException("Stage",
                    $"-Framework {framework.Name} runs -Stage Sft, {string.Join(", ", stages)}; not {Stage} ({framework.Stages.Source}).");
            if (w.EmaCopy && !framework.EmaCopy.Value)
                throw new InvalidWorkloadException("EmaCopy",
                    $"-EmaCopy is a moving-average copy that {FrameworkProfiles.NamesWhere(p => p.EmaCopy.Value)} keep; -Framework {framework.Name} has none.");
            Profile = framework;
            EmaCopy = w.EmaCopy;
            if (w.Model.Encoder)
                throw new InvalidWorkloadException("Stage", $"-Stage {Stage} trains a causal language model; {w.Model.Id} is an encoder.");

            if (Stage == TrainingStage.Dpo && given.TransformersVersion is null && framework.DpoTransformersRelease.Value is Version dpoRelease)
            {
                given.TransformersVersion = dpoRelease;
                _notes.Add(framework.DpoTransformersRelease.Assumption!);
            }
            if (given.Checkpointing is null)
            {
                given.Checkpointing = framework.StageCheckpointing.Value ? Checkpointing.Full : Checkpointing.None;
                _notes.Add(framework.StageCheckpointing.Assumption ?? framework.StageCheckpointing.Source);
            }

            bool online = Stage == TrainingStage.Ppo || Stage == TrainingStage.Grpo;
            if (online && framework.Generation.Value == RolloutGeneration.HybridEngine)
            {
                string? engine = w.VllmMode != null ? "VllmMode" : w.RolloutMemoryFraction != null ? "RolloutMemoryFraction" : w.RolloutSleep != null ? "RolloutSleep" : null;
                if (engine != null)
                    throw new InvalidWorkloadException(engine,
                        $"-Framework {framework.Name} generates with the actor itself through DeepSpeed's hybrid engine ({framework.Generation.Source}): -{engine} sets up a vLLM engine it does not have.");
            }
            if (online)
            {
                PromptLength = Positive(w.PromptLength, "PromptLength", framework.PromptLength.Value ?? PromptTokens,
                    framework.PromptLength.Assumption ?? $"prompts of {PromptTokens} tokens");
                int completion = Stage == TrainingStage.Grpo ? GrpoCompletionTokens : PpoResponseTokens;
                string source = Stage == TrainingStage.Grpo ? "GRPOConfig.max_completion_length, TRL v0.14 to v1.9" : "PPOConfig.response_length";
                GenerationLength = Positive(w.GenerationLength, "GenerationLength", framework.GenerationLength.Value ?? completion,
                    framework.GenerationLength.Assumption ?? $"{completion} generated tokens ({source})");
                if ((long)PromptLength + GenerationLength > ResolvedRecipe.MaxTokens)
                {
                    string name = PromptLength >= GenerationLength ? "PromptLength" : "GenerationLength";
                    throw new InvalidWorkloadException(name, $"-PromptLength {PromptLength} plus -GenerationLength {GenerationLength} is more than {ResolvedRecipe.MaxTokens:N0} tokens per sequence, which VramPS does not estimate.");
                }
                given.SequenceLength = PromptLength + GenerationLength;
            }
            else if (given.SequenceLength is null)
            {
                given.SequenceLength = framework.PreferenceLength.Value ?? PreferenceLength;
                _notes.Add(framework.PreferenceLength.Assumption ?? $"sequence length {PreferenceLength} tokens (max_length of TRL's preference and reward configs)");
            }

            if (Stage == TrainingStage.Grpo)
            {
                NumGenerations = Positive(w.NumGenerations, "NumGenerations", Generations, framework.Stages.Value is null
                    ? $"{Generations} completions per prompt (GRPOConfig.num_generations)"
                    : $"{Generations} completions per prompt assumed, TRL's default (-NumGenerations gives {framework.Name}'s group size)");
                if (given.BatchSize is null)
                {
                    given.BatchSize = NumGenerations;
                    _notes.Add($"micro-batch of {NumGenerations} completions per GPU: one prompt's group");
                }
            }

            bool placed = StageSettings.TakesVllmMode(Stage, framework);
            if (placed && w.VllmMode == VllmMode.Server)
            {
                if (w.RolloutMemoryFraction != null)
                    throw new InvalidWorkloadException("VllmMode",
                        "-VllmMode Server runs vLLM on GPUs of its own (trl vllm-serve), so the training GPU gives it no share: leave out -RolloutMemoryFraction, or use -VllmMode Colocate.");
                if (!framework.RolloutServer.Value)
                    throw new InvalidWorkloadException("VllmMode",
                        $"-Framework {framework.Name} runs vLLM in the training process only ({framework.RolloutServer.Source}): use -VllmMode Colocate.");
                RolloutServer = true;
                _notes.Add(framework.Generation.Value == RolloutGeneration.Vllm
                    ? $"the vLLM engines generate on GPUs of their own ({framework.RolloutServer.Source}): the training GPU holds no engine and no KV cache"
                    : "vLLM generates on GPUs of its own (vllm_mode=\"server\"): the training GPU holds no engine and no KV cache, and the policy scores the batch for vLLM's importance-sampling correction");
            }
            double? share = w.RolloutMemoryFraction;
            if (placed && share is null && w.VllmMode == VllmMode.Colocate)
            {
                share = framework.RolloutDefaultFraction.Value;
                _notes.Add(framework.RolloutDefaultFraction.Assumption!);
            }
            else if (online && share is null && !RolloutServer && framework.RolloutFraction.Value is double colocated)
            {
                share = colocated;
                _notes.Add(framework.RolloutFraction.Assumption ?? framework.RolloutFraction.Source);
            }
            if (online && share is double fraction)
            {
                if (!(fraction > 0 && fraction < 1))
                    throw new InvalidWorkloadException("RolloutMemoryFraction", string.Format(CultureInfo.InvariantCulture,
                        "-RolloutMemoryFraction must be above 0 and below 1; got {0}.", fraction));
                RolloutSleep = w.RolloutSleep ?? framework.RolloutSleeps.Value;
                if (w.RolloutSleep is null) _notes.Add(framework.RolloutSleeps.Assumption!);
                double floor = framework.RolloutSleepMinimumFraction.Value;
                if (RolloutSleep && fraction < floor)
                {
                    _notes.Add(string.Format(CultureInfo.InvariantCulture,
                        "vLLM's memory fraction raised from {0} to {1} for its sleep between generations ({2})", fraction, floor, framework.RolloutSleepMinimumFraction.Source));
                    fraction = floor;
                }
                RolloutFraction = fraction;
                RolloutGpu = w.Gpu ?? GpuCatalog.Default.Get(AssumedGpu);
                if (w.Gpu is null) _notes.Add($"the rollout's memory fraction is of an {AssumedGpu} (no -Gpu given)");
                if (Stage == TrainingStage.Ppo && framework.Generation.Value == RolloutGeneration.HfGenerate)
                    _notes.Add("TRL's PPOTrainer generates with transformers: the colocated vLLM engine is OpenRLHF's (--colocate_all_models), which computes the policy's log-probs with a forward");
            }

            bool klLoadsReference = StageSettings.TakesKlCoefficient(Stage, framework);
            double kl = klLoadsReference ? w.KlCoefficient ?? framework.DefaultKlCoefficient.Value : 0;
            if (kl < 0 || double.IsNaN(kl) || double.IsInfinity(kl))
                throw new InvalidWorkloadException("KlCoefficient", string.Format(CultureInfo.InvariantCulture, "-KlCoefficient must be 0 or more; got {0}.", kl));

            Given = Stage == TrainingStage.RewardModel ? given.WithModel(w.Model.WithScalarHead()) : given;
            Policy = new ResolvedRecipe(Given, Stage == TrainingStage.Grpo ? GrpoPolicy(framework, w) : null);
            Behavior = new TrainerBehavior(Policy);
            _notes.InsertRange(0, Policy.Assumptions);
            // A profile that lists no Stages runs every stage of TRL's trainers, whose configs these notes name.
            bool trl = framework.Stages.Value is null;

            Rows = Stage switch
            {
                TrainingStage.RewardModel => 2 * Policy.BatchSize,
                TrainingStage.Dpo => 2 * Policy.BatchSize,
                TrainingStage.Orpo => 2 * Policy.BatchSize,
                TrainingStage.SimPo => 2 * Policy.BatchSize,
                _ => Policy.BatchSize,
            };
            if (Policy.Has(Techniques.FusedLinearLoss) && !LossBuffers.HasFusedLinearLoss(Stage) && Stage != TrainingStage.RewardModel)
                _notes.Add($"{(trl ? "TRL's trainer" : $"{framework.Name}'s trainer")} for -Stage {Stage} has no fused linear loss: its logits are counted");
            if (Rows != Policy.BatchSize)
                _notes.Add($"chosen and rejected run as one batch: {Rows} sequences of {Policy.SequenceLength} tokens per forward");
            if (Stage == TrainingStage.Kto)
                _notes.Add($"KTO's KL term runs {Policy.BatchSize} mismatched sequences through the policy and the reference without gradients");

            if (online)
            {
                RolloutBatch = Policy.BatchSize * Policy.GradientAccumulation;
                string config = !trl ? "" : Stage == TrainingStage.Grpo ? ", GRPOConfig.steps_per_generation" : ", PPOConfig.local_batch_size";
                _notes.Add(Stage == TrainingStage.Grpo
                    ? $"each generation round makes {RolloutBatch} completions per GPU (micro-batch x gradient accumulation{config})"
                    : $"each rollout makes {RolloutBatch} responses per GPU (micro-batch x gradient accumulation{config})");
                if (trl && Stage == TrainingStage.Grpo && RolloutBatch * Policy.GpuCount % NumGenerations != 0)
                    _notes.Add($"TRL needs the generation batch ({RolloutBatch * Policy.GpuCount} completions) to hold whole groups of {NumGenerations}");
            }

            bool adapter = Policy.IsAdapter;
            HasReference = Stage switch
            {
                TrainingStage.Dpo => !w.PrecomputeReferenceLogProbs,
                TrainingStage.Kto => !w.PrecomputeReferenceLogProbs,
                TrainingStage.Ppo => !framework.PpoReferenceOnlyWithKl.Value || kl > 0,
                TrainingStage.Grpo => kl > 0,
                _ => false,
            };
            ReferenceIsCopy = HasReference && (!adapter || framework.ReferenceAlwaysCopy.Value);
            if (HasReference && adapter && ReferenceIsCopy) _notes.Add(framework.ReferenceAlwaysCopy.Assumption!);
            if (w.PrecomputeReferenceLogProbs && (Stage == TrainingStage.Dpo || Stage == TrainingStage.Kto))
                _notes.Add("reference log-probs precomputed before training (precompute_ref_log_probs): no reference during the step");
            if (klLoadsReference && w.KlCoefficient is null)
                _notes.Add(framework.DefaultKlCoefficient.Assumption!);
            if (HasReference && adapter && !ReferenceIsCopy)
                _notes.Add("the reference is the policy's base with its adapters disabled: no second copy of the weights");

            if (Stage == TrainingStage.Ppo || (Stage == TrainingStage.Grpo && w.RewardModel != null))
            {
                var reward = w.RewardModel ?? w.Model;
                RewardArchitecture = reward.WithScalarHead();
                RewardName = w.RewardModel is null ? ModelName : (w.RewardModelName.Length > 0 ? w.RewardModelName : reward.Id);
                if (w.RewardModel is null)
                    _notes.Add($"reward model: the policy's architecture with a scalar head ({RewardArchitecture.TotalParameters / 1e9:0.##}B parameters); -RewardModel names another");
            }
            else if (Stage == TrainingStage.Grpo)
            {
                _notes.Add("rewards from reward functions, no reward model (-RewardModel adds one)");
            }
            if (Stage == TrainingStage.Ppo)
                _notes.Add($"value model: the reward model's architecture, trained with -Method {w.Method} like the policy (OpenRLHF's critic takes the actor's LoRA and 4-bit settings)");
            if (Stage == TrainingStage.Ppo && framework.SequentialPpoUpdates.Value)
                _notes.Add($"policy, then value model updated, each with its own optimizer step; the value model sharded like the policy ({framework.SequentialPpoUpdates.Source})");
            if (w.EmaCopy)
                _notes.Add($"a moving-average copy of the policy, 16-bit, sharded only under ZeRO-3 ({framework.EmaCopy.Source})");
            if ((ReferenceIsCopy || RewardArchitecture != null || w.EmaCopy) && framework.FrozenModelsSixteenBit.Assumption is string frozen)
                _notes.Add(frozen);
        }

        public TrainingStage Stage { get; }
        /// <summary>The framework whose trainer runs the stage.</summary>
        public FrameworkProfile Profile { get; }
        /// <summary>A moving-average copy of the policy is held (-EmaCopy).</summary>
        public bool EmaCopy { get; }
        /// <summary>The workload as given.</summary>
        public Workload Original { get; }
        /// <summary>The workload with the stage's defaults filled: the policy's (for reward modelling, the scalar-head model's).</summary>
        public Workload Given { get; }
        public ResolvedRecipe Policy { get; }
        public TrainerBehavior Behavior { get; }
        /// <summary>Sequences per training forward of the policy.</summary>
        public int Rows { get; }
        public int? PromptLength { get; }
        public int? GenerationLength { get; }
        public int? NumGenerations { get; }
        /// <summary>Sequences each generation round makes per GPU.</summary>
        public int? RolloutBatch { get; }
        public double? RolloutFraction { get; }
        public GpuSpec? RolloutGpu { get; }
        /// <summary>The colocated engine sleeps between generations.</summary>
        public bool RolloutSleep { get; }
        /// <summary>vLLM generates on GPUs of its own (TRL's vllm_mode="server").</summary>
        public bool RolloutServer { get; }
        public bool HasReference { get; }
        /// <summary>The reference is a separate model (the policy trains all or part of its own weights).</summary>
        public bool ReferenceIsCopy { get; }
        /// <summary>The reward model of PPO and GRPO, with its scalar head.</summary>
        public ModelArchitecture? RewardArchitecture { get; }
        public string RewardName { get; } = "";
        public IReadOnlyList<string> Assumptions => _notes;

        /// <summary>How the user named the policy.</summary>
        public string ModelName => Original.ModelName.Length > 0 ? Original.ModelName : Original.Model.Id;

        /// <summary>
        /// The policy as the GRPO trainer sets it up, which differs from the framework's SFT path: no k-bit preparation
        /// upcast, and adapters over a k-bit base cast to 16-bit.
        /// </summary>
        private FrameworkProfile GrpoPolicy(FrameworkProfile framework, Workload w)
        {
            bool kbit = w.Method == FinetuneMethod.QLoRA;
            if (kbit && framework.KbitPreparationUpcast.Value && !framework.GrpoKbitUpcast.Value)
                _notes.Add("GRPO's trainer prepares no k-bit training: the embedding, head and norms stay in the load dtype");
            if (kbit && framework.GrpoQuantizedAdapters16Bit.Value && !framework.AdaptersInComputeDtype.Value)
                _notes.Add("GRPO's trainer casts the adapters over a 4-bit base to bf16");
            return framework with
            {
                KbitPreparationUpcast = framework.GrpoKbitUpcast,
                AdaptersInComputeDtype = kbit && framework.GrpoQuantizedAdapters16Bit.Value ? framework.GrpoQuantizedAdapters16Bit : framework.AdaptersInComputeDtype,
            };
        }

        private int Positive(int? value, string name, int fallback, string why)
        {
            if (value is null)
            {
                _notes.Add(why);
                return fallback;
            }
            if (value.Value < 1)
                throw new InvalidWorkloadException(name, $"-{name} must be a positive integer; got {value.Value}.");
            return value.Value;
        }
    }
}
