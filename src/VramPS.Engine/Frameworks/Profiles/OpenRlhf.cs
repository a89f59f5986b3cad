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
        private const string OwnLoops = "OpenRLHF's own loops over DeepSpeed engines (openrlhf/cli, openrlhf/trainer, OpenRLHF@3c3be62): ";
        private const string PeftAdapters = "openrlhf/models/actor.py Actor: --lora_rank > 0 wraps the transformers model in peft get_peft_model(LoraConfig(r, lora_alpha, target_modules, lora_dropout)): ";
        private const string Bitsandbytes = "openrlhf/models/actor.py Actor: --ds.load_in_4bit loads the transformers model with BitsAndBytesConfig(load_in_4bit, nf4, double quant, bf16 compute): ";

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
            DefaultLoraRank = new Cited<int>(8, PeftAdapters + "openrlhf/cli --lora_rank default 0 (LoRA off); VramPS takes rank 8 where a LoRA run does not say (a guess)", "LoRA rank 8 (peft's default)"),
            PartialTraining = new Cited<bool>(true, PeftAdapters + "peft get_peft_model (LoRA, QLoRA over bitsandbytes); requires_grad_(False) on frozen blocks"),
            SimPoChosenNll = new Cited<bool>(true, OwnLoops + "openrlhf/cli/train_dpo.py --loss_type simpo is not modelled (Stages has no SimPO), so not read"),
            QuantizedBaseOneGpu = new Cited<bool>(false, Bitsandbytes + "peft's QLoRA runs under DDP, DeepSpeed and accelerate's FSDP (peft docs/source/accelerate/fsdp.md, deepspeed.md)"),
            PrecomputesReference = new Cited<bool>(true, OwnLoops + "not read from OpenRLHF: VramPS takes -PrecomputeReferenceLogProbs as given (train_dpo.py scores its reference model in the step)"),
            AdaptersInComputeDtype = new Cited<bool>(false, PeftAdapters + "peft upcasts the adapters to fp32 (tuners_utils.py autocast_adapter_dtype=True); DeepSpeed's bf16 engine then casts them with the model, which VramPS counts through ZeroSixteenBitGradients"),
            LoraDropout = new Cited<double>(0.0, PeftAdapters + "openrlhf/cli --lora_dropout default 0"),
            QkvZeroPadKeepsLoraOutput = new Cited<bool>(false, PeftAdapters + "peft/tuners/lora/layer.py Linear.forward: each adapted linear adds its own LoRA output, nothing padded"),
            OneAdapterPerFusedLinear = new Cited<bool>(false, PeftAdapters + "peft/tuners/lora/model.py _create_and_replace: one LoraLayer per targeted module, and transformers' Llama-style models keep q_proj, k_proj, v_proj, gate_proj and up_proj apart"),
            FusedKernelsFuseLora = new Cited<bool>(false, PeftAdapters + "Liger and compiled kernels fuse norms, RoPE and SwiGLU, not peft's LoRA branch"),
            Nf4OnlyAdaptedLinears = new Cited<bool>(false, Bitsandbytes + "bitsandbytes Linear4bit replaces every linear of the blocks and saves its input (bitsandbytes/autograd/_functions.py MatMul4Bit)"),
            DoubleQuant = new Cited<bool>(true, Bitsandbytes + "the QLoRA recipe (Dettmers et al. 2023): bnb_4bit_use_double_quant=True"),
            QuantizesHead = new Cited<bool>(false, Bitsandbytes + "transformers integrations/bitsandbytes.py get_keys_to_not_convert: the output embedding stays unquantized"),
            QuantizesFromFp16 = new Cited<bool>(false, Bitsandbytes + "transformers bitsandbytes quantizer: Params4bit from the checkpoint weight in its torch_dtype, so dequantize_4bit returns the compute dtype"),
            QuantizedInputOutlivesBackward = new Cited<bool>(false, Bitsandbytes + "bitsandbytes 0.43.2+ MatMul4Bit keeps no input (ctx.tensors = (None, B), bitsandbytes#1270); the Trainer frees each step's graph before the next"),
            QuantStatisticsUnsharded = new Cited<bool>(true, Bitsandbytes + "bitsandbytes@95f9af3 bitsandbytes/nn/modules.py Params4bit._quantize: the QuantState (absmax, nested absmax) is kept on the Linear4bit module too, and fix_4bit_weight_quant_state_from_module restores it after FSDP's flat parameter replaced the weight (\"the quant state got lost when the parameter got converted. This happens for example for fsdp\"): FSDP shards, offloads and all-gathers only the packed 4-bit data, as DeepSpeed's ZeRO-3 partitions only the parameter's data"),
            DpoTransformersRelease = new Cited<System.Version?>(null, OwnLoops + "the same transformers release as its other stages"),
            OffloadsBetweenPhases = new Cited<bool>(false, OwnLoops + "openrlhf/cli/train_ppo_ray.py --ds.adam_offload is DeepSpeed's offload through the step; VramPS models no offload between phases for it"),
            FrozenModelsOnHost = new Cited<bool>(false, OwnLoops + "openrlhf/cli --ref.offload and --reward.offload store_true: the reference and reward engines stay on the GPU unless given"),
            GrpoKbitUpcast = new Cited<bool>(false, OwnLoops + "openrlhf/models/actor.py: with --ds.load_in_4bit the LoRA modules are cast to bf16 after get_peft_model, no prepare_model_for_kbit_training"),
            GrpoQuantizedAdapters16Bit = new Cited<bool>(true, OwnLoops + "openrlhf/models/actor.py: with --ds.load_in_4bit every module named lora is cast to bf16"),
            GrpoLossPerSequence = new Cited<bool>(false, OwnLoops + "openrlhf/models/actor.py forward: log-probabilities of every action token of the micro-batch at once"),
            RolloutSharesWeights = new Cited<bool>(false, OwnLoops + "openrlhf/trainer/ray/vllm_engine.py LLMRayActor: each vLLM engine loads its own copy; the actor broadcasts its weights into it"),
            RolloutFractionOfFree = new Cited<bool>(false, OwnLoops + "openrlhf passes --vllm.gpu_memory_utilization to vLLM, whose fraction is of the GPU's total memory (vllm/config/cache.py)"),
            RolloutSleepMinimumFraction = new Cited<double>(0.0, OwnLoops + "openrlhf passes --vllm.gpu_memory_utilization to vLLM as given"),
            AllLinearLoraTargets = new Cited<bool>(true,
                "openrlhf/cli/train_sft.py, train_dpo.py, train_rm.py, train_ppo_ray.py (OpenRLHF@3c3be62): --target_modules default \"all-linear\", handed to peft's LoraConfig (openrlhf/models/actor.py)",
                "LoRA on every linear of the blocks (OpenRLHF's --target_modules all-linear)"),
            ReferenceAlwaysCopy = new Cited<bool>(true,
                "openrlhf/cli/train_dpo.py: ref_model = Actor(args.ref_pretrain, ...) without LoRA, a second model; openrlhf/cli/train_ppo_ray.py: the ReferenceModelActor group loads its own copy from --ref.pretrain",
                "the reference is a second model loaded from the base checkpoint, also under LoRA (OpenRLHF's ref_model / ReferenceModelActor)"),
        };
    }
}
