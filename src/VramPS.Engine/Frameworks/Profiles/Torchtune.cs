using System.Collections.Generic;
using System;

namespace VramPS.Engine.Frameworks.Profiles
{
    /// <summary>PyTorch's torchtune: its own model builders and recipes, torchao NF4.</summary>
    internal static class Torchtune
    {
        public static FrameworkProfile Profile { get; } = HfTrainer.Profile with
        {
            Framework = Framework.Torchtune,
            ZeroGradTakesTorchDefault = new Cited<bool>(false, "torchtune requires torch 2.x (its recipes, e.g. lora_finetune_single_device.py, call zero_grad(set_to_none=True))"),
            FlatParameterUnits = new Cited<bool>(false,
                "torchtune/training/_distributed.py shard_model: FSDP2 fully_shard, each parameter its own DTensor shard with its own gradient, no flat parameter"),
            Name = "torchtune",
            UnslothTakesRuns = new Cited<bool>(false, "torchtune's own model builders and recipes; Unsloth patches transformers models only"),
            Summary = "PyTorch torchtune recipes (its own model builders, torchao NF4, fused AdamW)",
            Versions = "torchtune 0.3-0.6",
            TransformersRelease = new Cited<Version?>(null, "torchtune/models: its own model builders, no transformers"),
            DefaultCheckpointing = new Cited<Checkpointing?>(null,
                "VramPS's general rule (off unless -Checkpointing); recipes/configs set enable_activation_checkpointing per config"),
            DefaultAttention = new Cited<AttentionKernel?>(AttentionKernel.Sdpa, "torchtune/modules/attention.py MultiHeadAttention: scaled_dot_product_attention",
                "attention through torch SDPA (torchtune's MultiHeadAttention)"),
            ShardedGradientsOnReduceStream = new Cited<bool>(true,
                "torchtune/training/_distributed.py shard_model: torch FSDP2 fully_shard on each block and the root, whose foreach_reduce (torch 2.5.1 torch/distributed/_composable/fsdp/_fsdp_collectives.py) allocates the reduce-scatter input on the default stream, kept in reduce_scatter_state until the next unit reduces, and the sharded gradients on the reduce-scatter stream"),
            AllLinearLoraTargets = new Cited<bool>(false, "VramPS takes peft's default targets; torchtune's lora builders adapt the lora_attn_modules each config lists"),
            TransformersTrainer = new Cited<bool>(false, "recipes/*.py: torchtune's own training loops"),
            AlignmentStages = new Cited<bool>(false, "VramPS models TRL's alignment trainers; torchtune's DPO/PPO recipes are not modelled"),
            ReentrantCheckpointing = new Cited<bool>(false, "torchtune/training/activations.py apply_activation_checkpointing: non-reentrant checkpoint_wrapper"),
            KeepsModelCache = new Cited<bool>(false, "torchtune/modules/transformer.py TransformerDecoder: its own model, whose key/value caches exist only after setup_caches (generation)"),
            AdaptersInComputeDtype = new Cited<bool>(true, "torchtune/modules/peft/lora.py LoRALinear: adapters in the model dtype"),
            QuantizedBase = new Cited<bool>(true, "torchtune/models/llama3/_component_builders.py qlora builders: torchao NF4Tensor base weights"),
            KbitPreparationUpcast = new Cited<bool>(false, "torchtune QLoRA builders quantize with torchao, no kbit preparation"),
            Adapters = new Cited<IReadOnlyList<AdapterKind>?>(new[] { AdapterKind.LoRA, AdapterKind.DoRA }, "torchtune/modules/peft: LoRALinear and DoRALinear"),
            FreezesLayers = new Cited<bool>(false,
                "recipes/full_finetune_single_device.py, full_finetune_distributed.py: every parameter trains; the LoRA recipes train only the adapters (set_trainable_params); no recipe freezes decoder blocks"),
            LoraDropout = new Cited<double>(0.0, "torchtune lora builders and configs: lora_dropout 0.0"),
            Nf4OnlyAdaptedLinears = new Cited<bool>(true, "docs/source/tutorials/qlora_finetune.rst: NF4 only on LoRA linears; torchao linear_nf4 saves the NF4 weight"),
            QuantStatisticsUnsharded = new Cited<bool>(false, "torchao dtypes/nf4tensor.py NF4Tensor (torchtune's QLoRA base): the scalers are inner tensors of the weight's tensor subclass, which FSDP2 shards and all-gathers with its data"),
            LossPath = new Cited<LossPath>(Frameworks.LossPath.Fp32Upcast, "torchtune/modules/loss/ce_chunked_output_loss.py CEWithChunkedOutputLoss (8 chunks)"),
            FusedAdamW = new Cited<bool>(true, "recipes/configs/*.yaml optimizer torch.optim.AdamW fused: True"),
        };
    }
}
