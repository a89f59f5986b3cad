using System;
using VramPS.Engine.Alignment;

namespace VramPS.Engine.Configs.Readers
{
    /// <summary>
    /// LLaMA-Factory's YAML (llamafactory-cli train), as src/llamafactory/hparams reads it: finetuning_args.py (stage
    /// sft, finetuning_type lora, lora_rank 8, lora_target all, freeze_trainable_layers 2, pref_loss sigmoid, pure_bf16
    /// False), model_args.py (quantization_bit None, quantization_method bnb, quantization_type nf4, flash_attn auto,
    /// disable_gradient_checkpointing False: checkpointing is on unless disabled, model/model_utils/checkpointing.py),
    /// data_args.py (cutoff_len 2048) and the TrainingArguments it extends. A full or freeze run upcasts its trainable
    /// parameters to fp32 unless pure_bf16 (model/adapter.py), so bf16 means fp32 weights under bf16 autocast there.
    /// </summary>
    public sealed class LlamaFactoryReader : ConfigReader
    {
        private const string Finetuning = "LLaMA-Factory src/llamafactory/hparams/finetuning_args.py";
        private const string ModelArgs = "LLaMA-Factory src/llamafactory/hparams/model_args.py";

        public override ConfigFormat Format => ConfigFormat.LlamaFactory;

        public override string Trainer => "LLaMA-Factory";

        public override int Recognise(ConfigNode root) =>
            CountKeys(root, "stage", "finetuning_type", "cutoff_len", "template", "lora_rank", "lora_target", "quantization_bit",
                "flash_attn", "dataset_dir", "overwrite_cache", "preprocessing_num_workers", "plot_loss");

        public override void Read(ConfigDocument doc, RunBuilder run, ConfigContext context)
        {
            if (!doc.Has("stage") && (doc.Has("export_dir") || doc.Has("infer_backend")))
                throw new Errors.InvalidDataFileException(doc.Path, "is a LLaMA-Factory export or inference config (export_dir or infer_backend, no stage), not a training run.");
            foreach (string key in new[] { "tensor_model_parallel_size", "pipeline_model_parallel_size", "expert_model_parallel_size", "context_parallel_size", "use_distributed_optimizer" })
            {
                if (doc.Has(key)) run.Refuse(key, doc.Node(key)!.Display, "LLaMA-Factory's Megatron-Core training (mcore_adapter)");
            }
            if (doc.Bool("use_kt") == true) run.Refuse("use_kt", "true", "KTransformers' CPU-offloaded experts");
            if (doc.Text("mixture_of_depths") is string depths) run.Refuse("mixture_of_depths", depths, "Mixture-of-Depths");
            if (doc.Has("fp8") && doc.Bool("fp8") == true) run.Refuse("fp8", "true", "FP8 training");
            string model = doc.Text("model_name_or_path") ?? throw doc.Invalid("model_name_or_path", doc.Root, "the model to train (model_name_or_path)");
            ModelReference.Resolve(model, doc, "model_name_or_path", run, context);
            run.Derived(nameof(TrainingConfigRun.Framework), doc.Bool("use_unsloth") == true ? "Unsloth" : "LLaMA-Factory",
                doc.Bool("use_unsloth") == true ? doc.Origin("use_unsloth") : $"{doc.Name} (a LLaMA-Factory config)");

            Stage(doc, run);
            string type = doc.Text("finetuning_type") ?? "lora";
            Method(doc, run, type);
            if (doc.Count("lora_rank") is int rank) run.Set(nameof(TrainingConfigRun.LoraRank), rank, doc, "lora_rank");
            run.Default(nameof(TrainingConfigRun.LoraRank), 8, Finetuning + ": lora_rank");
            var targets = doc.Names("lora_target");
            if (targets != null) run.Set(nameof(TrainingConfigRun.LoraTargets), targets.Length == 1 && targets[0] == "all" ? new[] { "all-linear" } : targets, doc, "lora_target");
            else run.Default(nameof(TrainingConfigRun.LoraTargets), new[] { "all-linear" }, Finetuning + ": lora_target all");
            if (doc.Count("freeze_trainable_layers") is int layers) run.Set(nameof(TrainingConfigRun.TrainableLayers), layers, doc, "freeze_trainable_layers");
            if (type == "freeze") run.Default(nameof(TrainingConfigRun.TrainableLayers), 2, Finetuning + ": freeze_trainable_layers");
            foreach (var (key, what) in new[] { ("use_llama_pro", "LLaMA Pro"), ("train_mm_proj_only", ConfigVocabulary.VisionLanguage) })
            {
                if (doc.Bool(key) == true) run.Refuse(key, "true", what);
            }
            Adapter(doc, run);
            if (doc.Node("pissa_convert") is ConfigNode convert && convert.AsBool() != false)
                run.Warn($"{doc.Origin("pissa_convert")}: PiSSA converts the adapters after training; the step holds what PiSSA holds.");

            if (doc.Count("cutoff_len") is int cutoff) run.Set(nameof(TrainingConfigRun.SequenceLength), cutoff, doc, "cutoff_len");
            run.Default(nameof(TrainingConfigRun.SequenceLength), 2048, "LLaMA-Factory src/llamafactory/hparams/data_args.py: cutoff_len");
            if (doc.Bool("disable_gradient_checkpointing") is bool disabled)
                run.Set(nameof(TrainingConfigRun.Checkpointing), disabled ? Checkpointing.None : Checkpointing.Full, doc, "disable_gradient_checkpointing");
            run.Default(nameof(TrainingConfigRun.Checkpointing), Checkpointing.Full, ModelArgs + ": disable_gradient_checkpointing False");
            Attention(doc, run);
            if (doc.Bool("enable_liger_kernel") == true) TrainerArguments.Liger(run, doc.Origin("enable_liger_kernel"));
            Precision(doc, run, type);
            TrainerArguments.Read(doc, run);
            OptimizerSwitches(doc, run);
            context.ReadDeepSpeed(doc, "deepspeed", run);
            if (run.Value(nameof(TrainingConfigRun.Sharding)) is Sharding s && s != Sharding.None)
                run.Missing(nameof(TrainingConfigRun.GpuCount), $"{doc.Name} shards over every GPU the launcher starts (FORCE_TORCHRUN / llamafactory-cli)");

            doc.Ignore("model_name_or_path", "trust_remote_code", "template", "dataset", "eval_dataset", "dataset_dir", "overwrite_cache",
                "preprocessing_num_workers", "dataloader_num_workers", "max_samples", "val_size", "plot_loss", "packing", "neat_packing",
                "lora_alpha", "lora_dropout", "additional_target", "ddp_timeout", "quantization_method", "double_quantization",
                "print_param_status", "cache_dir", "hf_hub_token", "ms_hub_token", "streaming", "buffer_size", "mix_strategy",
                "tokenized_path", "infer_backend", "export_dir", "export_size", "adapter_name_or_path", "create_new_adapter",
                "compute_accuracy", "predict_with_generate", "do_sample", "pref_beta", "pref_ftx", "simpo_gamma", "upcast_layernorm",
                "upcast_lmhead_output", "rope_scaling", "train_from_scratch", "image_max_pixels", "video_max_pixels", "freeze_vision_tower",
                "freeze_multi_modal_projector", "default_system", "enable_thinking", "tool_format", "resize_vocab", "split_special_tokens",
                "use_fast_tokenizer", "model_revision", "low_cpu_mem_usage", "shift_attn", "moe_aux_loss_coef", "freeze_trainable_modules",
                "freeze_extra_modules", "swanlab_*", "use_swanlab", "ray_*", "include_effective_tokens_per_second", "finetuning_type",
                "stage", "pref_loss", "quantization_type", "flash_attn", "use_unsloth", "enable_liger_kernel", "pissa_iter", "export_*",
                "kt_*", "overlap_param_gather", "overlap_grad_reduce", "sequence_parallel", "bias_activation_fusion", "apply_rope_fusion",
                "moe_token_dispatcher_type", "moe_grouped_gemm", "recompute_granularity", "use_v1_kernels", "fp8_*", "use_packed_sequences");
        }

        /// <summary>
        /// The LoRA variant LLaMA-Factory's FinetuningArguments select (use_dora, pissa_init, use_rslora,
        /// loraplus_lr_ratio; DoRA first where several are on, as its forward holds the most).
        /// </summary>
        private static void Adapter(ConfigDocument doc, RunBuilder run)
        {
            foreach (var (key, kind) in new[] { ("use_dora", AdapterKind.DoRA), ("pissa_init", AdapterKind.PiSSA), ("use_rslora", AdapterKind.RsLoRA), ("loraplus_lr_ratio", AdapterKind.LoRAPlus) })
            {
                if (doc.Node(key) is ConfigNode n && n.AsBool() != false)
                {
                    run.Set(nameof(TrainingConfigRun.Adapter), kind, doc, key);
                    return;
                }
            }
        }

        /// <summary>
        /// LLaMA-Factory's optimizer switches (src/llamafactory/train/trainer_utils.py create_custom_optimizer): GaLore
        /// over optim adamw_torch, or its 8-bit AdamW over the 8-bit optim names; APOLLO; Adam-mini; Muon; BAdam's
        /// layer mode (BlockOptimizer over the optim's AdamW; the block order, switch interval and start block change
        /// no peak, which is taken with the worst block active).
        /// </summary>
        private static void OptimizerSwitches(ConfigDocument doc, RunBuilder run)
        {
            if (doc.Bool("use_galore") == true)
            {
                string optim = doc.Text("optim") ?? "adamw_torch";
                var kind = optim.Contains("8bit") ? OptimizerKind.GaLore8bit : OptimizerKind.GaLore;
                run.Set(nameof(TrainingConfigRun.Optimizer), kind, doc, "use_galore");
                if (doc.Count("galore_rank") is int rank) run.Set(nameof(TrainingConfigRun.OptimizerRank), rank, doc, "galore_rank");
                if (doc.Bool("galore_layerwise") == true) run.Refuse("galore_layerwise", "true", "GaLore stepped layer by layer in backward");
            }
            if (doc.Bool("use_apollo") == true)
            {
                run.Set(nameof(TrainingConfigRun.Optimizer), OptimizerKind.Apollo, doc, "use_apollo");
                if (doc.Count("apollo_rank") is int rank) run.Set(nameof(TrainingConfigRun.OptimizerRank), rank, doc, "apollo_rank");
                if (doc.Bool("apollo_layerwise") == true) run.Refuse("apollo_layerwise", "true", "APOLLO stepped layer by layer in backward");
            }
            if (doc.Bool("use_adam_mini") == true) run.Set(nameof(TrainingConfigRun.Optimizer), OptimizerKind.AdamMini, doc, "use_adam_mini");
            if (doc.Bool("use_muon") == true) run.Set(nameof(TrainingConfigRun.Optimizer), OptimizerKind.Muon, doc, "use_muon");
            if (doc.Bool("use_badam") == true)
            {
                string mode = doc.Text("badam_mode") ?? "layer";
                if (mode == "ratio") run.Refuse("badam_mode", mode, "BAdam's ratio mode");
                else if (mode != "layer") throw doc.Invalid("badam_mode", doc.Node("badam_mode")!, "layer or ratio");
                string optim = doc.Text("optim") ?? "adamw_torch";
                if (optim != "adamw_torch" && optim != "adamw_torch_fused") run.Refuse("optim", optim, "BAdam over a base optimizer other than torch's AdamW");
                run.Set(nameof(TrainingConfigRun.Optimizer), OptimizerKind.BAdam, doc, "use_badam");
                doc.Ignore("badam_switch_mode", "badam_switch_interval", "badam_start_block", "badam_verbose", "badam_update_ratio", "badam_mask_mode");
            }
        }

        private static void Stage(ConfigDocument doc, RunBuilder run)
        {
            string stage = doc.Text("stage") ?? "sft";
            string loss = doc.Text("pref_loss") ?? "sigmoid";
            TrainingStage? mapped = stage.ToLowerInvariant() switch
            {
                "sft" => TrainingStage.Sft,
                "pt" => TrainingStage.Sft,
                "rm" => TrainingStage.RewardModel,
                "dpo" => loss == "orpo" ? TrainingStage.Orpo : loss == "simpo" ? TrainingStage.SimPo : TrainingStage.Dpo,
                "kto" => TrainingStage.Kto,
                "ppo" => TrainingStage.Ppo,
                _ => null,
            };
            if (mapped is TrainingStage s) run.Derived(nameof(TrainingConfigRun.Stage), s, doc.Has("stage") ? doc.Origin("stage") + (stage == "dpo" ? $", pref_loss {loss}" : "") : Finetuning + ": stage sft");
            else run.Refuse("stage", stage, $"the {stage} stage");
        }

        private static void Method(ConfigDocument doc, RunBuilder run, string type)
        {
            long? bits = doc.Node("quantization_bit")?.AsLong();
            string method = doc.Text("quantization_method") ?? "bnb";
            if (bits != null && !method.Equals("bnb", StringComparison.OrdinalIgnoreCase) && !method.Equals("bitsandbytes", StringComparison.OrdinalIgnoreCase))
                run.Refuse("quantization_method", method, $"{method} quantization");
            switch (type.ToLowerInvariant())
            {
                case "lora":
                    bool quantized = bits != null || run.Has(nameof(TrainingConfigRun.Quantization));
                    run.Derived(nameof(TrainingConfigRun.Method), quantized ? FinetuneMethod.QLoRA : FinetuneMethod.LoRA,
                        doc.Has("finetuning_type") ? doc.Origin("finetuning_type") + (bits != null ? " with quantization_bit" : "") : Finetuning + ": finetuning_type lora");
                    if (bits == 4)
                    {
                        string quant = doc.Text("quantization_type") ?? "nf4";
                        run.Set(nameof(TrainingConfigRun.Quantization), quant == "fp4" ? Quantization.FP4 : Quantization.NF4, doc, "quantization_bit");
                    }
                    else if (bits == 8) run.Set(nameof(TrainingConfigRun.Quantization), Quantization.Int8, doc, "quantization_bit");
                    else if (bits != null) run.Refuse("quantization_bit", bits.Value.ToString(), $"{bits}-bit quantization");
                    break;
                case "full":
                    run.Set(nameof(TrainingConfigRun.Method), FinetuneMethod.Full, doc, "finetuning_type");
                    break;
                case "freeze":
                    run.Set(nameof(TrainingConfigRun.Method), FinetuneMethod.Freeze, doc, "finetuning_type");
                    break;
                default:
                    run.Refuse("finetuning_type", type, $"the {type} fine-tuning type");
                    break;
            }
        }

        private static void Attention(ConfigDocument doc, RunBuilder run)
        {
            string? flash = doc.Text("flash_attn");
            if (flash == null || flash == "auto") return;
            AttentionKernel? kernel = flash switch { "fa2" => AttentionKernel.Flash, "sdpa" => AttentionKernel.Sdpa, "disabled" => AttentionKernel.Eager, _ => null };
            if (kernel is AttentionKernel k) run.Set(nameof(TrainingConfigRun.Attention), k, doc, "flash_attn");
            else run.Refuse("flash_attn", flash, $"the attention kernel {flash}");
        }

        private static void Precision(ConfigDocument doc, RunBuilder run, string type)
        {
            bool full = !type.Equals("lora", StringComparison.OrdinalIgnoreCase);
            if (doc.Bool("pure_bf16") == true)
            {
                run.Set(nameof(TrainingConfigRun.Precision), Engine.Precision.Bf16, doc, "pure_bf16");
                return;
            }
            var autocast = TrainerArguments.AutocastPrecision(doc, out string key);
            if (autocast == null)
                run.Derived(nameof(TrainingConfigRun.Precision), Engine.Precision.Fp32, $"{doc.Name}: neither bf16 nor fp16 (fp32)");
            else if (full)
                run.Derived(nameof(TrainingConfigRun.Precision), autocast.Value, $"{doc.Origin(key)} (trainable parameters upcast to fp32, model/adapter.py)");
            else
                run.Derived(nameof(TrainingConfigRun.Precision), autocast == Engine.Precision.Bf16Mixed ? Engine.Precision.Bf16 : Engine.Precision.Fp16,
                    $"{doc.Origin(key)} (base loaded in {key}, adapters in fp32)");
        }
    }
}
