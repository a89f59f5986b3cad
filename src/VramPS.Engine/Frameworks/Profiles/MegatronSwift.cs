using System.Collections.Generic;

namespace VramPS.Engine.Frameworks.Profiles
{
    /// <summary>
    /// ms-swift's Megatron path (`megatron sft`): Megatron-Core with Transformer Engine as Megatron-LM runs it, under
    /// ms-swift's own argument defaults and its LoRA tuners for Megatron's parallel linears.
    /// </summary>
    internal static class MegatronSwift
    {
        private const string NoStages = "VramPS models no Megatron-SWIFT stage (AlignmentStages: its megatron rlhf DPO, KTO, RM and GRPO are not modelled): not read";
        private const string MegatronCore = "megatron sft trains Megatron-Core's modules and schedules through Megatron-LM's training loop: ";
        private const string SwiftArgs = "ms-swift's Megatron arguments and tuners: ";

        public static FrameworkProfile Profile { get; } = MegatronLM.Profile.WithoutStages(NoStages) with
        {
            Framework = Framework.MegatronSwift,
            Name = "Megatron-SWIFT",
            UnslothTakesRuns = new Cited<bool>(false, "Megatron-core models, not transformers models; Unsloth patches transformers models only"),
            Summary = "ms-swift's Megatron path (megatron sft): Megatron-Core under ms-swift's defaults, LoRA on its parallel linears",
            Versions = "ms-swift 3.4 (April 2025) to 4.4 (defaults unchanged at 3602360); experts whole under TP from 3.10 (September 2025)",
            DefaultCheckpointing = new Cited<Checkpointing?>(Checkpointing.Selective,
                "swift/megatron/argument/megatron_args.py@ea766ff: recompute_granularity 'selective', recompute_modules ['core_attn']",
                "Megatron-SWIFT's recompute_granularity selective (core attention recomputed)"),
            AllLinearLoraTargets = new Cited<bool>(true,
                "swift/megatron/argument/megatron_args.py@ea766ff MegatronTunerMixin: target_modules ['all-linear'] (linear_qkv, linear_proj, linear_fc1, linear_fc2)",
                "Megatron-SWIFT's target_modules all-linear"),
            LoraDropout = new Cited<double>(0.05, "swift/megatron/argument/megatron_args.py@ea766ff MegatronTunerMixin: lora_dropout 0.05"),
            AdaptersInComputeDtype = new Cited<bool>(true,
                "swift/megatron/tuners/lora.py@ea766ff LoraParallelLinear: adapters built in fp32, then moved to the base weight's dtype (lora_dtype None; not on grouped experts, which have no `weight`); "
                + "all are bf16 once Megatron's get_model wraps the model in Float16Module (NVIDIA/Megatron-LM@core_v0.12.0 megatron/training/training.py: module.bfloat16(); ms-swift 4's wrap_model at 0b7fb30 likewise)"),
            ExpertsSplitByTensorParallel = new Cited<bool>(false,
                "swift/megatron/argument/megatron_args.py expert_tensor_parallel_size 1 since 9f5fcf5 (ms-swift 3.10, September 2025; unset before, Megatron-Core's TP)",
                "Megatron-SWIFT's expert_tensor_parallel_size 1 (each routed expert whole on its expert-parallel rank)"),
            Adapters = new Cited<IReadOnlyList<AdapterKind>?>(new[] { AdapterKind.LoRA }, "swift/megatron/tuners/lora.py@ea766ff: LoRA only (train_type lora or full)"),
            FreezesLayers = new Cited<bool>(true,
                "swift/megatron/arguments/megatron_args.py@3602360: freeze_parameters, freeze_parameters_regex and freeze_parameters_ratio freeze what they name; the rest trains"),
            Fp32RouterProbs = new Cited<bool>(true,
                "swift/megatron/argument/megatron_args.py@ea766ff (and @9f5fcf5; swift/megatron/arguments/megatron_args.py@0b7fb30): moe_router_dtype 'fp32' (Megatron-Core router.py gating casts input and weight to fp32, so the probs are fp32)"),
            AllToAllTokenDispatcher = new Cited<bool>(true,
                "swift/megatron/argument/megatron_args.py@ea766ff (and @0b7fb30): moe_token_dispatcher_type 'alltoall' (token_dispatcher.py MoEAlltoAllTokenDispatcher: each rank unpermutes its own tokens)"),
            DefaultTechniques = new Cited<Techniques>(Techniques.None, MegatronCore + "no Liger kernels or torch.compile; Megatron-Core's own fusions are read as FusedNorms, FusedSoftmax and FusedActivation"),
            OffloadsCheckpoints = new Cited<bool>(false, MegatronCore + "megatron/core/tensor_parallel/random.py CheckpointFunction keeps its checkpoints on the GPU"),
            FullTrainsLoadedDtype = new Cited<bool>(false, MegatronCore + "Float16Module casts the model to bf16 and the optimizer keeps fp32 main parameters (MasterCopyInOptimizer)"),
            Fp16ByDefault = new Cited<bool>(false, SwiftArgs + "swift/megatron/argument/megatron_args.py@00840e6 fp16 / bf16 None: _init_mixed_precision follows the checkpoint's torch_dtype (bf16 for current checkpoints)"),
            DefaultBatchSize = new Cited<int?>(null, SwiftArgs + "swift/megatron/argument/megatron_args.py@00840e6 micro_batch_size: int = 1"),
            DefaultSequenceLength = new Cited<int?>(null, SwiftArgs + "swift/megatron/argument/megatron_args.py@00840e6 seq_length None (max_position_embeddings) while max_length caps the samples; VramPS takes 2048 tokens where the run does not say"),
            DefaultLoraRank = new Cited<int>(8, SwiftArgs + "swift/megatron/argument/megatron_args.py@00840e6 MegatronTunerMixin lora_rank: int = 8", "LoRA rank 8 (Megatron-SWIFT's lora_rank default)"),
            RunsUnder = new Cited<Framework?>(null, SwiftArgs + "swift/megatron/train (megatron sft) runs Megatron-LM's pretrain loop under ms-swift's arguments"),
            PartialTraining = new Cited<bool>(true, SwiftArgs + "swift/megatron/tuners/lora.py@ea766ff: train_type lora freezes the base weights and trains the LoRA factors"),
            TensorParallelSplitsSequence = new Cited<bool>(false, SwiftArgs + "swift/megatron/argument/megatron_args.py@00840e6 sequence_parallel: bool = False (-SequenceParallel)"),
            PipelineMicroBatches = new Cited<PipelineMicroBatches>(Frameworks.PipelineMicroBatches.Given, SwiftArgs + "swift/megatron/argument/megatron_args.py@00840e6 micro_batch_size is the micro-batch and global_batch_size (16) / (micro-batch x data-parallel) the micro-batches per step (-GradientAccumulation)"),
            PipelineHoldsUnshardedStage = new Cited<bool>(false, MegatronCore + "megatron/core/optimizer/distrib_optimizer.py gathers parameters into the model's own buffer, no extra gathered copy per stage"),
            PipelineKeepsMicroBatchTensors = new Cited<bool>(false, MegatronCore + "megatron/core/pipeline_parallel/schedules.py deallocate_output_tensor frees each micro-batch's output once it is sent"),
            PipelineKeepsOutputs = new Cited<bool>(false, MegatronCore + "megatron/core/pipeline_parallel/schedules.py forward_step: the last stage returns each micro-batch's loss, not its output"),
            OfferedTechniques = new Cited<Techniques?>(null, MegatronCore + "VramPS reads the techniques a run names (-Techniques)"),
            DataParallelOnly = new Cited<bool>(false, SwiftArgs + "swift/megatron/argument/megatron_args.py@00840e6 tensor_model_parallel_size, pipeline_model_parallel_size, context_parallel_size, expert_model_parallel_size"),
            BlockOptimizer = new Cited<bool>(false, MegatronCore + "megatron/core/optimizer/__init__.py builds Adam or SGD over every trainable parameter, no block-wise optimizer"),
            AutocastsSixteenBitModel = new Cited<bool>(true, MegatronCore + "megatron/core/transformer/module.py Float16Module runs the 16-bit model; Transformer Engine casts what it reads"),
            QkvZeroPadKeepsLoraOutput = new Cited<bool>(false, SwiftArgs + "swift/megatron/tuners/lora.py@ea766ff LoraParallelLinear: each wrapped linear adds its own LoRA output, nothing padded"),
            FusedKernelsFuseLora = new Cited<bool>(false, SwiftArgs + "swift/megatron/tuners/lora.py@ea766ff LoraParallelLinear runs the adapter beside the Transformer Engine linear, outside its fused kernels"),
            UpcastsOnlyTrainable = new Cited<bool>(false, MegatronCore + "Megatron-Core's Float16Module casts every parameter to 16 bits and the optimizer keeps fp32 main copies"),
            OutputKept = new Cited<OutputLifetime>(OutputLifetime.UntilLoss, MegatronCore + "megatron/core/pipeline_parallel/schedules.py forward_step returns the loss alone: the logits are released before backward"),
            FusedLinearLossKeepsGradients = new Cited<bool>(true, MegatronCore + "no Liger fused linear cross-entropy (read only under -Techniques Liger)"),
            ZeroGradTakesTorchDefault = new Cited<bool>(true, MegatronCore + "Megatron-Core zeroes the persistent grad buffer (zero_grad_buffer) and the optimizer's zero_grad sets the fp32 main parameters' grads to None under torch's default"),
            ExpandableSegments = new Cited<bool>(false, MegatronCore + "VramPS takes torch's default PYTORCH_CUDA_ALLOC_CONF (expandable_segments False) unless the run's environment sets it"),
            DefaultSharding = new Cited<Sharding?>(Sharding.Zero1,
                "swift/megatron/argument/megatron_args.py@00840e6 MegatronArguments use_distributed_optimizer: bool = True, for full and LoRA training alike (megatron/core/optimizer/distrib_optimizer.py: fp32 main parameters and Adam states over the data-parallel ranks)",
                "Megatron-SWIFT's distributed optimizer (use_distributed_optimizer True, -Sharding Zero1: fp32 main parameters and Adam states over the data-parallel ranks)"),
            FullShardsOptimizer = new Cited<bool>(true,
                "swift/megatron/argument/megatron_args.py@00840e6 MegatronArguments use_distributed_optimizer: bool = True",
                "Megatron-SWIFT's distributed optimizer (use_distributed_optimizer True, -Sharding Zero1)"),
        };
    }
}
