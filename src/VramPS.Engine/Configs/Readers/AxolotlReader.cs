using System;
using System.Linq;
using VramPS.Engine.Alignment;

namespace VramPS.Engine.Configs.Readers
{
    /// <summary>
    /// axolotl's YAML, as axolotl reads it (src/axolotl/utils/schemas/config.py, AxolotlInputConfig, and training.py;
    /// defaults read there at 067b021: sequence_len 512, micro_batch_size 1, gradient_accumulation_steps 1, optimizer
    /// adamw_torch_fused (AdamW), gradient_checkpointing off). bf16/fp16 True or "auto" load the model in 16 bits (normalize_config sets torch_dtype),
    /// so a full run is pure 16-bit and a LoRA run keeps fp32 adapters over a 16-bit base (peft).
    /// </summary>
    public sealed class AxolotlReader : ConfigReader
    {
        private const string Schema = "axolotl src/axolotl/utils/schemas/config.py";
        private const string Training = "axolotl src/axolotl/utils/schemas/training.py";

        /// <summary>
        /// axolotl's own optimizer names that VramPS models (src/axolotl/utils/schemas/enums.py CustomSupportedOptimizers,
        /// built in core/builders/base.py): came_pytorch is came_pytorch's CAME; muon is axolotl-contribs-mit's
        /// MuonOptimizerFactory (Muon on the hidden matrices, AdamW on the rest).
        /// </summary>
        private static readonly System.Collections.Generic.Dictionary<string, OptimizerKind> OwnOptimizers =
            new System.Collections.Generic.Dictionary<string, OptimizerKind>(StringComparer.OrdinalIgnoreCase)
            {
                ["came_pytorch"] = OptimizerKind.Came,
                ["muon"] = OptimizerKind.Muon,
            };

        public override ConfigFormat Format => ConfigFormat.Axolotl;

        public override string Trainer => "axolotl";

        public override int Recognise(ConfigNode root) =>
            CountKeys(root, "base_model", "micro_batch_size", "sequence_len", "adapter", "sample_packing", "lora_target_linear",
                "val_set_size", "datasets", "lora_target_modules", "flash_attention", "num_epochs");

        public override void Read(ConfigDocument doc, RunBuilder run, ConfigContext context)
        {
            string model = doc.Text("base_model") ?? throw doc.Invalid("base_model", doc.Root, "the model to train (base_model)");
            ModelReference.Resolve(model, doc, "base_model", run, context);
            run.Derived(nameof(TrainingConfigRun.Framework), "axolotl", $"{doc.Name} (an axolotl config)");

            string? adapter = doc.Text("adapter");
            bool four = doc.Bool("load_in_4bit") == true, eight = doc.Bool("load_in_8bit") == true;
            Method(doc, run, adapter, four, eight);
            if (doc.Count("lora_r") is int rank) run.Set(nameof(TrainingConfigRun.LoraRank), rank, doc, "lora_r");
            var targets = doc.Names("lora_target_modules");
            if (doc.Bool("lora_target_linear") == true) run.Set(nameof(TrainingConfigRun.LoraTargets), new[] { "all-linear" }, doc, targets == null ? "lora_target_linear" : "lora_target_linear (with lora_target_modules, all linear layers)");
            else if (targets != null) run.Set(nameof(TrainingConfigRun.LoraTargets), targets, doc, "lora_target_modules");
            if (doc.Has("lora_target_parameters")) run.Refuse("lora_target_parameters", doc.Node("lora_target_parameters")!.Display, "LoRA on expert parameters");
            if (doc.Node("qat") is ConfigNode qat && qat.AsBool() != false) run.Refuse("qat", qat.Display, "quantization-aware training");
            if (doc.Text("processor_type") is string processor) run.Refuse("processor_type", processor, ConfigVocabulary.VisionLanguage);
            if (doc.Bool("peft_use_dora") == true) run.Set(nameof(TrainingConfigRun.Adapter), AdapterKind.DoRA, doc, "peft_use_dora");
            else if (doc.Bool("peft_use_rslora") == true) run.Set(nameof(TrainingConfigRun.Adapter), AdapterKind.RsLoRA, doc, "peft_use_rslora");
            if (doc.Names("lora_modules_to_save") is string[] saved && saved.Length > 0) run.Refuse("lora_modules_to_save", string.Join(",", saved), "fully trained modules beside LoRA");
            if (doc.Has("unfrozen_parameters")) run.Refuse("unfrozen_parameters", "[…]", "training a chosen set of parameters");
            if (doc.Has("relora_steps")) run.Refuse("relora_steps", doc.Text("relora_steps") ?? "", "ReLoRA");

            if (doc.Count("sequence_len") is int length) run.Set(nameof(TrainingConfigRun.SequenceLength), length, doc, "sequence_len");
            run.Default(nameof(TrainingConfigRun.SequenceLength), 512, Schema + ": sequence_len");
            if (doc.Count("micro_batch_size") is int micro) run.Set(nameof(TrainingConfigRun.BatchSize), micro, doc, "micro_batch_size");
            run.Default(nameof(TrainingConfigRun.BatchSize), 1, Training + ": micro_batch_size");
            if (doc.Count("gradient_accumulation_steps") is int accumulation) run.Set(nameof(TrainingConfigRun.GradientAccumulation), accumulation, doc, "gradient_accumulation_steps");
            else if (doc.Count("batch_size") is int global && run.Value(nameof(TrainingConfigRun.BatchSize)) is int perStep)
                run.Derived(nameof(TrainingConfigRun.GradientAccumulation), Math.Max(1, global / perStep), $"{doc.Origin("batch_size")} // micro_batch_size (normalize_config)");
            run.Default(nameof(TrainingConfigRun.GradientAccumulation), 1, Training + ": gradient_accumulation_steps");
            TrainerArguments.Optimizer(doc, run, "optimizer", OwnOptimizers);
            run.Default(nameof(TrainingConfigRun.Optimizer), OptimizerKind.AdamW, Training + ": optimizer adamw_torch_fused");

            Precision(doc, run, adapter != null);
            if (doc.Bool("float16") == true) run.Set(nameof(TrainingConfigRun.Precision), Engine.Precision.Fp16, doc, "float16");
            if (doc.Node("activation_offloading") is ConfigNode offloading && (offloading.Text == "legacy" || offloading.AsBool() == true))
                TrainerArguments.AddTechnique(run, Techniques.ActivationOffload, doc.Origin("activation_offloading"));
            if (doc.Bool("reward_model") == true) run.Set(nameof(TrainingConfigRun.Stage), TrainingStage.RewardModel, doc, "reward_model");
            doc.Ignore("num_labels");
            Checkpointing(doc, run);
            Attention(doc, run);
            Kernels(doc, run);
            Stage(doc, run);
            context.ReadDeepSpeed(doc, "deepspeed", run);
            Fsdp(doc, run);
            if (doc.Count("tensor_parallel_size") is int tensor) run.Set(nameof(TrainingConfigRun.TensorParallel), tensor, doc, "tensor_parallel_size");
            if (doc.Count("context_parallel_size") is int contextDegree) run.Set(nameof(TrainingConfigRun.ContextParallel), contextDegree, doc, "context_parallel_size");
            doc.Ignore("dp_shard_size", "dp_replicate_size");

            doc.Ignore("base_model_config", "model_type", "tokenizer_type", "tokenizer_config", "trust_remote_code", "strict", "datasets",
                "test_datasets", "dataset_prepared_path", "val_set_size", "output_dir", "num_epochs", "learning_rate", "lr_scheduler",
                "lr_scheduler_kwargs", "warmup_steps", "warmup_ratio", "cosine_min_lr_ratio", "weight_decay", "max_grad_norm",
                "logging_steps", "evals_per_epoch", "eval_steps", "saves_per_epoch", "save_steps", "save_strategy", "save_total_limit",
                "special_tokens", "tokens", "chat_template", "chat_template_jinja", "train_on_inputs", "group_by_length",
                "pad_to_sequence_len", "eval_sample_packing", "sample_packing", "lora_alpha", "lora_dropout", "lora_fan_in_fan_out",
                "lora_model_dir", "tf32", "early_stopping_patience", "resume_from_checkpoint", "auto_resume_from_checkpoints",
                "local_rank", "debug", "seed", "hub_model_id", "hub_strategy", "wandb_*", "mlflow_*", "comet_*", "use_wandb",
                "use_tensorboard", "gptq", "bnb_config_kwargs", "adam_beta1", "adam_beta2", "adam_epsilon", "max_steps",
                "dataloader_num_workers", "dataloader_pin_memory", "dataloader_prefetch_factor", "shuffle_merged_datasets",
                "eval_table_size", "eval_max_new_tokens", "do_bench_eval", "bench_dataset", "loss_watchdog_threshold",
                "loss_watchdog_patience", "default_system_message", "gradient_checkpointing_kwargs", "is_llama_derived_model",
                "is_mistral_derived_model", "is_qwen_derived_model", "dataset_processes", "push_dataset_to_hub", "hf_use_auth_token",
                "ddp_timeout", "ddp_bucket_cap_mb", "ddp_broadcast_buffers", "skip_prepare_dataset", "torch_compile_backend",
                "sample_packing_eff_est", "total_num_tokens", "xformers_attention", "logging_dir", "profiler_steps", "include_tokens_per_second",
                "embeddings_skip_upcast", "eval_causal_lm_metrics", "save_safetensors", "save_only_model", "dpo_beta", "rl_beta",
                "trl", "remove_unused_columns", "lora_on_cpu", "load_best_model_at_end", "plugins", "cut_cross_entropy", "fsdp_version",
                "eot_tokens", "tokenizer_use_mistral_common", "gptq_groupsize", "gptq_model_v1", "torchdistx_path", "ddp_find_unused_parameters",
                "resize_token_embeddings_to_32x", "max_packed_sequence_len", "eval_batch_size", "eta_min", "swanlab_*", "use_swanlab",
                "revision_of_model", "pretraining_dataset", "tokenizer_legacy", "tokenizer_use_fast", "base_model_ignore_patterns");
        }

        private static void Method(ConfigDocument doc, RunBuilder run, string? adapter, bool four, bool eight)
        {
            switch (adapter?.ToLowerInvariant())
            {
                case null:
                    if (four || eight) run.Refuse(four ? "load_in_4bit" : "load_in_8bit", "true", "a full fine-tune of quantized weights");
                    run.Derived(nameof(TrainingConfigRun.Method), FinetuneMethod.Full, $"{doc.Name}: no adapter (a full fine-tune)");
                    return;
                case "lora":
                case "qlora":
                    bool quantized = four || eight || adapter.Equals("qlora", StringComparison.OrdinalIgnoreCase) || run.Has(nameof(TrainingConfigRun.Quantization));
                    run.Set(nameof(TrainingConfigRun.Method), quantized ? FinetuneMethod.QLoRA : FinetuneMethod.LoRA, doc, "adapter");
                    if (four) run.Set(nameof(TrainingConfigRun.Quantization), Quantization.NF4, doc, "load_in_4bit");
                    else if (eight) run.Set(nameof(TrainingConfigRun.Quantization), Quantization.Int8, doc, "load_in_8bit");
                    else if (quantized) run.Default(nameof(TrainingConfigRun.Quantization), Quantization.NF4, "src/axolotl/loaders/model.py: qlora loads bnb_4bit_quant_type nf4");
                    return;
                default:
                    run.Refuse("adapter", adapter!, $"the adapter {adapter}");
                    return;
            }
        }

        private static void Precision(ConfigDocument doc, RunBuilder run, bool adapter)
        {
            var autocast = TrainerArguments.AutocastPrecision(doc, out string key);
            if (autocast == null)
            {
                run.Derived(nameof(TrainingConfigRun.Precision), Engine.Precision.Fp32, $"{doc.Name}: neither bf16 nor fp16 (fp32)");
                return;
            }
            bool bf16 = autocast == Engine.Precision.Bf16Mixed;
            var precision = bf16 ? Engine.Precision.Bf16 : Engine.Precision.Fp16;
            run.Derived(nameof(TrainingConfigRun.Precision), precision,
                $"{doc.Origin(key)} (axolotl loads the model in {key}: normalize_config sets torch_dtype{(adapter ? "; peft keeps the adapters in fp32" : "")}{(doc.Text(key) == "auto" ? "; auto means bf16 where the GPU has it" : "")})");
        }

        private static void Checkpointing(ConfigDocument doc, RunBuilder run)
        {
            var node = doc.Node("gradient_checkpointing");
            if (node != null)
            {
                bool offload = node.IsScalar && (node.Text == "offload" || node.Text == "offload_disk");
                bool on = offload || node.Text == "unsloth" || (node.AsBool() ?? throw doc.Invalid("gradient_checkpointing", node, "true, false, unsloth or offload"));
                run.Set(nameof(TrainingConfigRun.Checkpointing), on ? Engine.Checkpointing.Full : Engine.Checkpointing.None, doc, "gradient_checkpointing");
                if (offload || node.Text == "unsloth") TrainerArguments.AddTechnique(run, Techniques.ActivationOffload, doc.Origin("gradient_checkpointing"));
            }
            run.Default(nameof(TrainingConfigRun.Checkpointing), Engine.Checkpointing.None, Schema + ": gradient_checkpointing false");
        }

        private static void Attention(ConfigDocument doc, RunBuilder run)
        {
            TrainerArguments.Attention(doc, run);
            if (doc.Bool("flash_attention") == true) run.Set(nameof(TrainingConfigRun.Attention), AttentionKernel.Flash, doc, "flash_attention");
            if (doc.Bool("sdp_attention") == true) run.Set(nameof(TrainingConfigRun.Attention), AttentionKernel.Sdpa, doc, "sdp_attention");
            if (doc.Bool("eager_attention") == true) run.Set(nameof(TrainingConfigRun.Attention), AttentionKernel.Eager, doc, "eager_attention");
        }

        private static void Kernels(ConfigDocument doc, RunBuilder run)
        {
            var plugins = doc.Names("plugins") ?? Array.Empty<string>();
            bool liger = plugins.Any(p => p.IndexOf("liger", StringComparison.OrdinalIgnoreCase) >= 0);
            bool fusedLoss = doc.Bool("liger_fused_linear_cross_entropy") == true;
            bool fusedKernels = doc.Bool("liger_rms_norm") == true | doc.Bool("liger_glu_activation") == true | doc.Bool("liger_rope") == true
                                | doc.Bool("liger_layer_norm") == true | doc.Bool("liger_swiglu") == true;
            doc.Ignore("liger_cross_entropy");
            if (liger && fusedKernels) TrainerArguments.AddTechnique(run, Techniques.FusedKernels, doc.Origin("liger_rms_norm/liger_glu_activation"));
            if (liger && fusedLoss) TrainerArguments.AddTechnique(run, Techniques.FusedLinearLoss, doc.Origin("liger_fused_linear_cross_entropy"));
            if (plugins.Any(p => p.IndexOf("cut_cross_entropy", StringComparison.OrdinalIgnoreCase) >= 0))
                TrainerArguments.AddTechnique(run, Techniques.FusedLinearLoss, doc.Origin("plugins (Cut Cross-Entropy)"));
            if (doc.Bool("torch_compile") == true) TrainerArguments.AddTechnique(run, Techniques.Compile, doc.Origin("torch_compile"));
        }

        private static void Stage(ConfigDocument doc, RunBuilder run)
        {
            string? rl = doc.Text("rl");
            if (rl == null) return;
            TrainingStage? stage = rl.ToLowerInvariant() switch
            {
                "dpo" => TrainingStage.Dpo,
                "ipo" => TrainingStage.Dpo,
                "kto" => TrainingStage.Kto,
                "orpo" => TrainingStage.Orpo,
                "simpo" => TrainingStage.SimPo,
                "grpo" => TrainingStage.Grpo,
                _ => null,
            };
            if (stage is TrainingStage s) run.Set(nameof(TrainingConfigRun.Stage), s, doc, "rl");
            else run.Refuse("rl", rl, $"the {rl} trainer");
        }

        /// <summary>fsdp: [full_shard, auto_wrap] and fsdp_config, as transformers' TrainingArguments reads them.</summary>
        private static void Fsdp(ConfigDocument doc, RunBuilder run)
        {
            var fsdp = doc.Names("fsdp");
            string? strategy = doc.Text("fsdp_config.fsdp_sharding_strategy") ?? doc.Text("fsdp_config.sharding_strategy");
            bool reshard = doc.Bool("fsdp_config.reshard_after_forward") ?? true;
            if (fsdp == null && strategy == null && !doc.Has("fsdp_config")) return;
            var sharding = strategy != null ? AccelerateReader.ShardingOf(strategy)
                : fsdp != null && fsdp.Any(f => f.Equals("shard_grad_op", StringComparison.OrdinalIgnoreCase)) ? Engine.Sharding.Zero2
                : reshard ? Engine.Sharding.Zero3 : Engine.Sharding.Zero2;
            if (sharding == null) run.Refuse("fsdp_config.fsdp_sharding_strategy", strategy!, $"the FSDP sharding strategy {strategy}");
            else run.Derived(nameof(TrainingConfigRun.Sharding), sharding.Value, $"{doc.Origin(strategy != null ? "fsdp_config.fsdp_sharding_strategy" : "fsdp")} (FSDP, sharded as ZeRO-{(int)sharding.Value})");
            if ((doc.Bool("fsdp_config.fsdp_offload_params") ?? doc.Bool("fsdp_config.offload_params")) == true)
                run.Set(nameof(TrainingConfigRun.Offload), Engine.Offload.OptimizerAndParameters, doc, "fsdp_config.fsdp_offload_params");
            if ((doc.Bool("fsdp_config.fsdp_activation_checkpointing") ?? doc.Bool("fsdp_config.activation_checkpointing")) == true)
                run.Set(nameof(TrainingConfigRun.Checkpointing), Engine.Checkpointing.Full, doc, "fsdp_config.fsdp_activation_checkpointing");
            doc.Ignore("fsdp_config.*");
            run.Missing(nameof(TrainingConfigRun.GpuCount), $"{doc.Name} shards over every GPU the launcher starts (accelerate launch / torchrun)");
        }
    }
}
