using System.Collections.Generic;
using System;

namespace VramPS.Engine.Frameworks.Profiles
{
    /// <summary>Lightning AI's litgpt: its own model code, Lightning Fabric strategies.</summary>
    internal static class Litgpt
    {
        private const string UnexpandedMultiQuery =
            "lit_gpt/model.py@29de2828 CausalSelfAttention.forward: \"if self.config.n_query_groups != 1\" expands k and v, so a multi-query model (Falcon-7B) hands SDPA one key/value head beside every query head; torch 2.1's flash and memory-efficient kernels need equal head counts (sdp_utils check_batch_size_and_num_heads), so SDPA runs _scaled_dot_product_attention_math";

        /// <summary>lit-gpt from its lit_gpt package (69b65ac4, renamed from lit-parrot) until 50b1974b (#667) expanded multi-query k/v for training.</summary>
        private static readonly DatedChange MathKernelForMultiQuery = new DatedChange(
            new ProfileRelease("69b65ac4", "69b65ac4", "2023-06-23"), new ProfileRelease("50b1974b", "50b1974b", "2023-10-24"),
            "a multi-query model's SDPA runs torch's math kernel, which keeps the 16-bit softmax probabilities (heads x T x T x 2 bytes per layer)",
            UnexpandedMultiQuery,
            p => p with { SdpaMathForMultiQuery = new Cited<bool>(true, UnexpandedMultiQuery) },
            r => r.Model.NumKvHeads == 1 && r.Attention == AttentionKernel.Sdpa);

        /// <summary>
        /// litgpt's published versions, each with its commit and the commit's date: the two set in pyproject.toml before
        /// its git tags began (2bcb2c3e "pyproject.toml (#1074)" 0.1.0, 34fc98c2 "Bump the version to 0.2.0"), then its
        /// git tags (Lightning-AI/litgpt).
        /// </summary>
        private static readonly ProfileRelease[] Published =
        {
            new ProfileRelease("v0.1.0", "2bcb2c3", "2024-03-11"),
            new ProfileRelease("v0.2.0", "34fc98c", "2024-03-15"),
            new ProfileRelease("v0.3.1", "b7f7731", "2024-05-08"),
            new ProfileRelease("v0.4.0", "8ca46d2", "2024-06-10"),
            new ProfileRelease("v0.4.1", "76c8895", "2024-06-17"),
            new ProfileRelease("v0.4.2", "6712653", "2024-06-25"),
            new ProfileRelease("v0.4.3", "3a4526e", "2024-07-05"),
            new ProfileRelease("v0.4.4", "09450ab", "2024-07-10"),
            new ProfileRelease("v0.4.5", "7884343", "2024-07-17"),
            new ProfileRelease("v0.4.6", "3142b89", "2024-07-24"),
            new ProfileRelease("v0.4.7", "4571b2f", "2024-08-01"),
            new ProfileRelease("v0.4.8", "72de432", "2024-08-02"),
            new ProfileRelease("v0.4.9", "b0ea177", "2024-08-08"),
            new ProfileRelease("v0.4.10", "b042058", "2024-08-13"),
            new ProfileRelease("v0.4.11", "ea01fbc", "2024-08-23"),
            new ProfileRelease("v0.4.12", "8ee3bad", "2024-09-11"),
            new ProfileRelease("v0.4.13", "0fb5847", "2024-09-27"),
            new ProfileRelease("v0.5.0", "4e5b81b", "2024-10-04"),
            new ProfileRelease("v0.5.1", "fd0a3fa", "2024-10-10"),
            new ProfileRelease("v0.5.2", "721b6e3", "2024-10-22"),
            new ProfileRelease("v0.5.3", "ba4e92a", "2024-10-29"),
            new ProfileRelease("v0.5.4", "e63099c", "2024-12-23"),
            new ProfileRelease("v0.5.5", "91f3752", "2025-01-08"),
            new ProfileRelease("v0.5.6", "9479c91", "2025-01-24"),
            new ProfileRelease("v0.5.7", "250599b", "2025-01-27"),
            new ProfileRelease("v0.5.8", "c50b574", "2025-05-06"),
            new ProfileRelease("v0.5.9", "1b7bf50", "2025-06-12"),
            new ProfileRelease("v0.5.10", "90cc9a8", "2025-08-13"),
            new ProfileRelease("v0.5.11", "b06251a", "2025-09-09"),
            new ProfileRelease("v0.5.12", "df94ee2", "2025-12-18"),
            new ProfileRelease("v0.5.13", "2685705", "2026-06-29"),
        };

        public static FrameworkProfile Profile { get; } = HfTrainer.Profile with
        {
            Framework = Framework.Litgpt,
            Name = "litgpt",
            UnslothTakesRuns = new Cited<bool>(false, "litgpt's own model classes (litgpt/model.py); Unsloth patches transformers models only"),
            Summary = "Lightning AI litgpt (its own model code, Lightning Fabric FSDP)",
            Versions = "litgpt 0.4-0.5; lit-gpt from 2023-06 with -FrameworkVersion",
            Releases = new ReleaseHistory(
                baseline: new ProfileRelease("5895df1", "5895df1", "2024-04-26"),
                earliest: MathKernelForMultiQuery.From,
                published: Published,
                changes: new[] { MathKernelForMultiQuery }),
            TransformersRelease = new Cited<Version?>(null, "litgpt/model.py: its own model code, no transformers"),
            DefaultTechniques = new Cited<Techniques>(Techniques.None, "litgpt/finetune/lora.py: no fused kernels, no torch.compile by default"),
            DefaultCheckpointing = new Cited<Checkpointing?>(null, "litgpt/finetune/lora.py: no activation checkpointing unless the FSDP strategy's policy asks"),
            DefaultAttention = new Cited<AttentionKernel?>(AttentionKernel.Sdpa, "litgpt/model.py CausalSelfAttention: torch scaled_dot_product_attention",
                "attention through torch SDPA (litgpt's own attention, model.py)"),
            AllLinearLoraTargets = new Cited<bool>(false, "litgpt/finetune/lora.py setup: lora_query and lora_value True, the other projections False"),
            TransformersTrainer = new Cited<bool>(false, "litgpt/finetune/*.py: Fabric loops, not transformers' Trainer"),
            AlignmentStages = new Cited<bool>(false, "litgpt has no preference or RL trainers"),
            ReentrantCheckpointing = new Cited<bool>(false, "Lightning FSDPStrategy activation_checkpointing_policy: non-reentrant checkpoint_wrapper"),
            KeepsModelCache = new Cited<bool>(false, "litgpt/model.py GPT.forward: its own model, which builds no key/value cache in training"),
            AdaptersInComputeDtype = new Cited<bool>(true, "litgpt/lora.py LoRALinear: adapters in the model dtype"),
            QuantizedBase = new Cited<bool>(true, "litgpt --quantize bnb.nf4 / bnb.int8: Fabric's BitsandbytesPrecision"),
            KbitPreparationUpcast = new Cited<bool>(false, "litgpt/utils.py: bnb quantization through Fabric's BitsandbytesPrecision, no kbit preparation"),
            Adapters = new Cited<IReadOnlyList<AdapterKind>?>(new[] { AdapterKind.LoRA }, "litgpt/lora.py: LoRA only (litgpt's adapter and adapter_v2 methods are not modelled)"),
            FreezesLayers = new Cited<bool>(false,
                "litgpt/finetune/full.py trains every parameter; lora.py, adapter.py and adapter_v2.py train only their added weights (mark_only_lora_as_trainable); no option freezes decoder blocks"),
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
            SdpaMathForMultiQuery = new Cited<bool>(false, "lit_gpt/model.py@50b1974b CausalSelfAttention.forward: k and v expanded to every query head for training whatever n_query_groups (\"training: flash attention requires it\")"),
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
