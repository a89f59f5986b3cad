using System.Collections.Generic;
namespace VramPS.Engine.Frameworks.Profiles
{
    /// <summary>NVIDIA Megatron-LM (Megatron-Core with Transformer Engine).</summary>
    internal static class MegatronLM
    {
        public static FrameworkProfile Profile { get; } = HfTrainer.Profile with
        {
            Framework = Framework.MegatronLM,
            Name = "Megatron-LM",
            UnslothTakesRuns = new Cited<bool>(false, "Megatron-core models, not transformers models; Unsloth patches transformers models only"),
            Summary = "NVIDIA Megatron-LM (Megatron-Core with Transformer Engine)",
            Versions = "Megatron-Core 0.8-0.12",
            TransformersRelease = HfTrainer.Profile.TransformersRelease,
            DefaultAttention = new Cited<AttentionKernel?>(AttentionKernel.Flash,
                "megatron/core/transformer/transformer_config.py attention_backend auto: Transformer Engine's fused (flash) attention",
                "Transformer Engine's flash attention (Megatron-LM's default)"),
            DefaultCheckpointing = new Cited<Checkpointing?>(null, "megatron/training/arguments.py: --recompute-granularity unset, no recompute"),
            AllLinearLoraTargets = new Cited<bool>(false, "Megatron-LM has no LoRA of its own; an adapter run uses peft's default targets"),
            TransformersTrainer = new Cited<bool>(false, "megatron/training/training.py: its own training loop"),
            AlignmentStages = new Cited<bool>(false, "VramPS models TRL's alignment trainers; Megatron-LM has none"),
            SavesGatheredLinearInputs = new Cited<bool>(false,
                "megatron/core/tensor_parallel/layers.py LinearWithGradAccumulationAndAsyncCommunication: under sequence parallelism it saves its sequence shard and gathers it again in backward"),
            ExpertsSplitByTensorParallel = new Cited<bool>(true,
                "megatron/training/arguments.py: --expert-tensor-parallel-size unset is set to --tensor-model-parallel-size",
                "expert tensor parallel = tensor parallel (Megatron-Core's default): each routed expert split over the tensor-parallel ranks"),
            SelectiveRecompute = new Cited<SelectiveRecompute>(Frameworks.SelectiveRecompute.CoreAttention,
                "megatron/training/arguments.py --recompute-granularity selective: core attention recomputed (Korthikanti et al. 2022, section 5)"),
            ReentrantCheckpointing = new Cited<bool>(false, "megatron/core/tensor_parallel/random.py CheckpointFunction passes gradients to its inputs"),
            KeepsModelCache = new Cited<bool>(false, "megatron/core/transformer/attention.py: its own model, whose inference key/value cache exists only with an inference context"),
            Adapters = new Cited<IReadOnlyList<AdapterKind>?>(new[] { AdapterKind.LoRA }, "megatron/training/peft.py: LoRA"),
            OneAdapterPerFusedLinear = new Cited<bool>(true,
                "NVIDIA/Megatron-LM@core_v0.12.0 megatron/core/transformer/attention.py SelfAttention: one linear_qkv of query_projection_size + 2 x kv_projection_size outputs; mlp.py MLP and experts.py TEGroupedMLP: one linear_fc1 of 2 x ffn_hidden_size under gated_linear_unit "
                + "(@d98e8a6 ssm/gated_delta_net/gdn.py: one in_proj for q, k, v, z, beta and alpha); an adapter wraps each such linear whole: modelscope/ms-swift@ea766ff swift/megatron/tuners/lora.py LoraParallelLinear.update_layer (lora_A in_features x r, lora_B r x out_features of the wrapped linear), NVIDIA/NeMo@8cfedd7 nemo/collections/llm/peft/lora.py LoRA on linear_qkv and linear_fc1",
                "one LoRA pair on each of Megatron-Core's fused linears (linear_qkv for q, k and v; linear_fc1 for gate and up, each expert's too): A reads the input once, B writes the fused width, whichever of the fused modules the targets name"),
            QuantizedBase = new Cited<bool>(false,
                "megatron/core/extensions/transformer_engine.py: Megatron-Core / Transformer Engine linears (FP8 and FP4 recipes), no bitsandbytes NF4, FP4 or Int8 base"),
            KbitPreparationUpcast = new Cited<bool>(false, "Megatron-LM has no bitsandbytes k-bit preparation"),
            FusedNorms = new Cited<bool>(true, "transformer_engine LayerNormLinear keeps the 16-bit norm input and rstd"),
            FusedSoftmax = new Cited<bool>(true, "megatron/core/fusions/fused_softmax.py: scale, mask and softmax fused, 16-bit output saved (--masked-softmax-fusion)"),
            FusedActivation = new Cited<bool>(true, "megatron/core/fusions/fused_bias_swiglu.py: fc1 output and fc2 input kept only"),
            LossPath = new Cited<LossPath>(Frameworks.LossPath.Megatron, "megatron/core/tensor_parallel/cross_entropy.py: fp32 copy of the logits turned into the softmax in place"),
            FusedAdamW = new Cited<bool>(true, "megatron/core/optimizer/__init__.py: apex / Transformer Engine FusedAdam"),
            MasterCopyInOptimizer = new Cited<bool>(true,
                "megatron/core/optimizer/optimizer.py Float16OptimizerWithFloat16Params: 16-bit model, fp32 main params and main_grad"),
            Fp32MainCopyOfSixteenBitTrainables = new Cited<bool>(true,
                "NVIDIA/Megatron-LM@core_v0.12.0 megatron/training/arguments.py: --bf16 sets accumulate_allreduce_grads_in_fp32 (main_grads_dtype fp32), so DistributedDataParallel's grad buffer is fp32 for every parameter with requires_grad; "
                + "megatron/core/optimizer/distrib_optimizer.py _build_model_and_main_param_groups: each bf16/fp16 parameter's shard gets shard_model_param.clone().float() (shard_fp32_from_float16_groups; optimizer.py Float16OptimizerWithFloat16Params without the distributed optimizer), Adam's moments on that fp32 copy; "
                + "a LoRA run's adapters are bf16 because training.py get_model wraps the model, adapters included, in Float16Module (module.bfloat16())"),
            DdpBucketCopy = new Cited<bool>(false, "megatron/core/distributed/distributed_data_parallel.py: one contiguous fp32 grad buffer that main_grad views"),
            GradientBufferPersists = new Cited<bool>(true,
                "megatron/core/distributed/param_and_grad_buffer.py _ParamAndGradBuffer: grad_data allocated once with the model (torch.zeros); zero_grad_buffer zeroes it before each step, never frees it"),
            OffloadsGradients = new Cited<bool>(false,
                "NVIDIA/Megatron-LM@d98e8a6 megatron/core/optimizer/cpu_offloading/hybrid_optimizer.py _set_sub_optimizer_grads (--optimizer-cpu-offload): the GPU gradient buffer stays; a pinned host copy feeds the CPU optimizer"),
            RecomputedUnpermuteAwaitsGc = new Cited<bool>(true,
                "NVIDIA/Megatron-LM@core_v0.12.0 (and core_v0.13.0) megatron/core/transformer/moe/moe_utils.py unpermute: permuted_tokens * permuted_probs, torch.zeros(restore_shape) and scatter_add_ with sorted_indices; under full recompute these stay in a reference cycle until Python's gc runs (NVIDIA/Megatron-LM#3221, fixed by #5197, merged 2026-06; measured by verl-project/verl#5251 and radixark/miles#2862)"),
            Fp32RouterProbs = new Cited<bool>(false,
                "NVIDIA/Megatron-LM@core_v0.12.0 megatron/training/arguments.py --moe-router-dtype default None: router.py gating computes the logits, and so the probs, in the input dtype"),
            AllToAllTokenDispatcher = new Cited<bool>(false,
                "NVIDIA/Megatron-LM@core_v0.12.0 megatron/training/arguments.py --moe-token-dispatcher-type default allgather (token_dispatcher.py MoEAllGatherTokenDispatcher: every token of the TP x EP group gathered, unpermuted into that shape)"),
            ParametersMovedIntoBuffer = new Cited<bool>(true,
                "megatron/core/distributed/param_and_grad_buffer.py@core_v0.12.0 _ParamAndGradBuffer.__init__: with use_distributed_optimizer, param.data = new_param_data (a view of param_data), copy_ and del old_param_data; megatron/training/training.py@core_v0.12.0 empties the cache only for external CUDA graphs or --empty-unused-memory-level (default 0)"),
        };
    }
}
