using System.Collections.Generic;
using System;

namespace VramPS.Engine.Frameworks.Profiles
{
    /// <summary>Answer.AI's fsdp_qlora train.py: a transformers model under its own FSDP loop, no Trainer.</summary>
    internal static class FsdpQlora
    {
        public static FrameworkProfile Profile { get; } = HfTrainer.Profile with
        {
            Framework = Framework.FsdpQlora,
            Name = "fsdp_qlora",
            UnslothTakesRuns = new Cited<bool>(false, "fsdp_qlora's own loop (train.py) over FSDP; Unsloth does not load it"),
            Summary = "Answer.AI fsdp_qlora train.py (transformers model, its own FSDP loop)",
            Versions = "fsdp_qlora (March 2024), transformers 4.40",
            TransformersRelease = new Cited<Version?>(new Version(4, 40),
                "fsdp_qlora's requirements at release (March 2024)",
                "transformers 4.40 (fsdp_qlora's release): logits upcast to fp32 in the model"),
            DefaultCheckpointing = new Cited<Checkpointing?>(null,
                "VramPS's general rule (off unless -Checkpointing); fsdp_qlora train.py defaults use_gradient_checkpointing to True"),
            TransformersTrainer = new Cited<bool>(false, "fsdp_qlora train.py: its own training loop, no Trainer autocast"),
            ReentrantCheckpointing = new Cited<bool>(true, "fsdp_qlora README.md: with bitsandbytes \"be sure to pass --reentrant_checkpointing True\" (every example does; train.py's own default is False)"),
            AlignmentStages = new Cited<bool>(false, "fsdp_qlora train.py trains causal-LM SFT only"),
            KbitPreparationUpcast = new Cited<bool>(false, "fsdp_qlora train.py: quantizes with bnb and loads without prepare_model_for_kbit_training"),
            Adapters = new Cited<IReadOnlyList<AdapterKind>?>(new[] { AdapterKind.LoRA, AdapterKind.DoRA }, "fsdp_qlora train.py --train_type lora, qlora, custom_qlora, hqq_dora, bnb_dora"),
            FreezesLayers = new Cited<bool>(false,
                "fsdp_qlora train.py --train_type full, lora, qlora, custom_qlora, custom_lora, hqq_lora, hqq_dora, bnb_dora, bnb_llama_pro, hqq_llama_pro: none freezes blocks of the model as loaded"),
            LoraDropout = new Cited<double>(0.1, "fsdp_qlora train.py main: lora_dropout 0.1"),
            AdaptersInComputeDtype = new Cited<bool>(true,
                "fsdp_qlora train.py@3afe102 precision bf16 (its default): torch_dtype bf16 and Linear4bit quant_storage=torch_dtype, "
                + "and peft (huggingface/peft@6008f272a, March 2024) tuners/lora/layer.py LoraLayer.update_layer casts the adapters to the base weight's floating dtype (self.to(weight.device, dtype=weight.dtype); peft 0.12 added autocast_adapter_dtype's fp32 upcast): bf16 adapters, gradients and AdamW states"),
            QuantizedBaseLoadsWhole = new Cited<bool>(false,
                "fsdp_qlora train.py@3afe102 low_memory (default True): rank 0 quantizes each layer on the GPU and keeps it on the host, the other ranks on meta; FSDP's sync_module_states then moves, flattens and shards unit by unit"),
            OutputKept = new Cited<OutputLifetime>(OutputLifetime.ThroughStep,
                "fsdp_qlora train.py@3afe102 fsdp_main: output = model(...) is released (output = None) only after loss.backward() and optimizer.step(), so its logits live through the whole step"),
        };
    }
}
