using System.Collections.Generic;

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
        private const string Engine = "deepspeed/runtime/engine.py DeepSpeedEngine over the script's transformers model: ";
        private const string NoStages = "a DeepSpeed engine run trains one model; VramPS models no preference or RL stage and no rollout engine for it (AlignmentStages): not read";
        private const string TransformersModel = "deepspeed.initialize wraps the transformers model the script built, so transformers' model code decides it: ";
        private const string PeftAdapters = "deepspeed.initialize takes the model as the script hands it, adapters from peft's get_peft_model included: ";
        private const string BitsandbytesBase = "a bitsandbytes base comes from the script's transformers from_pretrained(quantization_config=BitsAndBytesConfig), which the engine trains as it is: ";

        public static FrameworkProfile Profile { get; } = HfTrainer.Profile.WithoutStages(NoStages).TrainingTransformersModels(TransformersModel) with
        {
            Framework = Framework.DeepSpeed,
            Name = "DeepSpeed",
            UnslothTakesRuns = new Cited<bool>(false, "a DeepSpeed engine run; Unsloth's open-source release trains on one GPU without DeepSpeed"),
            Summary = "Microsoft DeepSpeed engine (ZeRO 1/2/3, offload) over a transformers model",
            Versions = "DeepSpeed 0.12-0.16",
            DefaultCheckpointing = new Cited<Checkpointing?>(null, "deepspeed/runtime/activation_checkpointing/config.py: off unless the config or the model enables it"),
            UnmodelledDefaultCheckpointing = new Cited<bool>(false, "deepspeed/runtime/activation_checkpointing/config.py: nothing checkpointed unless asked, which VramPS models (-Checkpointing None)"),
            Precisions = new Cited<IReadOnlyList<Precision>?>(null, "deepspeed/runtime/config.py fp16 and bf16 sections (16-bit weights over fp32 optimizer masters), fp32 without them: not restricted by its profile"),
            BuildsMixtureOfExperts = new Cited<bool>(true, "deepspeed/runtime/engine.py DeepSpeedEngine wraps the module it is given, transformers' sparse decoders included (deepspeed/moe for its own layers)"),
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
            DefaultTechniques = new Cited<Techniques>(Techniques.None, Engine + "no Liger kernels or torch.compile unless the script patches the model or the config's compile section asks"),
            OffloadsCheckpoints = new Cited<bool>(false, Engine + "deepspeed/runtime/activation_checkpointing/config.py cpu_checkpointing false by default; transformers' gradient_checkpointing_enable keeps the checkpoints on the GPU"),
            AllLinearLoraTargets = new Cited<bool>(false, PeftAdapters + "peft/utils/constants.py TRANSFORMERS_MODELS_TO_LORA_TARGET_MODULES_MAPPING (q_proj, v_proj)"),
            FullTrainsLoadedDtype = new Cited<bool>(false, Engine + "deepspeed/runtime/engine.py _configure_distributed_model: with bf16 or fp16 enabled the engine casts the model to 16 bits and keeps fp32 master weights in its optimizer (MasterCopyInOptimizer), not the loaded dtype alone"),
            FullShardsOptimizer = new Cited<bool>(false, Engine + "ZeRO only where the config's zero_optimization.stage asks (-Sharding)"),
            DefaultSharding = new Cited<Sharding?>(null, Engine + "deepspeed/runtime/zero/config.py stage default 0: no ZeRO unless the config asks (-Sharding)"),
            Fp16ByDefault = new Cited<bool>(false, Engine + "VramPS takes bf16 (the config's bf16.enabled) where the run does not say (deepspeed/runtime/config.py: neither fp16 nor bf16 enabled by default)"),
            DefaultBatchSize = new Cited<int?>(null, Engine + "deepspeed/runtime/config.py train_micro_batch_size_per_gpu has no default; VramPS takes 1 where the run does not say"),
            DefaultSequenceLength = new Cited<int?>(null, Engine + "the script decides the sequence length; VramPS takes 2048 tokens where the run does not say"),
            DefaultLoraRank = new Cited<int>(8, PeftAdapters + "peft LoraConfig r default 8", "LoRA rank 8 (peft's default)"),
            RunsUnder = new Cited<Framework?>(null, Engine + "the script's own loop calls engine.backward and engine.step (deepspeed/runtime/engine.py)"),
            PartialTraining = new Cited<bool>(true, PeftAdapters + "peft get_peft_model (LoRA, QLoRA over bitsandbytes); requires_grad_(False) on frozen blocks"),
            TensorParallelSplitsSequence = new Cited<bool>(false, Engine + "no tensor parallelism VramPS models for the engine (AutoTP is not modelled); sequence parallelism only where the workload asks (-SequenceParallel)"),
            SavesGatheredLinearInputs = new Cited<bool>(false, Engine + "no tensor parallelism VramPS models for the engine (AutoTP is not modelled): tensor-parallel layouts are Megatron-LM's"),
            ExpertsSplitByTensorParallel = new Cited<bool>(true, Engine + "no tensor parallelism VramPS models for the engine: tensor-parallel layouts are Megatron-LM's"),
            LossParallel = new Cited<bool>(false, Engine + "the transformers model's loss takes whole logits"),
            PipelineMicroBatches = new Cited<PipelineMicroBatches>(Frameworks.PipelineMicroBatches.Given, Engine + "-BatchSize is train_micro_batch_size_per_gpu and -GradientAccumulation gradient_accumulation_steps (deepspeed/runtime/config.py)"),
            PipelineHoldsUnshardedStage = new Cited<bool>(false, Engine + "DeepSpeed's PipelineModule (deepspeed/runtime/pipe) is not modelled: pipeline layouts are Megatron-LM's"),
            PipelineKeepsMicroBatchTensors = new Cited<bool>(false, Engine + "DeepSpeed's PipelineModule (deepspeed/runtime/pipe) is not modelled: pipeline layouts are Megatron-LM's"),
            PipelineKeepsOutputs = new Cited<bool>(false, Engine + "DeepSpeed's PipelineModule (deepspeed/runtime/pipe) is not modelled: pipeline layouts are Megatron-LM's"),
            SelectiveRecompute = new Cited<SelectiveRecompute>(Frameworks.SelectiveRecompute.None, Engine + "deepspeed/runtime/activation_checkpointing/checkpointing.py and transformers' gradient_checkpointing_enable checkpoint whole blocks"),
            Optimizers = new Cited<IReadOnlyList<OptimizerKind>?>(null, Engine + "deepspeed/runtime/engine.py _configure_basic_optimizer: the config's Adam, AdamW, Lamb, OneBitAdam, Adagrad, Lion and the like, or any torch optimizer the script hands in"),
            OfferedTechniques = new Cited<Techniques?>(null, Engine + "the script may patch the transformers model (Liger) or compile it; VramPS reads the techniques a run names"),
            DataParallelOnly = new Cited<bool>(true, Engine + "VramPS models the engine with ZeRO data parallelism over a transformers model; deepspeed.pipe's PipelineModule (deepspeed/runtime/pipe/engine.py, which refuses ZeRO-2 and ZeRO-3) and AutoTP training wrap the model in ways it does not model, so a tensor-, pipeline-, context- or expert-parallel layout is refused rather than estimated as Megatron-LM's"),
            QuantizedBaseOneGpu = new Cited<bool>(false, BitsandbytesBase + "peft's QLoRA runs under DDP, DeepSpeed and accelerate's FSDP (peft docs/source/accelerate/fsdp.md, deepspeed.md)"),
            FreezesLayers = new Cited<bool>(true, Engine + "the script may freeze blocks by requires_grad before deepspeed.initialize; the engine trains what requires grad"),
            BlockOptimizer = new Cited<bool>(false, Engine + "deepspeed/runtime/engine.py: no block-wise optimizer"),
            ReentrantCheckpointing = new Cited<bool>(true, Engine + "transformers modeling_utils.py gradient_checkpointing_enable (use_reentrant=True unless told otherwise), or deepspeed/runtime/activation_checkpointing/checkpointing.py CheckpointFunction, reentrant too"),
            AdaptersInComputeDtype = new Cited<bool>(false, PeftAdapters + "peft tuners_utils.py autocast_adapter_dtype=True: adapters upcast to fp32"),
            QuantizedBase = new Cited<bool>(true, Engine + "the script may load the transformers model with BitsAndBytesConfig (load_in_4bit, load_in_8bit) before deepspeed.initialize: bitsandbytes Linear4bit / Linear8bitLt"),
            Adapters = new Cited<IReadOnlyList<AdapterKind>?>(null, PeftAdapters + "peft get_peft_model: any peft config (LoRA and its variants, IA3, VeRA, LoHa, LoKr, OFT, BOFT, prompt methods ...)"),
            AutocastsSixteenBitModel = new Cited<bool>(true, Engine + "deepspeed/runtime/engine.py: bf16 or fp16 enabled casts the model to 16 bits (torch_autocast only where the config's torch_autocast section asks)"),
            LoraDropout = new Cited<double>(0.0, PeftAdapters + "peft LoraConfig lora_dropout default 0.0"),
            QkvZeroPadKeepsLoraOutput = new Cited<bool>(false, PeftAdapters + "peft/tuners/lora/layer.py Linear.forward: each adapted linear adds its own LoRA output, nothing padded"),
            OneAdapterPerFusedLinear = new Cited<bool>(false, PeftAdapters + "peft/tuners/lora/model.py _create_and_replace: one LoraLayer per targeted module, and transformers' Llama-style models keep q_proj, k_proj, v_proj, gate_proj and up_proj apart"),
            FusedKernelsFuseLora = new Cited<bool>(false, PeftAdapters + "Liger and compiled kernels fuse norms, RoPE and SwiGLU, not peft's LoRA branch"),
            Nf4OnlyAdaptedLinears = new Cited<bool>(false, BitsandbytesBase + "bitsandbytes Linear4bit replaces every linear of the blocks and saves its input (bitsandbytes/autograd/_functions.py MatMul4Bit)"),
            DoubleQuant = new Cited<bool>(true, BitsandbytesBase + "the QLoRA recipe (Dettmers et al. 2023): bnb_4bit_use_double_quant=True"),
            QuantizesHead = new Cited<bool>(false, BitsandbytesBase + "transformers integrations/bitsandbytes.py get_keys_to_not_convert: the output embedding stays unquantized"),
            QuantizesFromFp16 = new Cited<bool>(false, BitsandbytesBase + "transformers bitsandbytes quantizer: Params4bit from the checkpoint weight in its torch_dtype, so dequantize_4bit returns the compute dtype"),
            QuantizedInputOutlivesBackward = new Cited<bool>(false, BitsandbytesBase + "bitsandbytes 0.43.2+ MatMul4Bit keeps no input (ctx.tensors = (None, B), bitsandbytes#1270); the Trainer frees each step's graph before the next"),
            QuantStatisticsUnsharded = new Cited<bool>(true, BitsandbytesBase + "bitsandbytes@95f9af3 bitsandbytes/nn/modules.py Params4bit._quantize: the QuantState (absmax, nested absmax) is kept on the Linear4bit module too, and fix_4bit_weight_quant_state_from_module restores it after FSDP's flat parameter replaced the weight (\"the quant state got lost when the parameter got converted. This happens for example for fsdp\"): FSDP shards, offloads and all-gathers only the packed 4-bit data, as DeepSpeed's ZeRO-3 partitions only the parameter's data"),
            UpcastsOnlyTrainable = new Cited<bool>(false, Engine + "deepspeed/runtime/engine.py casts every parameter to the config's 16-bit dtype; fp32 lives in the optimizer's master copy"),
            OutputKept = new Cited<OutputLifetime>(OutputLifetime.UntilLoss, Engine + "the script's loop computes the loss and calls engine.backward(loss): the outputs are released before backward"),
            FusedLinearLossKeepsGradients = new Cited<bool>(true, Engine + "Liger's fused linear cross-entropy where the script patches the model with it (linkedin/Liger-Kernel@c7dd3294 src/liger_kernel/ops/fused_linear_cross_entropy.py: grad_input and grad_weight filled chunk by chunk in forward and saved for backward)"),
            Fp32MainCopyOfSixteenBitTrainables = new Cited<bool>(false, Engine + "deepspeed/runtime/bf16_optimizer.py and ZeRO keep an fp32 master of the 16-bit model (MasterCopyInOptimizer), not a separate copy of 16-bit trainables beside it"),
            ReduceBuffers = new Cited<int>(1, Engine + "deepspeed/runtime/zero/stage_1_and_2.py backward: one ipg buffer of reduce_bucket_size unless overlap_comm (False by default for stages 1 and 2)"),
            Zero3ReduceBucketFromHiddenSize = new Cited<bool>(false, Engine + "deepspeed/runtime/zero/config.py reduce_bucket_size is a number (5e8 by default); only transformers' integration fills \"auto\" from hidden_size"),
            GradientBufferPersists = new Cited<bool>(false, Engine + "deepspeed/runtime/engine.py zero_grad and ZeRO's zero_grad(set_to_none=True) free the gradients after each step"),
            ParametersMovedIntoBuffer = new Cited<bool>(false, Engine + "ZeRO-1/2 flatten the fp32 master partitions in the optimizer; the 16-bit parameters keep their own storage"),
            NoSyncUnshardedGradients = new Cited<bool>(false, Engine + "deepspeed/runtime/engine.py no_sync is refused under ZeRO-2 and 3; ZeRO reduces on every micro-batch's backward"),
            ShardedGradientsOnReduceStream = new Cited<bool>(false, Engine + "no FSDP2: ZeRO's gradient partitions are counted by ZeroSixteenBitGradients"),
            EmbeddingAndHeadApart = new Cited<bool>(false, Engine + "ZeRO-3 partitions each parameter on its own, no FSDP wrapping units"),
            ExpandableSegments = new Cited<bool>(false, Engine + "DeepSpeed does not set PYTORCH_CUDA_ALLOC_CONF: torch's default, expandable_segments False"),
            OffloadsOptimizerAlone = new Cited<bool>(true, Engine + "deepspeed/runtime/zero/config.py offload_optimizer without offload_param: the optimizer states and step on the host"),
            OffloadsTrainedParameters = new Cited<bool>(true, Engine + "deepspeed/runtime/zero/config.py offload_param (ZeRO-3): the trained parameters' partitions on the host"),
            MixedPrecisionOnlyFullySharded = new Cited<bool>(false, Engine + "the config's bf16 / fp16 section casts the module whatever the ZeRO stage"),
            AutocastsUnshardedDataParallel = new Cited<bool>(true, Engine + "the bf16 / fp16 section applies on one GPU and without ZeRO alike (the module is cast; no autocast)"),
            ShardingKeepsLoadedDtype = new Cited<bool>(false, Engine + "its bf16 / fp16 optimizers keep an fp32 master (ZeRO's fp32 partitions) whatever dtype the model was loaded in"),
            DefaultPipelineSchedule = new Cited<PipelineSchedule>(PipelineSchedule.OneFOneB,
                "deepspeed/runtime/pipe/schedule.py TrainSchedule (deepspeed.pipe's PipelineEngine): one forward, one backward in the steady state",
                "1F1B pipeline schedule (DeepSpeed's pipeline TrainSchedule)"),
            OffloadNeedsFullShard = new Cited<bool>(false, Engine + "ZeRO-Offload's own rules (offload_optimizer from ZeRO-1, offload_param with ZeRO-3: ZeroOffloadOnly), not FSDP's CPUOffloadPolicy"),
        };
    }
}
