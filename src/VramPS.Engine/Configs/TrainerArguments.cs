using System;
using System.Collections.Generic;

namespace VramPS.Engine.Configs
{
    /// <summary>
    /// The keys of Hugging Face's TrainingArguments that axolotl, LLaMA-Factory and TRL pass through to the Trainer,
    /// mapped once. Defaults are transformers' (src/transformers/training_args.py: per_device_train_batch_size 8,
    /// gradient_accumulation_steps 1, bf16 and fp16 False, optim adamw_torch); a reader whose trainer changes one
    /// (TRL's configs turn gradient checkpointing on) sets its own before calling <see cref="Read"/>.
    /// </summary>
    internal static class TrainerArguments
    {
        private const string TrainingArgs = "transformers src/transformers/training_args.py";

        /// <summary>TrainingArguments keys that do not change the memory of a step.</summary>
        public static readonly string[] Irrelevant =
        {
            "output_dir", "overwrite_output_dir", "do_train", "do_eval", "do_predict", "eval_strategy", "evaluation_strategy",
            "per_device_eval_batch_size", "eval_steps", "eval_delay", "eval_accumulation_steps", "eval_on_start",
            "learning_rate", "weight_decay", "adam_beta1", "adam_beta2", "adam_epsilon", "max_grad_norm", "num_train_epochs",
            "max_steps", "lr_scheduler_type", "lr_scheduler_kwargs", "warmup_ratio", "warmup_steps", "log_level", "logging_dir",
            "logging_strategy", "logging_first_step", "logging_steps", "logging_nan_inf_filter", "save_strategy", "save_steps",
            "save_total_limit", "save_safetensors", "save_only_model", "seed", "data_seed", "run_name", "report_to",
            "disable_tqdm", "remove_unused_columns", "label_names", "load_best_model_at_end", "metric_for_best_model",
            "greater_is_better", "dataloader_num_workers", "dataloader_pin_memory", "dataloader_drop_last",
            "dataloader_persistent_workers", "dataloader_prefetch_factor", "push_to_hub", "hub_model_id", "hub_strategy",
            "hub_token", "hub_private_repo", "resume_from_checkpoint", "ddp_timeout", "ddp_find_unused_parameters",
            "ddp_backend", "group_by_length", "length_column_name", "tf32", "local_rank", "include_tokens_per_second",
            "include_num_input_tokens_seen", "neftune_noise_alpha", "optim_args", "gradient_checkpointing_kwargs",
            "full_determinism", "torch_empty_cache_steps", "average_tokens_across_devices", "prediction_loss_only",
            "use_cpu", "bf16_full_eval", "fp16_full_eval", "fp16_opt_level", "half_precision_backend", "save_on_each_node",
            "past_index", "skip_memory_metrics", "accelerator_config", "torch_compile_backend", "torch_compile_mode",
        };

        /// <summary>
        /// transformers' optimizer names (OptimizerNames in training_args.py) that VramPS models; any other optim is
        /// refused rather than estimated as AdamW.
        /// </summary>
        private static readonly Dictionary<string, OptimizerKind> Optimizers = new Dictionary<string, OptimizerKind>(StringComparer.OrdinalIgnoreCase)
        {
            ["adamw_torch"] = OptimizerKind.AdamW,
            ["adamw_torch_fused"] = OptimizerKind.AdamW,
            ["adamw_hf"] = OptimizerKind.AdamW,
            ["adamw_apex_fused"] = OptimizerKind.AdamW,
            ["adamw_bnb_8bit"] = OptimizerKind.AdamW8bit,
            ["adamw_8bit"] = OptimizerKind.AdamW8bit,
            ["adamw_torch_8bit"] = OptimizerKind.AdamW8bit,
            ["paged_adamw"] = OptimizerKind.PagedAdamW,
            ["paged_adamw_32bit"] = OptimizerKind.PagedAdamW,
            ["paged_adamw_8bit"] = OptimizerKind.PagedAdamW8bit,
            ["adafactor"] = OptimizerKind.Adafactor,
            ["lion_32bit"] = OptimizerKind.Lion,
            ["sgd"] = OptimizerKind.SGD,
            ["galore_adamw"] = OptimizerKind.GaLore,
            ["galore_adamw_8bit"] = OptimizerKind.GaLore8bit,
            ["apollo_adamw"] = OptimizerKind.Apollo,
            ["schedule_free_adamw"] = OptimizerKind.ScheduleFreeAdamW,
        };

        /// <summary>
        /// An optimizer name as transformers spells it, or as the trainer's own names (<paramref name="own"/>) do; one
        /// VramPS does not model is refused rather than estimated as AdamW.
        /// </summary>
        public static void Optimizer(ConfigDocument doc, RunBuilder run, string key, IReadOnlyDictionary<string, OptimizerKind>? own = null)
        {
            string? name = doc.Text(key);
            if (name == null) return;
            if (Optimizers.TryGetValue(name.Trim(), out var kind) || (own != null && own.TryGetValue(name.Trim(), out kind)))
            {
                run.Set(nameof(TrainingConfigRun.Optimizer), kind, doc, key);
                if (kind == OptimizerKind.GaLore || kind == OptimizerKind.GaLore8bit || kind == OptimizerKind.Apollo) ProjectionRank(doc, run);
            }
            else run.Refuse(key, name, $"the optimizer {name}");
        }

        /// <summary>
        /// The rank of transformers' GaLore and APOLLO optimizers: optim_args' rank, a "key=value, ..." string (a
        /// mapping in axolotl), 128 when absent (transformers Trainer.get_optimizer_cls_and_kwargs: int(optim_args.pop("rank", 128))
        /// for galore_* and apollo_*; its update_proj_gap, scale and proj_type change no state's size).
        /// </summary>
        private static void ProjectionRank(ConfigDocument doc, RunBuilder run)
        {
            const string key = "optim_args";
            var node = doc.Node(key);
            if (node != null && node.IsMap)
            {
                if (doc.Count(key + ".rank") is int given) run.Set(nameof(TrainingConfigRun.OptimizerRank), given, doc, key + ".rank");
                doc.Ignore(key + ".*");
            }
            else if (node != null && doc.Text(key) is string text)
            {
                foreach (string pair in text.Split(','))
                {
                    string[] parts = pair.Split('=');
                    if (parts.Length != 2 || parts[0].Trim() != "rank") continue;
                    if (!int.TryParse(parts[1].Trim(), System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out int rank) || rank < 1)
                        throw doc.Invalid(key, node, "key=value pairs whose rank is a whole number of 1 or more");
                    run.Set(nameof(TrainingConfigRun.OptimizerRank), rank, doc, key);
                }
            }
            run.Default(nameof(TrainingConfigRun.OptimizerRank), 128, "transformers Trainer.get_optimizer_cls_and_kwargs: optim_args rank 128 for galore_* and apollo_*");
        }

        /// <summary>
        /// The TrainingArguments keys shared by the HF-Trainer configs (batch, accumulation, checkpointing, optim,
        /// torch_compile, use_liger_kernel), with transformers' defaults for what is absent. Precision is each reader's:
        /// it depends on the dtype the trainer loads the model in.
        /// </summary>
        public static void Read(ConfigDocument doc, RunBuilder run, string batchKey = "per_device_train_batch_size")
        {
            if (doc.Count(batchKey) is int batch) run.Set(nameof(TrainingConfigRun.BatchSize), batch, doc, batchKey);
            run.Default(nameof(TrainingConfigRun.BatchSize), 8, TrainingArgs + ": per_device_train_batch_size");
            if (doc.Count("gradient_accumulation_steps") is int accumulation)
                run.Set(nameof(TrainingConfigRun.GradientAccumulation), accumulation, doc, "gradient_accumulation_steps");
            run.Default(nameof(TrainingConfigRun.GradientAccumulation), 1, TrainingArgs + ": gradient_accumulation_steps");
            if (doc.Bool("gradient_checkpointing") is bool checkpointing)
                run.Set(nameof(TrainingConfigRun.Checkpointing), checkpointing ? Checkpointing.Full : Checkpointing.None, doc, "gradient_checkpointing");
            run.Default(nameof(TrainingConfigRun.Checkpointing), Checkpointing.None, TrainingArgs + ": gradient_checkpointing False");
            Optimizer(doc, run, "optim");
            run.Default(nameof(TrainingConfigRun.Optimizer), OptimizerKind.AdamW, TrainingArgs + ": optim adamw_torch");
            if (doc.Bool("torch_compile") == true) AddTechnique(run, Techniques.Compile, $"{doc.Name}: torch_compile");
            if (doc.Bool("use_liger_kernel") == true) Liger(run, $"{doc.Name}: use_liger_kernel");
            doc.Ignore(Irrelevant);
        }

        /// <summary>Precision from bf16/fp16 (True, False or axolotl's "auto"): 16-bit autocast, or fp32 when neither.</summary>
        public static Precision? AutocastPrecision(ConfigDocument doc, out string key)
        {
            bool bf16 = IsOn(doc, "bf16"), fp16 = IsOn(doc, "fp16");
            key = bf16 ? "bf16" : "fp16";
            return bf16 ? Precision.Bf16Mixed : fp16 ? Precision.Fp16Mixed : (Precision?)null;
        }

        private static bool IsOn(ConfigDocument doc, string key)
        {
            var node = doc.Node(key);
            if (node == null) return false;
            if (node.IsScalar && string.Equals(node.Text, "auto", StringComparison.OrdinalIgnoreCase)) return true;
            return node.AsBool() ?? throw doc.Invalid(key, node, "true, false or auto");
        }

        /// <summary>
        /// attn_implementation as transformers takes it (flash_attention_2/3, sdpa, eager); any other kernel (flex_attention,
        /// xformers, a hub kernel) is refused rather than estimated as one of these.
        /// </summary>
        public static void Attention(ConfigDocument doc, RunBuilder run)
        {
            string? implementation = doc.Text("attn_implementation");
            if (implementation == null) return;
            AttentionKernel? kernel = implementation.StartsWith("flash_attention", StringComparison.OrdinalIgnoreCase) ? AttentionKernel.Flash
                : implementation.Equals("sdpa", StringComparison.OrdinalIgnoreCase) ? AttentionKernel.Sdpa
                : implementation.Equals("eager", StringComparison.OrdinalIgnoreCase) ? AttentionKernel.Eager : (AttentionKernel?)null;
            if (kernel is AttentionKernel k) run.Set(nameof(TrainingConfigRun.Attention), k, doc, "attn_implementation");
            else run.Refuse("attn_implementation", implementation, $"the attention kernel {implementation}");
        }

        /// <summary>Liger's kernels: fused RMSNorm, SwiGLU and RoPE, and the fused linear cross-entropy that never holds the logits.</summary>
        public static void Liger(RunBuilder run, string origin) =>
            AddTechnique(run, Techniques.FusedKernels | Techniques.FusedLinearLoss, origin);

        public static void AddTechnique(RunBuilder run, Techniques technique, string origin)
        {
            var current = run.Value(nameof(TrainingConfigRun.Techniques)) is Techniques t ? t : Techniques.None;
            string? before = run.Origin(nameof(TrainingConfigRun.Techniques));
            run.Derived(nameof(TrainingConfigRun.Techniques), current | technique, before == null ? origin : before + "; " + origin);
        }
    }
}
