using Newtonsoft.Json;
using Newtonsoft.Json.Converters;
using System;

namespace VramPS.Engine
{
    /// <summary>Which parameters train.</summary>
    [JsonConverter(typeof(StringEnumConverter))]
    public enum FinetuneMethod
    {
        /// <summary>Every parameter trains.</summary>
        Full,
        /// <summary>Only the last TrainableLayers blocks train (LLaMA-Factory's freeze tuning).</summary>
        Freeze,
        /// <summary>Low-rank adapters over a frozen 16-bit base.</summary>
        LoRA,
        /// <summary>Low-rank adapters over a frozen 4-bit base.</summary>
        QLoRA,
    }

    /// <summary>Where weights live and which dtype computes.</summary>
    [JsonConverter(typeof(StringEnumConverter))]
    public enum Precision
    {
        /// <summary>fp32 weights, fp32 compute.</summary>
        Fp32,
        /// <summary>fp32 master weights, bf16 autocast.</summary>
        Bf16Mixed,
        /// <summary>fp32 master weights, fp16 autocast with loss scaling.</summary>
        Fp16Mixed,
        /// <summary>Weights, gradients and optimizer state in bf16 ("pure" bf16).</summary>
        Bf16,
        /// <summary>Weights, gradients and optimizer state in fp16.</summary>
        Fp16,
    }

    [JsonConverter(typeof(StringEnumConverter))]
    public enum OptimizerKind
    {
        AdamW,
        AdamW8bit,
        PagedAdamW,
        PagedAdamW8bit,
        SGD,
        Adafactor,
        Lion,
    }

    [JsonConverter(typeof(StringEnumConverter))]
    public enum Checkpointing
    {
        None,
        /// <summary>Every block recomputed in backward; only block inputs are kept.</summary>
        Full,
        /// <summary>Attention core recomputed (Korthikanti et al. 2022 selective recomputation).</summary>
        Selective,
    }

    [JsonConverter(typeof(StringEnumConverter))]
    public enum AttentionKernel
    {
        /// <summary>FlashAttention 2/3: no s^2 tensors kept.</summary>
        Flash,
        /// <summary>torch scaled_dot_product_attention (flash or memory-efficient backend).</summary>
        Sdpa,
        /// <summary>Plain matmul-softmax-matmul: keeps the heads x s^2 probabilities.</summary>
        Eager,
    }

    [JsonConverter(typeof(StringEnumConverter))]
    public enum Quantization
    {
        None,
        NF4,
        FP4,
        Int8,
    }

    [JsonConverter(typeof(StringEnumConverter))]
    public enum Sharding
    {
        None,
        Zero1,
        Zero2,
        /// <summary>ZeRO-3 or FSDP FULL_SHARD.</summary>
        Zero3,
    }

    [JsonConverter(typeof(StringEnumConverter))]
    public enum Offload
    {
        None,
        Optimizer,
        OptimizerAndParameters,
    }

    /// <summary>Memory techniques a run uses on top of its trainer's defaults.</summary>
    [JsonConverter(typeof(StringEnumConverter))]
    [Flags]
    public enum Techniques
    {
        None = 0,
        /// <summary>The loss never holds a full fp32 copy of the logits (chunked or fast cross-entropy).</summary>
        ChunkedLoss = 1,
        /// <summary>The logits are never materialized (Liger fused linear cross-entropy, Cut Cross-Entropy).</summary>
        FusedLinearLoss = 2,
        /// <summary>Fused RMSNorm / RoPE / SwiGLU / LoRA kernels.</summary>
        FusedKernels = 4,
        /// <summary>torch.compile.</summary>
        Compile = 8,
        /// <summary>Saved activations moved to host memory.</summary>
        ActivationOffload = 16,
        /// <summary>Each parameter stepped during backward: no full gradient buffer.</summary>
        OptimizerInBackward = 32,
    }

    /// <summary>The training stack; each selects what that trainer really does.</summary>
    [JsonConverter(typeof(StringEnumConverter))]
    public enum Framework
    {
        HfTrainer,
        Torchtune,
        Litgpt,
        Peft,
        Axolotl,
        LlamaFactory,
        FsdpQlora,
        FmsAcceleration,
        Unsloth,
        /// <summary>NVIDIA Megatron-LM (Megatron-Core with Transformer Engine).</summary>
        MegatronLM,
        /// <summary>Microsoft DeepSpeed's engine (ZeRO) over a transformers model.</summary>
        DeepSpeed,
        /// <summary>PyTorch's torchtitan (FSDP2, its own model code) for pretraining at scale.</summary>
        Torchtitan,
    }
}
