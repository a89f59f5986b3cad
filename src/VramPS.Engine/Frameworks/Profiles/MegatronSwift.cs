using System.Collections.Generic;

namespace VramPS.Engine.Frameworks.Profiles
{
    /// <summary>
    /// ms-swift's Megatron path (`megatron sft`): Megatron-Core with Transformer Engine as Megatron-LM runs it, under
    /// ms-swift's own argument defaults and its LoRA tuners for Megatron's parallel linears.
    /// </summary>
    internal static class MegatronSwift
    {
        public static FrameworkProfile Profile { get; } = MegatronLM.Profile with
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
            Fp32RouterProbs = new Cited<bool>(true,
                "swift/megatron/argument/megatron_args.py@ea766ff (and @9f5fcf5; swift/megatron/arguments/megatron_args.py@0b7fb30): moe_router_dtype 'fp32' (Megatron-Core router.py gating casts input and weight to fp32, so the probs are fp32)"),
            AllToAllTokenDispatcher = new Cited<bool>(true,
                "swift/megatron/argument/megatron_args.py@ea766ff (and @0b7fb30): moe_token_dispatcher_type 'alltoall' (token_dispatcher.py MoEAlltoAllTokenDispatcher: each rank unpermutes its own tokens)"),
        };
    }
}
