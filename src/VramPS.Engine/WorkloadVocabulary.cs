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

    /// <summary>The parameter-efficient method of -Method LoRA or QLoRA (peft's tuner, or its LoRA variant).</summary>
    [JsonConverter(typeof(StringEnumConverter))]
    public enum AdapterKind
    {
        /// <summary>Low-rank A and B beside each target linear.</summary>
        LoRA,
        /// <summary>LoRA with a trained magnitude vector and the weight's column norm recomputed each forward (use_dora).</summary>
        DoRA,
        /// <summary>LoRA scaled by alpha / sqrt(r) (use_rslora): LoRA's memory.</summary>
        RsLoRA,
        /// <summary>LoRA initialised from the weight's principal singular vectors (init_lora_weights pissa): LoRA's memory.</summary>
        PiSSA,
        /// <summary>LoRA with a higher learning rate for B (loraplus_lr_ratio): LoRA's memory.</summary>
        LoRAPlus,
        /// <summary>LoRA with A frozen (peft's create_lorafa_optimizer): only B trains.</summary>
        LoRAFA,
        /// <summary>Shared frozen random projections, trained scaling vectors.</summary>
        VeRA,
        /// <summary>Low-rank Hadamard product (LyCORIS).</summary>
        LoHa,
        /// <summary>Low-rank Kronecker product (LyCORIS).</summary>
        LoKr,
        /// <summary>Orthogonal fine-tuning: block-diagonal rotation of each target's input.</summary>
        OFT,
        /// <summary>Butterfly orthogonal fine-tuning: a dense rotation of each target's weight.</summary>
        BOFT,
        /// <summary>Learned rescaling vectors on keys, values and the feed-forward input.</summary>
        IA3,
        /// <summary>SVD-shaped LoRA whose rank budget shrinks during training.</summary>
        AdaLoRA,
        /// <summary>Trained virtual tokens prepended to the input embeddings.</summary>
        PromptTuning,
        /// <summary>Trained keys and values prepended in every layer.</summary>
        PrefixTuning,
        /// <summary>Virtual tokens produced by a trained prompt encoder (MLP).</summary>
        PTuning,
        /// <summary>LLaMA-Adapter: gated adaption prompts in the top layers' attention.</summary>
        AdaptionPrompt,
        /// <summary>Only the norm layers train.</summary>
        LNTuning,
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
        /// <summary>GaLore's AdamW (galore-torch GaLoreAdamW): Adam states on each block matrix's rank-r projected gradient.</summary>
        GaLore,
        /// <summary>GaLore over bitsandbytes' 8-bit AdamW (GaLoreAdamW8bit).</summary>
        GaLore8bit,
        /// <summary>APOLLO (apollo-torch): Adam states on a random rank-r projection, scaling the full gradient.</summary>
        Apollo,
        /// <summary>Adam-mini: the first moment per parameter, one second moment per output row or head.</summary>
        AdamMini,
        /// <summary>Muon on the block matrices (momentum, Newton-Schulz orthogonalization), AdamW on the rest.</summary>
        Muon,
        /// <summary>Schedule-free AdamW (facebookresearch/schedule_free AdamWScheduleFree).</summary>
        ScheduleFreeAdamW,
        /// <summary>CAME: Adafactor's factored second moment with momentum and a factored confidence statistic.</summary>
        Came,
        /// <summary>
        /// BAdam (Ledzy/BAdam BlockOptimizer, LLaMA-Factory use_badam, badam_mode layer): Adam on one decoder layer at a
        /// time, over a 16-bit model, with that layer's fp32 copy and moments.
        /// </summary>
        BAdam,
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
        /// <summary>ms-swift's Megatron path (megatron sft): Megatron-Core under ms-swift's own defaults and LoRA.</summary>
        MegatronSwift,
        /// <summary>Microsoft DeepSpeed's engine (ZeRO) over a transformers model.</summary>
        DeepSpeed,
        /// <summary>PyTorch's torchtitan (FSDP2, its own model code) for pretraining at scale.</summary>
        Torchtitan,
        /// <summary>ModelScope's ms-swift on its transformers Trainer path (swift sft, swift rlhf).</summary>
        MsSwift,
        /// <summary>Microsoft DeepSpeed-Chat (DeepSpeedExamples/applications/DeepSpeed-Chat): SFT, reward model, DPO, PPO with the hybrid engine.</summary>
        DeepSpeedChat,
        /// <summary>ByteDance verl: PPO and GRPO with FSDP or Megatron actors and a colocated vLLM or SGLang rollout.</summary>
        Verl,
        /// <summary>OpenRLHF: Ray-placed actor, critic, reference and reward over DeepSpeed, vLLM rollout engines.</summary>
        OpenRLHF,
        /// <summary>NVIDIA NeMo 2.0 / Megatron-Bridge: Megatron-Core under NeMo's recipes and its own LoRA.</summary>
        NeMo,
    }
}
