using System.Collections.Generic;
using VramPS.Engine.Alignment;

namespace VramPS.Engine.Frameworks.Profiles
{
    /// <summary>
    /// verl (volcengine/verl) with its FSDP workers: the actor, reference and rollout share each GPU (the hybrid
    /// engine), the critic and reward model sit on the same resource pool. Sources read at verl b178a3c; -Offload in PPO and GRPO is verl's offload between phases (OffloadsBetweenPhases).
    /// </summary>
    internal static class Verl
    {
        public static FrameworkProfile Profile { get; } = HfTrainer.Profile with
        {
            Framework = Framework.Verl,
            Name = "verl",
            UnslothTakesRuns = new Cited<bool>(false, "verl's own loop over Ray workers; Unsloth does not load it"),
            Summary = "verl: PPO and GRPO with FSDP actor, critic and reference, a colocated vLLM or SGLang rollout",
            Versions = "verl 0.4-0.7",
            RunsUnder = new Cited<Framework?>(null, "verl/trainer/ppo/ray_trainer.py RayPPOTrainer.fit: its own loop over Ray workers"),
            TransformersTrainer = new Cited<bool>(false, "verl/workers/fsdp_workers.py and actor/dp_actor.py: its own FSDP training loop over transformers models"),
            QuantizedBase = new Cited<bool>(false, "verl/workers/fsdp_workers.py _build_model_optimizer: no bitsandbytes base"),
            KbitPreparationUpcast = new Cited<bool>(false, "verl has no k-bit preparation"),
            DdpBucketCopy = new Cited<bool>(false, "verl/workers/fsdp_workers.py: FSDP reduce-scatters each unit's gradients, no DDP buckets"),
            AlignmentStages = new Cited<bool>(true, "verl/trainer/main_ppo.py: PPO and GRPO over its own workers (verl/workers/fsdp_workers.py)"),
            Stages = new Cited<IReadOnlyList<TrainingStage>?>(new Text.ReadableList<TrainingStage>(new[] { TrainingStage.Ppo, TrainingStage.Grpo }, ", "),
                "verl/trainer/main_ppo.py: algorithm.adv_estimator gae (PPO, critic) or grpo; SFT through verl/trainer/fsdp_sft_trainer.py"),
            StageCheckpointing = new Cited<bool>(true, "verl/trainer/config/model/hf_model.yaml enable_gradient_checkpointing: True",
                "activation checkpointing on (verl's enable_gradient_checkpointing: True)"),
            PromptLength = new Cited<int?>(512, "verl/trainer/config/data/legacy_data.yaml max_prompt_length: 512", "prompts of 512 tokens (verl's data.max_prompt_length)"),
            GenerationLength = new Cited<int?>(512, "verl/trainer/config/data/legacy_data.yaml max_response_length: 512", "512 generated tokens (verl's data.max_response_length)"),
            FrozenModelsSixteenBit = new Cited<bool>(true,
                "verl/workers/fsdp_workers.py _build_model_optimizer: torch_dtype float32 for the actor, bfloat16 for the reference (model_dtype unset); FSDP shards it like the actor"),
            SequentialPpoUpdates = new Cited<bool>(true, "verl/trainer/ppo/ray_trainer.py fit: update_critic, then update_actor, each its own optimizer"),
            Generation = new Cited<RolloutGeneration>(RolloutGeneration.Vllm, "verl/trainer/config/rollout/rollout.yaml name: vllm or sglang, tensor_model_parallel_size 2"),
            RolloutFraction = new Cited<double?>(0.5, "verl/trainer/config/rollout/rollout.yaml gpu_memory_utilization: 0.5",
                "the rollout engine takes 0.5 of the GPU (verl's rollout.gpu_memory_utilization)"),
            RolloutDefaultFraction = new Cited<double>(0.5, "verl/trainer/config/rollout/rollout.yaml gpu_memory_utilization: 0.5",
                "the rollout engine takes 0.5 of the GPU (verl's rollout.gpu_memory_utilization)"),
            RolloutServer = new Cited<bool>(false, "verl/trainer/config/rollout/rollout.yaml mode: the hybrid engine runs the rollout in the actor's workers on the training GPUs"),
            RolloutSleeps = new Cited<bool>(true, "verl/trainer/config/rollout/rollout.yaml free_cache_engine: True: the engine sleeps (weights and KV cache released) outside generation",
                "the rollout engine holds its memory only while it generates (verl's free_cache_engine: True)"),
            EmaCopy = new Cited<bool>(false, "verl keeps no moving-average copy of the actor"),
            DefaultKlCoefficient = new Cited<double>(0.0,
                "verl/trainer/config/actor/actor.yaml use_kl_loss: false and ppo_trainer.yaml algorithm.use_kl_in_reward: False (verl@b178a3c): verl/trainer/ppo/utils.py need_reference_policy is false, no reference worker",
                "no reference model (verl's actor.use_kl_loss and algorithm.use_kl_in_reward are off; -KlCoefficient above 0 turns one on)"),
            PpoReferenceOnlyWithKl = new Cited<bool>(true, "verl/trainer/main_ppo.py (verl@b178a3c): the reference worker is added only if need_reference_policy(config), for PPO as for GRPO"),
            Adapters = new Cited<IReadOnlyList<AdapterKind>?>(new[] { AdapterKind.LoRA },
                "verl/workers/fsdp_workers.py (verl@b178a3c): model.lora_rank builds a plain peft LoraConfig for the actor and the critic (r, lora_alpha, target_modules); no other adapter"),
            FreezesLayers = new Cited<bool>(false,
                "verl (verl@b178a3c): no config key freezes decoder blocks; it freezes only a VLM's vision tower (actor.yaml freeze_vision_tower) and, on the Megatron backend, MoE routers (freeze_moe_router)"),
            DefaultSharding = new Cited<Sharding?>(Sharding.Zero3,
                "verl/workers/fsdp_workers.py (verl@b178a3c) get_sharding_strategy: ShardingStrategy.FULL_SHARD while fsdp_config.reshard_after_forward "
                + "(verl/trainer/config/engine/fsdp.yaml: true); verl/trainer/fsdp_sft_trainer.py: sharding_strategy=ShardingStrategy.FULL_SHARD",
                "FSDP full shard over the GPUs, -Sharding Zero3 (verl's fsdp_config.reshard_after_forward: true)"),
            OffloadsBetweenPhases = new Cited<bool>(true,
                "verl/workers/fsdp_workers.py (verl@b178a3c): actor and critic fsdp_config.param_offload and optimizer_offload; update_actor and update_critic "
                + "load_fsdp_model_to_gpu and load_fsdp_optimizer before the update and offload both after it, compute_log_prob and compute_values load "
                + "only the weights, rollout_mode offloads the weights before the engine resumes; the actor and critic are wrapped without FSDP's CPUOffload "
                + "(\"incorrect results when using grad accumulation\"), so the update and its gradients stay on the GPU",
                "-Offload moves the actor's and critic's sharded weights (OptimizerAndParameters) and optimizer states to the host between phases, "
                + "loading them back for their own forwards and update, which run on the GPU (verl's param_offload and optimizer_offload)"),
            FrozenModelsOnHost = new Cited<bool>(true,
                "verl/workers/fsdp_workers.py (verl@b178a3c) _build_model_optimizer: cpu_offload = None if role == \"actor\" else CPUOffload(offload_params=True) "
                + "(CPUOffloadPolicy under fsdp2) for the reference; RewardModelWorker._build_model wraps the reward model with CPUOffload(offload_params=True) too",
                "the reference and reward models keep their weights on the host, each unit brought onto the GPU for its forward (verl wraps them with FSDP's CPUOffload)"),
            OffloadsOptimizerAlone = new Cited<bool>(false,
                "verl/trainer/fsdp_sft_trainer.py (verl@b178a3c): cpu_offload = CPUOffload(offload_params=model.fsdp_config.offload_params) when model.fsdp_config.cpu_offload, "
                + "FSDP's only offload, which moves the optimizer step to the host only with the parameters"),
        };
    }
}
