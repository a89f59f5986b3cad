namespace VramPS.Engine.Frameworks.Profiles
{
    /// <summary>Microsoft DeepSpeed's engine (ZeRO) over a transformers model.</summary>
    internal static class DeepSpeed
    {
        /// <summary>How a bitsandbytes-quantized transformers model reaches ZeRO-3 (ms-swift's DeepSpeed path cites it too).</summary>
        internal const string QuantizedLoad =
            "transformers modeling_utils.py get_init_context: under ZeRO-3 a quantized model is built on the meta device, not under deepspeed.zero.Init, and every rank loads and quantizes all of it onto its GPU; "
            + "deepspeedai/DeepSpeed@edaa722 deepspeed/runtime/zero/parameter_offload.py _convert_to_zero_parameters partitions those parameters only when the engine starts "
            + "(huggingface/peft#1844, transformers 4.41.1: \"parameters first be fully loaded to each GPU and then be sharded\"); the caching allocator keeps the freed blocks";
        /// <summary>Where ZeRO-3's defaults were read: accelerate's DeepSpeed plugin writes no stage3_* key, so they apply.</summary>
        private const string DefaultsAt = "deepspeedai/DeepSpeed@18179807f (v0.13.2) deepspeed/runtime/zero/config.py DeepSpeedZeroConfig defaults (accelerate utils/dataclasses.py DeepSpeedPlugin.__post_init__ writes no stage3_* key into the config it builds from its yaml): ";
        public static FrameworkProfile Profile { get; } = HfTrainer.Profile with
        {
            Framework = Framework.DeepSpeed,
            Name = "DeepSpeed",
            UnslothTakesRuns = new Cited<bool>(false, "a DeepSpeed engine run; Unsloth's open-source release trains on one GPU without DeepSpeed"),
            Summary = "Microsoft DeepSpeed engine (ZeRO 1/2/3, offload) over a transformers model",
            Versions = "DeepSpeed 0.12-0.16",
            DefaultCheckpointing = new Cited<Checkpointing?>(null, "deepspeed/runtime/activation_checkpointing/config.py: off unless the config or the model enables it"),
            TransformersTrainer = new Cited<bool>(false, "deepspeed/runtime/engine.py DeepSpeedEngine: its own step, no Trainer autocast"),
            AlignmentStages = new Cited<bool>(false, "VramPS models TRL's alignment trainers; a DeepSpeed-only run has none"),
            KbitPreparationUpcast = new Cited<bool>(false, "DeepSpeed's engine does no bitsandbytes k-bit preparation"),
            FusedAdamW = new Cited<bool>(true, "deepspeed/ops/adam/fused_adam.py FusedAdam"),
            ShardsThroughDeepSpeed = new Cited<bool>(true, "deepspeed.initialize: ZeRO is the engine's own, with no accelerate around the model"),
            MasterCopyInOptimizer = new Cited<bool>(true,
                "deepspeed/runtime/bf16_optimizer.py BF16_Optimizer and ZeRO's fp32 partitions: 16-bit model, fp32 master and gradients"),
            DdpBucketCopy = new Cited<bool>(false,
                "deepspeed/runtime/engine.py allreduce_gradients -> buffered_allreduce_fallback: no torch DDP, a 5e8-element reduce bucket instead"),
            ZeroGradTakesTorchDefault = new Cited<bool>(false, "deepspeed/runtime/zero/stage_1_and_2.py and stage3.py zero_grad(set_to_none=True)"),
            FlatParameterUnits = new Cited<bool>(false, "DeepSpeed ZeRO-3 partitions each parameter on its own (deepspeed/runtime/zero/partition_parameters.py): every gradient is its own tensor, no flat parameter of views"),
            GathersModules = new Cited<bool>(true,
                "deepspeedai/DeepSpeed@18179807f deepspeed/runtime/zero/partitioned_param_coordinator.py: fetch_sub_module gathers each module's own parameters, prefetches along the recorded trace and release_sub_module partitions them again unless reused within stage3_max_reuse_distance; "
                + "stage3.py estimate_zero3_model_states_mem_needs counts the largest module's 16-bit weight and gradient in flight"),
            Zero3ReuseDistance = new Cited<long>(1_000_000_000, DefaultsAt + "stage3_max_reuse_distance 1e9"),
            Zero3MaxLiveParameters = new Cited<long>(1_000_000_000, DefaultsAt + "stage3_max_live_parameters 1e9"),
            Zero3PrefetchBucketElements = new Cited<long>(50_000_000, DefaultsAt + "stage3_prefetch_bucket_size 5e7"),
            ZeroSixteenBitGradients = new Cited<bool>(true,
                "deepspeedai/DeepSpeed@edaa722 deepspeed/runtime/engine.py get_data_types: grad_accum_dtype defaults to the model's bf16/fp16, so ZeRO-1/2 (stage_1_and_2.py grads_in_partition, ipg buffers) "
                + "and ZeRO-3 (stage3.py grad_partitions_flat_buffer) hold 16-bit gradients; step() casts one group's (stage3: sub-group's) flattened partition to fp32 at a time and frees it after that group's update"),
            ZeroSubGroupElements = new Cited<long>(1_000_000_000, "deepspeedai/DeepSpeed@edaa722 deepspeed/runtime/zero/config.py sub_group_size 1e9"),
            OffloadsGradients = new Cited<bool>(true, "deepspeed/runtime/zero/stage_1_and_2.py cpu_offload: fp32 gradient partitions on the host"),
            ReduceBucketElements = new Cited<long>(500_000_000, "deepspeed/runtime/zero/config.py reduce_bucket_size 5e8"),
            QuantizedBaseLoadsWhole = new Cited<bool>(true, QuantizedLoad),
            Fp16GradientsFlattenedAtStep = new Cited<bool>(true,
                "deepspeedai/DeepSpeed@edaa722 deepspeed/runtime/engine.py _do_optimizer_sanity_check: fp16 without ZeRO (grad_accum_dtype = model dtype) -> FP16_Optimizer; "
                + "fp16/fused_optimizer.py step: per param group _flatten_dense_tensors([p.grad.to(fp32) ...]) as the fp32 master's .grad, then p.grad = None"),
            ZeroOffloadOnly = new Cited<bool>(true,
                "deepspeedai/DeepSpeed@edaa722 deepspeed/runtime/zero/config.py: offload_optimizer belongs to the ZeRO optimizer (stages 1-3), offload_param is \"valid only with stage 3\" (stage_1_and_2.py never reads it)"),
            UnshardedReduceAfterBackward = new Cited<bool>(true,
                "deepspeedai/DeepSpeed@edaa722 deepspeed/runtime/engine.py _backward_epilogue -> allreduce_gradients: without ZeRO, buffered_allreduce_fallback flattens the gradients into 5e8-element buckets after loss.backward returns"),
        };
    }
}
