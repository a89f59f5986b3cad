using System;
using VramPS.Engine.Alignment;

namespace VramPS.Engine.Configs.Readers
{
    /// <summary>
    /// TRL's CLI config (trl sft/dpo/grpo --config x.yaml: ScriptArguments, ModelConfig and the trainer's config in one
    /// mapping) and a plain Hugging Face TrainingArguments JSON. TRL's configs turn gradient checkpointing and bf16 on
    /// (trl/trainer/sft_config.py, dpo_config.py, grpo_config.py); SFTConfig's max_length is 1024 and DPOConfig's 1024;
    /// ModelConfig (trl/trainer/model_config.py) has use_peft False, lora_r 16, load_in_4bit/8bit False,
    /// bnb_4bit_quant_type nf4. The stage is the subcommand's, which the file does not name: GRPO's and DPO's own keys
    /// tell, otherwise SFT with a warning naming -Stage.
    /// </summary>
    public sealed class TrlReader : ConfigReader
    {
        private const string SftConfig = "trl trl/trainer/sft_config.py";
        private const string ModelConfig = "trl trl/trainer/model_config.py";

        public override ConfigFormat Format => ConfigFormat.Trl;

        public override string Trainer => "TRL";

        public override int Recognise(ConfigNode root) =>
            CountKeys(root, "use_peft", "lora_r", "lora_target_modules", "max_length", "max_seq_length", "dataset_name", "num_generations",
                "max_prompt_length", "max_completion_length", "dataset_text_field", "packing", "output_dir", "per_device_train_batch_size",
                "torch_dtype", "dtype", "use_vllm");

        public override void Read(ConfigDocument doc, RunBuilder run, ConfigContext context)
        {
            string? model = doc.Text("model_name_or_path");
            if (model != null) ModelReference.Resolve(model, doc, "model_name_or_path", run, context);
            else run.Missing(nameof(TrainingConfigRun.Model), $"{doc.Name} names no model (model_name_or_path)");
            bool arguments = doc.Path.EndsWith(".json", StringComparison.OrdinalIgnoreCase);
            run.Derived(nameof(TrainingConfigRun.Framework), "HF-Trainer", arguments ? $"{doc.Name} (Hugging Face TrainingArguments)" : $"{doc.Name} (the Hugging Face Trainer under TRL)");

            var stage = arguments ? TrainingStage.Sft : Stage(doc, run);
            bool peft = doc.Bool("use_peft") == true;
            bool four = doc.Bool("load_in_4bit") == true, eight = doc.Bool("load_in_8bit") == true;
            if (peft)
            {
                bool quantized = four || eight || run.Has(nameof(TrainingConfigRun.Quantization));
                run.Set(nameof(TrainingConfigRun.Method), quantized ? FinetuneMethod.QLoRA : FinetuneMethod.LoRA, doc, "use_peft");
                if (four) run.Set(nameof(TrainingConfigRun.Quantization), doc.Text("bnb_4bit_quant_type") == "fp4" ? Quantization.FP4 : Quantization.NF4, doc, "load_in_4bit");
                else if (eight) run.Set(nameof(TrainingConfigRun.Quantization), Quantization.Int8, doc, "load_in_8bit");
                if (doc.Count("lora_r") is int rank) run.Set(nameof(TrainingConfigRun.LoraRank), rank, doc, "lora_r");
                run.Default(nameof(TrainingConfigRun.LoraRank), 16, ModelConfig + ": lora_r");
                var targets = doc.Names("lora_target_modules");
                if (targets != null) run.Set(nameof(TrainingConfigRun.LoraTargets), targets, doc, "lora_target_modules");
                if (doc.Bool("use_dora") == true) run.Refuse("use_dora", "true", "DoRA");
                if (doc.Names("lora_modules_to_save") is string[] saved && saved.Length > 0) run.Refuse("lora_modules_to_save", string.Join(",", saved), "fully trained modules beside LoRA");
            }
            else
            {
                if (four || eight) run.Refuse(four ? "load_in_4bit" : "load_in_8bit", "true", "a full fine-tune of quantized weights");
                run.Derived(nameof(TrainingConfigRun.Method), FinetuneMethod.Full, $"{doc.Name}: use_peft not set ({ModelConfig}: use_peft False)");
            }
            if (arguments) run.Missing(nameof(TrainingConfigRun.SequenceLength), $"{doc.Name}: TrainingArguments do not fix the sequence length");
            else Lengths(doc, run, stage);
            Precision(doc, run, peft, arguments);
            TrainerArguments.Attention(doc, run);
            if (doc.Bool("activation_offloading") == true) TrainerArguments.AddTechnique(run, Techniques.ActivationOffload, doc.Origin("activation_offloading"));
            if (!arguments && !doc.Has("gradient_checkpointing")) run.Default(nameof(TrainingConfigRun.Checkpointing), Checkpointing.Full, SftConfig + ": gradient_checkpointing True");
            TrainerArguments.Read(doc, run);
            context.ReadDeepSpeed(doc, "deepspeed", run);
            if (doc.Names("fsdp") is string[] fsdp && fsdp.Length > 0)
                run.Refuse("fsdp", string.Join(" ", fsdp), "FSDP set in the TrainingArguments (give -Sharding with the accelerate config instead)");

            doc.Ignore("dataset_name", "dataset_config", "dataset_train_split", "dataset_test_split", "dataset_text_field", "dataset_kwargs",
                "dataset_num_proc", "dataset_streaming", "gradient_checkpointing_use_reentrant", "ignore_bias_buffers", "model_revision",
                "trust_remote_code", "lora_alpha", "lora_dropout", "lora_task_type", "use_rslora", "bnb_4bit_quant_type", "use_bnb_nested_quant",
                "torch_dtype", "dtype", "beta", "loss_type", "learning_rate", "temperature", "completion_only_loss", "assistant_only_loss",
                "eos_token", "pad_token", "chat_template_path", "padding_free", "model_init_kwargs", "reward_funcs", "reward_weights",
                "use_vllm", "vllm_mode", "vllm_gpu_memory_utilization", "epsilon", "epsilon_high", "scale_rewards", "mask_truncated_completions",
                "num_iterations", "shuffle_dataset", "generation_batch_size", "steps_per_generation", "top_p", "top_k", "repetition_penalty",
                "sync_ref_model", "ref_model_sync_steps", "precompute_ref_log_probs", "rpo_alpha", "label_smoothing", "truncation_mode",
                "padding_value", "generate_during_eval", "reference_free", "log_completions", "wandb_log_unique_prompts", "packing_strategy",
                "eval_packing", "use_liger_loss", "bf16", "fp16", "max_length", "max_seq_length", "max_prompt_length", "max_completion_length",
                "num_generations", "packing");
        }

        private static TrainingStage Stage(ConfigDocument doc, RunBuilder run)
        {
            foreach (var (key, stage) in new[] { ("num_generations", TrainingStage.Grpo), ("max_completion_length", TrainingStage.Grpo),
                         ("reward_funcs", TrainingStage.Grpo), ("max_prompt_length", TrainingStage.Dpo), ("beta", TrainingStage.Dpo) })
            {
                if (doc.Root[key] != null)
                {
                    run.Derived(nameof(TrainingConfigRun.Stage), stage, $"{doc.Origin(key)} (a key only trl {stage.ToString().ToLowerInvariant()} reads)");
                    if (stage == TrainingStage.Grpo && doc.Count("num_generations") is int n) run.Set(nameof(TrainingConfigRun.NumGenerations), n, doc, "num_generations");
                    return stage;
                }
            }
            run.Warn($"{doc.Name}: estimated as trl sft (the file does not say which trl subcommand runs it); give -Stage Dpo, Grpo, ... for another.");
            run.Derived(nameof(TrainingConfigRun.Stage), TrainingStage.Sft, $"{doc.Name}: no DPO or GRPO key (trl sft)");
            return TrainingStage.Sft;
        }

        private static void Lengths(ConfigDocument doc, RunBuilder run, TrainingStage stage)
        {
            string key = doc.Root["max_length"] != null ? "max_length" : "max_seq_length";
            if (doc.Count(key) is int length) run.Set(nameof(TrainingConfigRun.SequenceLength), length, doc, key);
            else if (stage == TrainingStage.Sft) run.Default(nameof(TrainingConfigRun.SequenceLength), 1024, SftConfig + ": max_length");
            if (stage == TrainingStage.Grpo)
            {
                if (doc.Count("max_prompt_length") is int prompt) run.Set(nameof(TrainingConfigRun.PromptLength), prompt, doc, "max_prompt_length");
                if (doc.Count("max_completion_length") is int completion) run.Set(nameof(TrainingConfigRun.GenerationLength), completion, doc, "max_completion_length");
            }
            if (stage == TrainingStage.Sft && doc.Bool("packing") != true)
                run.Warn($"{doc.Name}: without packing each batch is padded to its longest sample, at most SequenceLength {run.Value(nameof(TrainingConfigRun.SequenceLength))}; VramPS estimates the longest.");
        }

        /// <summary>bf16/fp16; TRL's configs default bf16 to True unless fp16, TrainingArguments to False (fp32).</summary>
        private static void Precision(ConfigDocument doc, RunBuilder run, bool peft, bool arguments)
        {
            bool fp16 = doc.Bool("fp16") == true;
            bool bf16 = doc.Bool("bf16") ?? (!fp16 && !arguments);
            string origin = doc.Has("bf16") || fp16 ? doc.Origin(fp16 ? "fp16" : "bf16")
                : arguments ? "transformers default (src/transformers/training_args.py: bf16 and fp16 False)" : $"TRL default ({SftConfig}: bf16 True unless fp16)";
            var precision = !bf16 && !fp16 ? Engine.Precision.Fp32
                : peft ? (fp16 ? Engine.Precision.Fp16 : Engine.Precision.Bf16)
                : (fp16 ? Engine.Precision.Fp16Mixed : Engine.Precision.Bf16Mixed);
            run.Derived(nameof(TrainingConfigRun.Precision), precision, origin + (peft && precision != Engine.Precision.Fp32 ? " (16-bit base, fp32 adapters)" : ""));
        }
    }
}
