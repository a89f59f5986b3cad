using System.Collections.Generic;

namespace VramPS.Engine.Frameworks.Profiles
{
    /// <summary>
    /// NVIDIA NeMo 2.0 (nemo.collections.llm) and its successor Megatron-Bridge: Megatron-Core with Transformer Engine
    /// under NeMo's recipes (bf16 mixed precision, fp32 gradient reduction, the distributed optimizer) and NeMo's own
    /// LoRA on Megatron's parallel linears. Read at NVIDIA/NeMo 8cfedd7 (September 2025).
    /// </summary>
    internal static class NeMo
    {
        public static FrameworkProfile Profile { get; } = MegatronLM.Profile with
        {
            Framework = Framework.NeMo,
            Name = "NeMo",
            Synonyms = new[] { "Megatron-Bridge" },
            Summary = "NVIDIA NeMo 2.0 / Megatron-Bridge: Megatron-Core under NeMo's recipes, its LoRA and DoRA on Megatron's parallel linears",
            Versions = "NeMo 2.0-2.5 (nemo.collections.llm, read at 8cfedd7, September 2025); Megatron-Bridge's LoRA read at 2afd2d3",
            DefaultCheckpointing = new Cited<Checkpointing?>(null,
                "nemo/collections/llm/recipes/finetune_default.py@8cfedd7 default_finetune_trainer: no recompute set (Megatron-Core TransformerConfig recompute_granularity None)"),
            FullShardsOptimizer = new Cited<bool>(true,
                "nemo/collections/llm/recipes/optim/adam.py@8cfedd7 distributed_fused_adam_with_cosine_annealing: use_distributed_optimizer=True; the model recipes' LoRA branch sets it False (recipes/llama3_8b.py@8cfedd7 finetune_recipe)",
                "NeMo's distributed optimizer for full training (-Sharding Zero1: fp32 main parameters and Adam states over the data-parallel ranks)"),
            AllLinearLoraTargets = new Cited<bool>(true,
                "nemo/collections/llm/peft/lora.py@8cfedd7 and Megatron-Bridge src/megatron/bridge/peft/lora.py@2afd2d3 LoRA: target_modules ['linear_qkv', 'linear_proj', 'linear_fc1', 'linear_fc2']",
                "NeMo's LoRA target_modules linear_qkv, linear_proj, linear_fc1, linear_fc2 (every linear of the blocks)"),
            DefaultLoraRank = new Cited<int>(32,
                "nemo/collections/llm/peft/lora.py@8cfedd7 LoRA: dim 32, alpha 32 (dora.py DoRA: dim 32, alpha 64); Megatron-Bridge src/megatron/bridge/peft/lora.py@2afd2d3 the same, and its recipes' default_peft_config builds LoRA() unchanged; NeMo 2's per-model finetune_recipe sets dim 8, alpha 16 (recipes/llama3_8b.py@8cfedd7)",
                "LoRA dim 32 (NeMo's and Megatron-Bridge's LoRA default; NeMo 2's per-model finetune recipes set 8: give -LoraRank 8 for those)"),
            LoraDropout = new Cited<double>(0.0, "nemo/collections/llm/peft/lora.py@8cfedd7 LoRA: dropout 0.0, dropout_position 'pre' (no mask is kept)"),
            AdaptersInComputeDtype = new Cited<bool>(true,
                "nemo/collections/llm/peft/utils.py@8cfedd7 ParallelLinearAdapter: bfloat16() when the model config is bf16 (lora_dtype None: the model's dtype)"),
            FusedQkvAdapters = new Cited<bool>(true,
                "nemo/collections/llm/peft/lora.py@8cfedd7 LoRALinear: one adapter on Megatron's fused linear_qkv, fed its one input"),
            Adapters = new Cited<IReadOnlyList<AdapterKind>?>(new[] { AdapterKind.LoRA, AdapterKind.DoRA },
                "nemo/collections/llm/peft/__init__.py@8cfedd7 PEFT_STR2CLS: LoRA, DoRA, CanonicalLoRA (LoRA on q, k, v, gate and up apart)"),
            QuantizedBase = new Cited<bool>(false,
                "nemo/collections/llm/peft/lora.py@8cfedd7: bitsandbytes bases only through patch_linear_module on nn.Linear (the HF AutoModel path); Megatron-Core's Transformer Engine linears hold no NF4, FP4 or Int8 base"),
            AlignmentStages = new Cited<bool>(false,
                "nemo/collections/llm/api.py@8cfedd7: train, pretrain, finetune and distill, no preference or RL stage; NeMo's DPO and PPO live in NeMo-Aligner and NeMo-RL, not modelled"),
        };
    }
}
