using System;

namespace VramPS.Engine.Frameworks.Profiles
{
    /// <summary>
    /// ModelScope's ms-swift on its transformers Trainer path (swift sft, swift rlhf over TRL's trainers), read at
    /// modelscope/ms-swift 3602360 (2026-08-22) unless a behaviour names another commit. Its Megatron path
    /// (megatron sft) is not this profile.
    /// </summary>
    internal static class MsSwift
    {
        private const string At = "ms-swift@3602360 ";

        public static FrameworkProfile Profile { get; } = HfTrainer.Profile with
        {
            Framework = Framework.MsSwift,
            Name = "ms-swift",
            UnslothTakesRuns = new Cited<bool>(false, "ms-swift's own recipe; it offers Unsloth itself (--tuner_backend unsloth), a setting of that stack"),
            Summary = "ms-swift swift sft / swift rlhf (transformers Trainer, TRL's trainers, peft; packing and padding_free off, no sequence parallel unless given)",
            Versions = "ms-swift 3.0-4.x",
            TransformersRelease = new Cited<Version?>(new Version(4, 50),
                "ms-swift requirements/framework.txt: transformers<4.53 at 9dc1071 (3.5, 2025-05) and <4.56 at 8ae0ade (3.8, 2025-08), the releases behind its example scripts' memory comments",
                "transformers 4.50+ loss path (bf16 logits kept, fp32 copy, labels shifted instead of the logits)"),
            DefaultCheckpointing = new Cited<Checkpointing?>(Checkpointing.Full,
                At + "swift/trainers/arguments.py TrainArgumentsMixin gradient_checkpointing: bool = True",
                "activation checkpointing on (ms-swift's gradient_checkpointing default True)"),
            FullTrainsLoadedDtype = new Cited<bool>(true,
                At + "swift/arguments/base_args/model_args.py: the model loads in torch_dtype (the config's, bfloat16 for current checkpoints) and bf16 follows it; swift/pipelines/train/tuner.py upcasts only fp16 trainable parameters",
                "Full training in the loaded bf16 dtype: weights, gradients and AdamW states bf16 (ms-swift's torch_dtype; ZeRO or FSDP would keep fp32 copies)"),
            AllLinearLoraTargets = new Cited<bool>(true,
                At + "swift/arguments/tuner_args.py target_modules default ['all-linear']",
                "LoRA on every linear of the blocks (ms-swift's target_modules all-linear)"),
            KbitPreparationUpcast = new Cited<bool>(false,
                At + "swift/pipelines/train/tuner.py (and swift/llm/train/tuner.py at 74e4831): no prepare_model_for_kbit_training outside Unsloth; only fp16 trainable parameters go to fp32"),
            LoraDropout = new Cited<double>(0.05, At + "swift/arguments/tuner_args.py lora_dropout: float = 0.05"),
            ReentrantCheckpointing = new Cited<bool>(true,
                At + "swift/trainers/mixin.py _fix_gradient_checkpointing: use_reentrant True on one GPU and under DeepSpeed or FSDP (False only for plain DDP)"),
            SimPoChosenNll = new Cited<bool>(true,
                At + "swift/arguments/rlhf_args.py cpo_alpha 1.0 and _init_simpo: rlhf_type simpo runs TRL's CPO trainer with loss_type simpo (CPO-SimPO)"),
            ShardsThroughDeepSpeed = new Cited<bool>(true,
                "ms-swift@0b45cce swift/llm/ds_config/zero2.json, zero3.json (--deepspeed zero2 / zero3; swift/config/ at 3602360): the Trainer hands the model to DeepSpeed's engine"),
            MasterCopyInOptimizer = new Cited<bool>(true,
                At + "swift/config/zero2.json, zero3.json (what --deepspeed zero2 / zero3 load): bf16 \"auto\", DeepSpeed's bf16 engine keeps a 16-bit model and fp32 master partitions"),
            ZeroSixteenBitGradients = new Cited<bool>(true,
                At + "swift/config/zero2.json, zero3.json: no data_types.grad_accum_dtype, so DeepSpeed keeps bf16 gradient partitions and casts one group to fp32 at its step"),
            ZeroSubGroupElements = new Cited<long>(1_000_000_000, At + "swift/config/zero3.json sub_group_size 1e9"),
            FlatParameterUnits = new Cited<bool>(false, At + "swift/config/zero3.json: DeepSpeed ZeRO-3 partitions each parameter on its own, every gradient its own tensor, no flat parameter of views"),
            GathersModules = new Cited<bool>(false,
                At + "swift/config/zero3.json stage3_max_live_parameters 1e9, stage3_max_reuse_distance 1e9: DeepSpeed keeps gathered parameters live well past one module, so VramPS counts a block-sized unit in flight as for FSDP"),
            OffloadsGradients = new Cited<bool>(true,
                At + "swift/config/zero2_offload.json, zero3_offload.json offload_optimizer cpu: DeepSpeed keeps the fp32 gradient partitions on the host"),
            ReduceBucketElements = new Cited<long>(200_000_000,
                At + "swift/config/zero2.json reduce_bucket_size 2e8"),
            QuantizedBaseLoadsWhole = new Cited<bool>(true, "ms-swift loads through transformers from_pretrained and its -Sharding Zero3 is DeepSpeed's (--deepspeed zero3): " + DeepSpeed.QuantizedLoad),
            Zero3ReduceBucketFromHiddenSize = new Cited<bool>(true,
                At + "swift/config/zero3.json reduce_bucket_size \"auto\": transformers integrations/deepspeed.py HfTrainerDeepSpeedConfig.trainer_config_finalize fills it with hidden_size * hidden_size"),
            DefaultKlCoefficient = new Cited<double>(0.04, "swift/arguments/rlhf_args.py@3602360 GRPOArguments: beta None becomes 0.04",
                "KL coefficient 0.04, so the reference model loads (ms-swift's GRPO beta default)"),
        };
    }
}
