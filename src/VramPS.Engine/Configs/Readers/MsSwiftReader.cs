using System;
using VramPS.Engine.Alignment;

namespace VramPS.Engine.Configs.Readers
{
    /// <summary>
    /// ms-swift's argument file (swift sft config.yaml, swift rlhf config.yaml, or the args.json a run writes), as
    /// modelscope/ms-swift 3602360 reads it: swift/arguments/base_args/base_args.py (tuner_type lora, train_type before
    /// v4), tuner_args.py (lora_rank 8, target_modules all-linear, use_dora, use_rslora, lorap_lr_ratio),
    /// base_args/quant_args.py (quant_method bnb with quant_bits 4 or 8, bnb_4bit_quant_type nf4),
    /// base_args/model_args.py (torch_dtype; bf16 follows it), base_args/template_args.py (max_length, padding_free),
    /// trainers/arguments.py (gradient_checkpointing True, per_device_train_batch_size 1, use_liger_kernel), sft_args.py
    /// (deepspeed zero0-3 and zero2_offload / zero3_offload as swift/config/*.json, or a DeepSpeed file) and
    /// rlhf_args.py (rlhf_type). Its Megatron path (megatron sft) is refused.
    /// </summary>
    public sealed class MsSwiftReader : ConfigReader
    {
        private const string Swift = "ms-swift@3602360 swift/";

        public override ConfigFormat Format => ConfigFormat.MsSwift;

        public override string Trainer => "ms-swift";

        /// <summary>
        /// An ms-swift file names its model by a scalar model key (no other format does: torchtune's model is a section),
        /// so it counts the keys it shares with TRL's and the Trainer's only then.
        /// </summary>
        public override int Recognise(ConfigNode root) =>
            root["model"] is ConfigNode model && model.IsScalar
                ? CountKeys(root, "model", "tuner_type", "train_type", "rlhf_type", "quant_method", "quant_bits", "attn_impl", "padding_free",
                    "sequence_parallel_size", "model_author", "model_name", "split_dataset_ratio", "target_modules", "torch_dtype", "max_length",
                    "packing", "per_device_train_batch_size", "output_dir", "num_generations", "max_completion_length", "use_vllm")
                : 0;

        public override void Read(ConfigDocument doc, RunBuilder run, ConfigContext context)
        {
            foreach (string key in new[] { "tensor_model_parallel_size", "pipeline_model_parallel_size", "expert_model_parallel_size", "micro_batch_size", "global_batch_size", "mcore_model" })
            {
                if (doc.Has(key)) run.Refuse(key, doc.Node(key)!.Display, "Megatron-SWIFT (megatron sft), ms-swift's Megatron-Core path");
            }
            string model = doc.Text("model") ?? throw doc.Invalid("model", doc.Root, "the model to train (model)");
            ModelReference.Resolve(model, doc, "model", run, context);
            run.Derived(nameof(TrainingConfigRun.Framework), "ms-swift", $"{doc.Name} (an ms-swift argument file)");

            var stage = Stage(doc, run);
            string typeKey = doc.Has("tuner_type") ? "tuner_type" : "train_type";
            string type = (doc.Text(typeKey) ?? "lora").ToLowerInvariant();
            Method(doc, run, type, typeKey);
            bool full = type == "full";
            if (!full)
            {
                if (doc.Count("lora_rank") is int rank) run.Set(nameof(TrainingConfigRun.LoraRank), rank, doc, "lora_rank");
                run.Default(nameof(TrainingConfigRun.LoraRank), 8, Swift + "arguments/tuner_args.py: lora_rank");
                var targets = doc.Names("target_modules");
                if (targets != null) run.Set(nameof(TrainingConfigRun.LoraTargets), targets, doc, "target_modules");
                else run.Default(nameof(TrainingConfigRun.LoraTargets), new[] { "all-linear" }, Swift + "arguments/tuner_args.py: target_modules ['all-linear']");
                Adapter(doc, run);
            }
            foreach (string key in new[] { "freeze_parameters", "trainable_parameters" })
            {
                if (doc.Names(key) is string[] names && names.Length > 0) run.Refuse(key, string.Join(",", names), "a partly frozen full fine-tune by parameter name");
            }
            if (doc.Node("freeze_parameters_ratio") is ConfigNode ratio && ratio.AsDouble() is double r && r > 0)
                run.Refuse("freeze_parameters_ratio", ratio.Display, "a partly frozen full fine-tune by ratio");

            Lengths(doc, run, stage);
            Precision(doc, run, full);
            Attention(doc, run);
            if (!doc.Has("gradient_checkpointing"))
                run.Default(nameof(TrainingConfigRun.Checkpointing), Checkpointing.Full, Swift + "trainers/arguments.py: gradient_checkpointing True");
            if (!doc.Has("per_device_train_batch_size"))
                run.Default(nameof(TrainingConfigRun.BatchSize), 1, Swift + "trainers/arguments.py: per_device_train_batch_size 1");
            if (doc.Text("optimizer") is string plugin) run.Refuse("optimizer", plugin, $"ms-swift's optimizer plugin {plugin}");
            TrainerArguments.Read(doc, run);
            if (doc.Count("sequence_parallel_size") is int sp && sp > 1)
            {
                run.Set(nameof(TrainingConfigRun.ContextParallel), sp, doc, "sequence_parallel_size");
                run.Warn($"{doc.Origin("sequence_parallel_size")}: ms-swift's Ulysses or ring attention splits each sequence over {sp} ranks; estimated as -ContextParallel {sp}.");
            }
            DeepSpeed(doc, run, context);
            if (doc.Has("fsdp")) run.Refuse("fsdp", doc.Node("fsdp")!.Display, "FSDP set in the argument file (give -Sharding with the FSDP config instead)");
            if (run.Value(nameof(TrainingConfigRun.Sharding)) is Sharding s && s != Sharding.None)
                run.Missing(nameof(TrainingConfigRun.GpuCount), $"{doc.Name} shards over every GPU NPROC_PER_NODE starts");

            Refusals(doc, run);
            doc.Ignore("model", "model_type", "model_revision", "task_type", "template", "system", "dataset", "val_dataset", "split_dataset_ratio",
                "dataset_num_proc", "dataset_shuffle", "streaming", "lazy_tokenize", "cached_dataset", "load_from_cache_file", "columns",
                "model_author", "model_name", "loss_scale", "truncation_strategy", "max_pixels", "agent_template", "response_prefix",
                "lora_alpha", "lora_dropout", "lora_bias", "lora_dtype", "use_rslora", "use_dora", "lorap_lr_ratio", "init_weights",
                "modules_to_save", "freeze_llm", "freeze_vit", "freeze_aligner", "freeze_parameters", "trainable_parameters",
                "freeze_parameters_ratio", "bnb_4bit_compute_dtype", "bnb_4bit_quant_type", "bnb_4bit_use_double_quant", "bnb_4bit_quant_storage",
                "quant_method", "quant_bits", "hqq_axis", "torch_dtype", "attn_impl", "max_length", "packing", "padding_free", "padding_side",
                "add_version", "create_checkpoint_symlink", "check_model", "use_hf", "hub_token", "ignore_args_error", "use_swift_lora",
                "rlhf_type", "tuner_type", "train_type", "beta", "rpo_alpha", "ld_alpha", "loss_type", "label_smoothing", "simpo_gamma",
                "cpo_alpha", "desirable_weight", "undesirable_weight", "ref_model", "ref_model_type", "ref_model_revision", "reward_model",
                "reward_model_type", "reward_funcs", "reward_weights", "num_generations", "max_completion_length", "response_length",
                "temperature", "top_p", "top_k", "repetition_penalty", "use_vllm", "vllm_*", "num_ppo_epochs", "whiten_rewards", "kl_coef",
                "cliprange", "vf_coef", "cliprange_value", "gamma", "lam", "local_rollout_forward_batch_size", "missing_eos_penalty",
                "epsilon", "epsilon_high", "sleep_level", "offload_model", "offload_optimizer", "move_model_batches", "beta_*",
                "sequence_parallel_size", "deepspeed", "zero_hpz_partition_size", "use_logits_to_keep", "acc_strategy", "predict_with_generate",
                "max_new_tokens", "metric", "save_only_model", "output_dir", "logging_dir", "swanlab_*", "use_chat_template", "enable_thinking",
                "custom_register_path", "external_plugins", "local_repo_path", "device_map", "max_memory", "init_strategy", "rope_scaling",
                "router_aux_loss_coef", "enable_dft_loss", "enable_channel_loss", "vit_gradient_checkpointing", "vit_lr", "aligner_lr",
                "check_model", "new_special_tokens", "num_labels", "problem_type", "lr_scheduler_kwargs");
        }

        /// <summary>
        /// Keys that move memory in ways an imported run cannot carry: each is refused, naming what it selects, rather
        /// than read as its default.
        /// </summary>
        private static void Refusals(ConfigDocument doc, RunBuilder run)
        {
            if (doc.Bool("use_vllm") == true)
                run.Refuse("use_vllm", "true", "a vLLM rollout engine from the argument file (estimate it with Get-TrainingMemory's -VllmMode, -RolloutMemoryFraction and -RolloutSleep)");
            if (doc.Names("modules_to_save") is string[] saved && saved.Length > 0)
                run.Refuse("modules_to_save", string.Join(",", saved), "fully trained modules beside LoRA");
            if (doc.Bool("freeze_llm") == true) run.Refuse("freeze_llm", "true", "a frozen language model (only the vision tower or aligner trains)");
            if (doc.Text("lora_dtype") is string dtype) run.Refuse("lora_dtype", dtype, "adapters in a dtype of their own");
            if (doc.Bool("offload_model") == true) run.Refuse("offload_model", "true", "the model offloaded to the CPU between rollout phases");
            if (doc.Bool("offload_optimizer") == true) run.Refuse("offload_optimizer", "true", "the optimizer offloaded to the CPU between rollout phases");
        }

        private static TrainingStage Stage(ConfigDocument doc, RunBuilder run)
        {
            string? type = doc.Text("rlhf_type");
            if (type == null)
            {
                run.Derived(nameof(TrainingConfigRun.Stage), TrainingStage.Sft, $"{doc.Name}: no rlhf_type (swift sft)");
                return TrainingStage.Sft;
            }
            string loss = doc.Text("loss_type") ?? "sigmoid";
            TrainingStage? stage = type.ToLowerInvariant() switch
            {
                "dpo" => TrainingStage.Dpo,
                "orpo" => TrainingStage.Orpo,
                // rlhf_args.py _init_simpo: simpo runs the CPO trainer with loss_type simpo; cpo with loss_type simpo is the same.
                "simpo" => TrainingStage.SimPo,
                "cpo" when loss == "simpo" => TrainingStage.SimPo,
                "kto" => TrainingStage.Kto,
                "ppo" => TrainingStage.Ppo,
                "grpo" => TrainingStage.Grpo,
                "rm" => TrainingStage.RewardModel,
                _ => null,
            };
            if (stage is TrainingStage s)
            {
                run.Derived(nameof(TrainingConfigRun.Stage), s, doc.Origin("rlhf_type"));
                if (s == TrainingStage.Grpo && doc.Count("num_generations") is int n) run.Set(nameof(TrainingConfigRun.NumGenerations), n, doc, "num_generations");
                if (s == TrainingStage.Ppo || (s == TrainingStage.Grpo && doc.Has("reward_model")))
                    run.Missing("RewardModel", $"{doc.Name} names its reward model by ModelScope id or path; give -RewardModel with its Hugging Face id");
                return s;
            }
            run.Refuse("rlhf_type", type, $"ms-swift's {type} trainer");
            return TrainingStage.Sft;
        }

        private static void Method(ConfigDocument doc, RunBuilder run, string type, string key)
        {
            long? bits = doc.Node("quant_bits")?.AsLong();
            string? method = doc.Text("quant_method");
            if (method != null && !method.Equals("bnb", StringComparison.OrdinalIgnoreCase)) run.Refuse("quant_method", method, $"{method} quantization");
            string origin = doc.Has(key) ? doc.Origin(key) : Swift + "arguments/base_args/base_args.py: tuner_type lora";
            switch (type)
            {
                case "lora":
                case "adalora":
                case "vera":
                case "boft":
                    bool quantized = bits != null;
                    run.Derived(nameof(TrainingConfigRun.Method), quantized ? FinetuneMethod.QLoRA : FinetuneMethod.LoRA, origin + (quantized ? " with quant_bits" : ""));
                    if (type == "adalora") run.Derived(nameof(TrainingConfigRun.Adapter), AdapterKind.AdaLoRA, origin);
                    if (type == "vera") run.Derived(nameof(TrainingConfigRun.Adapter), AdapterKind.VeRA, origin);
                    if (type == "boft") run.Derived(nameof(TrainingConfigRun.Adapter), AdapterKind.BOFT, origin);
                    if (bits == 4) run.Set(nameof(TrainingConfigRun.Quantization), doc.Text("bnb_4bit_quant_type") == "fp4" ? Quantization.FP4 : Quantization.NF4, doc, "quant_bits");
                    else if (bits == 8) run.Set(nameof(TrainingConfigRun.Quantization), Quantization.Int8, doc, "quant_bits");
                    else if (bits != null) run.Refuse("quant_bits", bits.Value.ToString(), $"{bits}-bit quantization");
                    break;
                case "full":
                    if (bits != null) run.Refuse("quant_bits", bits.Value.ToString(), "a full fine-tune of quantized weights");
                    run.Derived(nameof(TrainingConfigRun.Method), FinetuneMethod.Full, origin);
                    break;
                default:
                    run.Refuse(key, type, $"ms-swift's {type} tuner");
                    break;
            }
        }

        /// <summary>The LoRA variants tuner_args.py switches on (use_dora, use_rslora, lorap_lr_ratio; DoRA first, as its forward holds the most).</summary>
        private static void Adapter(ConfigDocument doc, RunBuilder run)
        {
            if (doc.Bool("use_dora") == true) run.Set(nameof(TrainingConfigRun.Adapter), AdapterKind.DoRA, doc, "use_dora");
            else if (doc.Bool("use_rslora") == true) run.Set(nameof(TrainingConfigRun.Adapter), AdapterKind.RsLoRA, doc, "use_rslora");
            else if (doc.Node("lorap_lr_ratio") is ConfigNode n && n.AsDouble() != null) run.Set(nameof(TrainingConfigRun.Adapter), AdapterKind.LoRAPlus, doc, "lorap_lr_ratio");
        }

        /// <summary>
        /// max_length is a cap: unpacked batches are padded to their longest sample, padding_free concatenates the real
        /// tokens, packing fills each row to max_length. Without it ms-swift truncates at the model's context length.
        /// </summary>
        private static void Lengths(ConfigDocument doc, RunBuilder run, TrainingStage stage)
        {
            if (stage == TrainingStage.Grpo)
            {
                if (doc.Count("max_completion_length") is int completion) run.Set(nameof(TrainingConfigRun.GenerationLength), completion, doc, "max_completion_length");
            }
            else if (stage == TrainingStage.Ppo)
            {
                if (doc.Count("response_length") is int response) run.Set(nameof(TrainingConfigRun.GenerationLength), response, doc, "response_length");
            }
            if (doc.Count("max_length") is int length)
            {
                if (stage == TrainingStage.Ppo || stage == TrainingStage.Grpo) run.Set(nameof(TrainingConfigRun.PromptLength), length, doc, "max_length");
                else run.Set(nameof(TrainingConfigRun.SequenceLength), length, doc, "max_length");
            }
            else if (stage != TrainingStage.Ppo && stage != TrainingStage.Grpo)
            {
                run.Missing(nameof(TrainingConfigRun.SequenceLength), $"{doc.Name} sets no max_length: ms-swift truncates at the model's context length ({Swift}arguments/base_args/template_args.py max_length None)");
            }
            if (doc.Bool("packing") == true) return;
            string bound = doc.Bool("padding_free") == true
                ? "padding_free concatenates each batch's real tokens, fewer than BatchSize x SequenceLength"
                : "each batch is padded to its longest sample";
            if (run.Has(nameof(TrainingConfigRun.SequenceLength)))
                run.Warn($"{doc.Name}: without packing {bound}; VramPS estimates BatchSize x SequenceLength {run.Value(nameof(TrainingConfigRun.SequenceLength))}, the most a batch can hold.");
        }

        /// <summary>
        /// torch_dtype loads the model and sets bf16 or fp16 (model_args.py). LoRA: a 16-bit base with fp32 adapters.
        /// Full: the loaded 16-bit dtype unless DeepSpeed keeps fp32 master partitions (swift/config/zero*.json bf16 auto).
        /// </summary>
        private static void Precision(ConfigDocument doc, RunBuilder run, bool full)
        {
            string? dtype = doc.Text("torch_dtype");
            if (dtype == null)
            {
                run.Missing(nameof(TrainingConfigRun.Precision), $"{doc.Name} sets no torch_dtype: ms-swift loads the dtype of the model's config.json");
                return;
            }
            bool deepspeed = doc.Has("deepspeed");
            Precision? precision = dtype.ToLowerInvariant() switch
            {
                "bfloat16" or "bf16" => full ? (deepspeed ? Engine.Precision.Bf16Mixed : Engine.Precision.Bf16) : Engine.Precision.Bf16,
                "float16" or "fp16" => full ? (deepspeed ? Engine.Precision.Fp16Mixed : (Precision?)null) : Engine.Precision.Fp16,
                "float32" or "fp32" => Engine.Precision.Fp32,
                _ => throw doc.Invalid("torch_dtype", doc.Node("torch_dtype")!, "bfloat16, float16 or float32"),
            };
            if (precision is Precision p)
                run.Derived(nameof(TrainingConfigRun.Precision), p, doc.Origin("torch_dtype") + (full && deepspeed && p != Engine.Precision.Fp32 ? " under DeepSpeed (fp32 master partitions)" : full ? " (the loaded dtype trains)" : p != Engine.Precision.Fp32 ? " (16-bit base, fp32 adapters)" : ""));
            else
                run.Refuse("torch_dtype", dtype, "a full fine-tune of a float16 model without DeepSpeed (the Trainer cannot unscale fp16 gradients)");
        }

        private static void Attention(ConfigDocument doc, RunBuilder run)
        {
            string? impl = doc.Text("attn_impl");
            if (impl == null) return;
            AttentionKernel? kernel = impl.StartsWith("flash_attn", StringComparison.OrdinalIgnoreCase) || impl.StartsWith("flash_attention", StringComparison.OrdinalIgnoreCase) ? AttentionKernel.Flash
                : impl.Equals("sdpa", StringComparison.OrdinalIgnoreCase) ? AttentionKernel.Sdpa
                : impl.Equals("eager", StringComparison.OrdinalIgnoreCase) ? AttentionKernel.Eager : (AttentionKernel?)null;
            if (kernel is AttentionKernel k) run.Set(nameof(TrainingConfigRun.Attention), k, doc, "attn_impl");
            else run.Refuse("attn_impl", impl, $"the attention kernel {impl}");
        }

        /// <summary>deepspeed: one of swift/config's names (sft_args.py _init_deepspeed), else a DeepSpeed file or mapping.</summary>
        private static void DeepSpeed(ConfigDocument doc, RunBuilder run, ConfigContext context)
        {
            string? name = doc.Node("deepspeed") is ConfigNode n && n.IsScalar ? n.Text : null;
            (Sharding, Offload)? shipped = name switch
            {
                "zero0" => (Sharding.None, Offload.None),
                "zero1" => (Sharding.Zero1, Offload.None),
                "zero2" => (Sharding.Zero2, Offload.None),
                "zero3" => (Sharding.Zero3, Offload.None),
                "zero2_offload" => (Sharding.Zero2, Offload.Optimizer),
                "zero3_offload" => (Sharding.Zero3, Offload.OptimizerAndParameters),
                _ => null,
            };
            if (shipped is (Sharding sharding, Offload offload))
            {
                string origin = $"{doc.Origin("deepspeed")} ({Swift}config/{name}.json)";
                run.Derived(nameof(TrainingConfigRun.Sharding), sharding, origin);
                run.Derived(nameof(TrainingConfigRun.Offload), offload, origin);
            }
            else context.ReadDeepSpeed(doc, "deepspeed", run);
        }
    }
}
