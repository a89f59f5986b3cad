using System.Collections.Generic;
using System;

namespace VramPS.Engine.Frameworks.Profiles
{
    /// <summary>Lightning AI's litgpt: its own model code, Lightning Fabric strategies.</summary>
    internal static class Litgpt
    {
        public static FrameworkProfile Profile { get; } = HfTrainer.Profile with
        {
            Framework = Framework.Litgpt,
            Name = "litgpt",
            UnslothTakesRuns = new Cited<bool>(false, "litgpt's own model classes (litgpt/model.py); Unsloth patches transformers models only"),
            Summary = "Lightning AI litgpt (its own model code, Lightning Fabric FSDP)",
            Versions = "litgpt 0.4-0.5",
            TransformersRelease = new Cited<Version?>(null, "litgpt/model.py: its own model code, no transformers"),
            DefaultTechniques = new Cited<Techniques>(Techniques.None, "litgpt/finetune/lora.py: no fused kernels, no torch.compile by default"),
            DefaultCheckpointing = new Cited<Checkpointing?>(null, "litgpt/finetune/lora.py: no activation checkpointing unless the FSDP strategy's policy asks"),
            DefaultAttention = new Cited<AttentionKernel?>(null, "litgpt/model.py CausalSelfAttention: torch scaled_dot_product_attention"),
            AllLinearLoraTargets = new Cited<bool>(false, "litgpt/finetune/lora.py setup: lora_query and lora_value True, the other projections False"),
            TransformersTrainer = new Cited<bool>(false, "litgpt/finetune/*.py: Fabric loops, not transformers' Trainer"),
            AlignmentStages = new Cited<bool>(false, "litgpt has no preference or RL trainers"),
            ReentrantCheckpointing = new Cited<bool>(false, "Lightning FSDPStrategy activation_checkpointing_policy: non-reentrant checkpoint_wrapper"),
            KeepsModelCache = new Cited<bool>(false, "litgpt/model.py GPT.forward: its own model, which builds no key/value cache in training"),
            AdaptersInComputeDtype = new Cited<bool>(true, "litgpt/lora.py LoRALinear: adapters in the model dtype"),
            QuantizedBase = new Cited<bool>(true, "litgpt --quantize bnb.nf4 / bnb.int8: Fabric's BitsandbytesPrecision"),
            KbitPreparationUpcast = new Cited<bool>(false, "litgpt/utils.py: bnb quantization through Fabric's BitsandbytesPrecision, no kbit preparation"),
            Adapters = new Cited<IReadOnlyList<AdapterKind>?>(new[] { AdapterKind.LoRA }, "litgpt/lora.py: LoRA only (litgpt's adapter and adapter_v2 methods are not modelled)"),
            LoraDropout = new Cited<double>(0.05, "litgpt/finetune/lora.py setup lora_dropout 0.05"),
            FusedQkvAdapters = new Cited<bool>(true, "litgpt/model.py CausalSelfAttention: one fused qkv linear (attn) whatever the checkpoint calls them"),
            QkvZeroPadKeepsLoraOutput = new Cited<bool>(true,
                "litgpt/lora.py LoRAQKVLinear.zero_pad (lit-gpt 8641822 to litgpt 5895df1 and on): index_copy of the adapted slices' LoRA output into a zero tensor of the fused qkv width, returned as is when q, k and v are all adapted; tools/autograd/derivatives.yaml index_copy: source's gradient is grad.index_select(dim, index).expand_as(source), so backward keeps the source",
                "LoRA on the query and value slices of the fused attention linear (litgpt's lora_query and lora_value defaults, lora_key off): zero_pad's index_copy keeps their LoRA output"),
            QuantizedBaseOneGpu = new Cited<bool>(true,
                "litgpt/finetune/lora.py setup (Lightning-AI/litgpt@01fe959): if devices > 1 and quantize, NotImplementedError \"Quantization is currently not supported for multi-GPU training\""),
            DoubleQuant = new Cited<bool>(false, "litgpt --quantize bnb.nf4 is single quantization (bnb.nf4-dq is a separate choice)"),
            QuantizesHead = new Cited<bool>(true, "lightning/fabric/plugins/precision/bitsandbytes.py module_init_context: every torch.nn.Linear built under litgpt's fabric.init_module, lm_head included, is a _Linear4bit"),
            QuantizesFromFp16 = new Cited<bool>(true, "lightning/fabric/plugins/precision/bitsandbytes.py _Linear4bit.quantize: weight.to(dtype=torch.half) before quantize_4bit, so dequantize_4bit returns fp16 and MatMul4Bit casts it to the bf16 input dtype"),
            QuantizedInputOutlivesBackward = new Cited<bool>(true, "litgpt pyproject.toml pins bitsandbytes==0.42.0 (from 929f9c7 to d2ed13c, litgpt 0.4-0.5.4): MatMul4Bit.forward sets ctx.tensors = (A, B), which backward's release of saved tensors leaves alone (removed in bitsandbytes 0.43.2, #1270)"),
            ChunkedHead = new Cited<bool>(true, "litgpt/finetune/lora.py: lm_head_chunk_size=128 and chunked_cross_entropy"),
            FrozenHeadChunkTokens = new Cited<int>(128,
                "lit-gpt finetune/lora.py@8641822 and litgpt/finetune/lora.py@5895df1: model(input_ids, lm_head_chunk_size=128), GPT.forward calls lm_head on each x.split(128, dim=1); full.py calls it once, over a head that trains"),
            SoftcapAttentionByHand = new Cited<bool>(true, "litgpt/model.py CausalSelfAttention.scaled_dot_product_attention: \"with softcapping we cannot use SDPA\""),
            SeparateHead = new Cited<bool>(true, "litgpt/scripts/convert_hf_checkpoint.py copies a tied embedding into lm_head"),
            LossPath = new Cited<LossPath>(Frameworks.LossPath.Litgpt, "litgpt/utils.py chunked_cross_entropy over 128-token logit chunks"),
            GeluNewInPython = new Cited<bool>(false, "litgpt/model.py GptNeoxMLP.forward: torch.nn.functional.gelu(x, approximate=config.gelu_approximate), one kernel keeping its input"),
            OutputKept = new Cited<OutputLifetime>(OutputLifetime.UntilNextForward,
                "litgpt/finetune/lora.py and full.py fit() at 5895df1: logits = model(input_ids, lm_head_chunk_size=128) (full.py: model(input_ids)) rebinds only when the next forward returns, so the logits live through backward and the optimizer step, and the old chunks' grad_fn keeps the previous graph"),
            ZeroGradTakesTorchDefault = new Cited<bool>(true, "litgpt/finetune/lora.py@5895df1 fit: optimizer.zero_grad(), torch's default set_to_none"),
            NoSyncUnshardedGradients = new Cited<bool>(true, "Lightning Fabric fabric.no_sync under FSDP: gradients stay unsharded while accumulating"),
            FlatParameterUnits = new Cited<bool>(true,
                "lightning/fabric/strategies/fsdp.py (lightning 2.3, litgpt's pin at 5895df1) FSDPStrategy: torch FullyShardedDataParallel (FSDP1) with use_orig_params=True, whose forward uses views split from each unit's flat parameter"),
        };
    }
}
