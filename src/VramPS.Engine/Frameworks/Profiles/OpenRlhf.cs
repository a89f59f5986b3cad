using System.Collections.Generic;
using VramPS.Engine.Alignment;

namespace VramPS.Engine.Frameworks.Profiles
{
    /// <summary>
    /// OpenRLHF: Ray places the actor, critic, reference and reward model (each a DeepSpeed engine) and the vLLM engines;
    /// --colocate_all_models puts them all on the same GPUs. Sources read at OpenRLHF 3c3be62.
    /// </summary>
    internal static class OpenRlhf
    {
        public static FrameworkProfile Profile { get; } = DeepSpeed.Profile with
        {
            Framework = Framework.OpenRLHF,
            Name = "OpenRLHF",
            UnslothTakesRuns = new Cited<bool>(false, "OpenRLHF's own loops over DeepSpeed engines; Unsloth does not load them"),
            Summary = "OpenRLHF: reward model, DPO, KTO, PPO and GRPO over DeepSpeed ZeRO with vLLM rollout engines",
            Versions = "OpenRLHF 0.6-0.9",
            RunsUnder = new Cited<Framework?>(null, "openrlhf/trainer/ppo_trainer.py, dpo_trainer.py: its own loops over DeepSpeed engines"),
            QuantizedBase = new Cited<bool>(true, "openrlhf/cli/train_ppo_ray.py --ds.load_in_4bit: bitsandbytes NF4 base"),
            Adapters = new Cited<IReadOnlyList<AdapterKind>?>(new[] { AdapterKind.LoRA },
                "openrlhf/models/actor.py and model.py (OpenRLHF@3c3be62): --lora_rank builds a plain peft LoraConfig (r, lora_alpha, target_modules, lora_dropout); no other adapter"),
            Optimizers = new Cited<IReadOnlyList<OptimizerKind>?>(new Text.ReadableList<OptimizerKind>(new[] { OptimizerKind.AdamW }, ", "),
                "openrlhf/utils/deepspeed/deepspeed.py (OpenRLHF@3c3be62): the DeepSpeed config's optimizer is \"type\": \"AdamW\" (FusedAdam, or DeepSpeedCPUAdam with --ds.adam_offload); no other"),
            DefaultSharding = new Cited<Sharding?>(Sharding.Zero2,
                "openrlhf/cli/train_sft.py, train_rm.py, train_dpo.py, train_ppo_ray.py (OpenRLHF@3c3be62): --ds.zero_stage default 2",
                "DeepSpeed ZeRO-2 over the GPUs, -Sharding Zero2 (OpenRLHF's --ds.zero_stage default)"),
            FreezesLayers = new Cited<bool>(false,
                "openrlhf/cli (OpenRLHF@3c3be62): no option freezes decoder blocks; the only freezing is --actor.freeze_visual_encoder (a VLM's vision tower) and --critic.freezing_steps (the whole actor for the first steps)"),
            AlignmentStages = new Cited<bool>(true, "openrlhf/cli/train_rm.py, train_dpo.py, train_ppo_ray.py"),
            Stages = new Cited<IReadOnlyList<TrainingStage>?>(new Text.ReadableList<TrainingStage>(new[] { TrainingStage.RewardModel, TrainingStage.Dpo, TrainingStage.Kto, TrainingStage.Ppo, TrainingStage.Grpo }, ", "),
                "openrlhf/cli: train_rm.py, train_dpo.py, train_kto.py, train_ppo_ray.py (--advantage_estimator gae or group_norm)"),
            StageCheckpointing = new Cited<bool>(false, "openrlhf/cli/train_ppo_ray.py --actor.gradient_checkpointing_enable, train_dpo.py --model.gradient_checkpointing_enable: store_true",
                "activation checkpointing off (OpenRLHF's gradient_checkpointing_enable flags are off unless given)"),
            PromptLength = new Cited<int?>(512, "openrlhf/cli/train_ppo_ray.py (OpenRLHF@3c3be62): no prompt cap of its own, only --data.max_len 2048 on prompt plus response",
                "prompts of 512 tokens assumed (OpenRLHF caps only prompt plus response, --data.max_len 2048)"),
            GenerationLength = new Cited<int?>(1536, "openrlhf/cli/train_ppo_ray.py (OpenRLHF@3c3be62) --rollout.max_new_tokens None: generation runs to --data.max_len 2048 less the prompt",
                "1536 generated tokens: up to OpenRLHF's --data.max_len 2048 less the prompt (--rollout.max_new_tokens None)"),
            PreferenceLength = new Cited<int?>(512, "openrlhf/cli/train_dpo.py --data.max_len default 512", "sequence length 512 tokens (OpenRLHF's --data.max_len)"),
            FrozenModelsSixteenBit = new Cited<bool>(true,
                "openrlhf/trainer/ray/launcher.py ReferenceModelActor, RewardModelActor: DeepSpeed eval engines in --ds.param_dtype (bf16) at --ds.zero_stage"),
            SequentialPpoUpdates = new Cited<bool>(true, "openrlhf/trainer/ray/ppo_actor.py and ppo_critic.py: actor and critic train in their own Ray actors, each its own optimizer step"),
            Generation = new Cited<RolloutGeneration>(RolloutGeneration.Vllm, "openrlhf/trainer/ray/vllm_engine.py LLMRayActor: vLLM engines (--vllm.num_engines, --vllm.tensor_parallel_size)"),
            RolloutFraction = new Cited<double?>(null,
                "openrlhf/cli/train_ppo_ray.py: the vLLM engines get their own GPUs unless --train.colocate_all (then -RolloutMemoryFraction gives --vllm.gpu_memory_utilization, default 0.95)"),
            RolloutDefaultFraction = new Cited<double>(0.95, "openrlhf/cli/train_ppo_ray.py --vllm.gpu_memory_utilization default 0.95",
                "the colocated vLLM engine takes 0.95 of the GPU (OpenRLHF's --vllm.gpu_memory_utilization)"),
            RolloutServer = new Cited<bool>(true, "openrlhf/cli/train_ppo_ray.py: the vLLM engines get GPUs of their own unless --train.colocate_all"),
            RolloutSleeps = new Cited<bool>(false, "openrlhf/cli/train_ppo_ray.py --vllm.enable_sleep store_true: the colocated engine keeps its pool unless given",
                "the colocated vLLM engine keeps its pool between generations (OpenRLHF's --vllm.enable_sleep is off unless given)"),
            DefaultKlCoefficient = new Cited<double>(0.01, "openrlhf/cli/train_ppo_ray.py (OpenRLHF@3c3be62) --algo.kl.init_coef default 0.01, for PPO and GRPO alike",
                "KL coefficient 0.01, so the reference model loads (OpenRLHF's --algo.kl.init_coef)"),
            PpoReferenceOnlyWithKl = new Cited<bool>(true, "openrlhf/cli/train_ppo_ray.py: the ReferenceModelActor group is created only if args.algo.kl.init_coef > 0"),
            EmaCopy = new Cited<bool>(true, "openrlhf/trainer/ray/ppo_actor.py (--train.enable_ema): a moving-average copy of the actor on the GPU"),
            OffloadsTrainedParameters = new Cited<bool>(false,
                "openrlhf/utils/deepspeed/deepspeed.py (OpenRLHF@3c3be62) get_ds_train_config: get_train_ds_config(offload=False, adam_offload=--ds.adam_offload): "
                + "a trained model's offload_param is always none, only --ref.offload and --reward.offload move frozen models' parameters"),
        };
    }
}
