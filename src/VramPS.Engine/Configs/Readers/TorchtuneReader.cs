using System;
using System.Linq;

namespace VramPS.Engine.Configs.Readers
{
    /// <summary>
    /// torchtune's recipe YAML (tune run ... --config). The model's _component_ names the architecture and the method
    /// (TorchtuneModels); nothing is ever instantiated. Keys as the recipes read them (recipes/lora_finetune_single_device.py,
    /// full_finetune_single_device.py and their distributed twins), with the recipes' cfg.get defaults:
    /// enable_activation_checkpointing False, enable_activation_offloading False, compile False, optimizer_in_bwd False,
    /// gradient_accumulation_steps 1. torchtune trains in the dtype given (bf16: weights, gradients, optimizer states and
    /// LoRA weights in bf16). tokenizer.max_seq_len null means no cap: a warning naming -SequenceLength.
    /// </summary>
    public sealed class TorchtuneReader : ConfigReader
    {
        private const string Recipe = "torchtune recipes/lora_finetune_single_device.py";

        /// <summary>torchtune's names of the attention linears LoRA may adapt (lora_attn_modules).</summary>
        private static readonly string[] AttentionModules = { "q_proj", "k_proj", "v_proj", "output_proj" };

        public override ConfigFormat Format => ConfigFormat.Torchtune;

        public override string Trainer => "torchtune";

        public override int Recognise(ConfigNode root) =>
            (root["model"]?["_component_"] != null ? 3 : 0) + (root["tokenizer"]?["_component_"] != null ? 2 : 0)
            + (root["checkpointer"]?["_component_"] != null ? 2 : 0) + CountKeys(root, "enable_activation_checkpointing", "optimizer_in_bwd");

        public override void Read(ConfigDocument doc, RunBuilder run, ConfigContext context)
        {
            if (doc.Has("policy_model")) run.Refuse("policy_model", "{…}", "torchtune's PPO recipe");
            if (doc.Has("teacher_model")) run.Refuse("teacher_model", "{…}", "knowledge distillation (a teacher model beside the student)");
            if (run.Unsupported.Count > 0) return;
            if (!doc.Has("optimizer"))
                throw new Errors.InvalidDataFileException(doc.Path, "is a torchtune config without an optimizer (generation, evaluation or quantization), not a training run.");
            string component = doc.Text("model._component_")
                ?? throw new Errors.InvalidDataFileException(doc.Path, "names no model._component_ (the model builder torchtune trains).");
            var (method, builder, hub) = TorchtuneModels.Parse(component);
            if (hub == null)
            {
                run.Refuse("model._component_", component, builder.Contains("vision") ? ConfigVocabulary.VisionLanguage : $"the torchtune model builder {builder}");
                return;
            }
            run.Derived(nameof(TrainingConfigRun.Model), hub, $"{doc.Origin("model._component_")} ({builder} builds {hub})");
            run.Derived(nameof(TrainingConfigRun.Framework), "torchtune", $"{doc.Name} (a torchtune recipe config)");
            Method(doc, run, method);

            if (doc.Count("batch_size") is int batch) run.Set(nameof(TrainingConfigRun.BatchSize), batch, doc, "batch_size");
            else run.Missing(nameof(TrainingConfigRun.BatchSize), $"{doc.Name} sets no batch_size (the recipe requires one)");
            if (doc.Count("gradient_accumulation_steps") is int accumulation) run.Set(nameof(TrainingConfigRun.GradientAccumulation), accumulation, doc, "gradient_accumulation_steps");
            run.Default(nameof(TrainingConfigRun.GradientAccumulation), 1, Recipe + ": gradient_accumulation_steps");
            if (doc.Count("tokenizer.max_seq_len") is int length) run.Set(nameof(TrainingConfigRun.SequenceLength), length, doc, "tokenizer.max_seq_len");
            else run.Missing(nameof(TrainingConfigRun.SequenceLength), $"{doc.Origin("tokenizer.max_seq_len")} is null: batches are as long as their longest sample");
            if (doc.Bool("dataset.packed") == true && !run.Has(nameof(TrainingConfigRun.SequenceLength)))
                throw new Errors.InvalidDataFileException(doc.Path, "dataset.packed is true but tokenizer.max_seq_len is null; torchtune needs max_seq_len to pack.");

            string dtype = doc.Text("dtype") ?? "bf16";
            var precision = dtype switch { "bf16" => Precision.Bf16, "fp32" => Precision.Fp32, _ => (Precision?)null };
            if (precision is Precision p) run.Derived(nameof(TrainingConfigRun.Precision), p, doc.Has("dtype") ? doc.Origin("dtype") : Recipe + ": dtype bf16");
            else run.Refuse("dtype", dtype, $"training in {dtype}");

            bool checkpointing = doc.Bool("enable_activation_checkpointing") ?? false;
            run.Derived(nameof(TrainingConfigRun.Checkpointing), checkpointing ? Checkpointing.Full : Checkpointing.None,
                doc.Has("enable_activation_checkpointing") ? doc.Origin("enable_activation_checkpointing") : Recipe + ": enable_activation_checkpointing False");
            if (checkpointing && doc.Text("ac_mode") == "selective")
                run.Set(nameof(TrainingConfigRun.Checkpointing), Checkpointing.Selective, doc, "ac_mode");
            doc.Ignore("ac_option");
            if (doc.Bool("enable_activation_offloading") == true) TrainerArguments.AddTechnique(run, Techniques.ActivationOffload, doc.Origin("enable_activation_offloading"));
            if (doc.Bool("compile") == true) TrainerArguments.AddTechnique(run, Techniques.Compile, doc.Origin("compile"));
            if (doc.Bool("optimizer_in_bwd") == true) TrainerArguments.AddTechnique(run, Techniques.OptimizerInBackward, doc.Origin("optimizer_in_bwd"));
            Optimizer(doc, run);
            Loss(doc, run);
            if (doc.Has("fsdp_cpu_offload") || doc.Has("fsdp_sharding_strategy") || doc.Has("data_parallel_shard_dim") || doc.Has("fsdp"))
            {
                run.Derived(nameof(TrainingConfigRun.Sharding), Sharding.Zero3, $"{doc.Name}: a distributed recipe config (torchtune shards with FSDP2 fully_shard)");
                if (doc.Bool("fsdp_cpu_offload") == true) run.Set(nameof(TrainingConfigRun.Offload), Offload.OptimizerAndParameters, doc, "fsdp_cpu_offload");
                if (doc.Bool("fsdp.cpu_offload") == true) run.Set(nameof(TrainingConfigRun.Offload), Offload.OptimizerAndParameters, doc, "fsdp.cpu_offload");
                run.Missing(nameof(TrainingConfigRun.GpuCount), $"{doc.Name}: tune run --nproc_per_node decides the GPU count");
            }

            doc.Ignore("model.lora_alpha", "model.lora_dropout", "tokenizer.*", "checkpointer", "resume_from_checkpoint", "dataset", "seed",
                "shuffle", "epochs", "max_steps_per_epoch", "lr_scheduler", "output_dir", "metric_logger", "log_every_n_steps",
                "log_peak_memory_stats", "log_level", "device", "profiler", "save_adapter_weights_only", "clip_grad_norm", "optimizer.lr",
                "optimizer.weight_decay", "optimizer.betas", "optimizer.eps", "optimizer.fused", "custom_sharded_layers",
                "fsdp_sharding_strategy", "data_parallel_shard_dim", "data_parallel_replicate_dim", "tensor_parallel_dim",
                "tensor_parallel_plan", "run_val_every_n_steps", "dataset_val", "batch_size_val", "low_cpu_ram", "quantizer",
                "cudnn_deterministic_mode", "memory_efficient_fsdp_wrap", "fsdp.*");
        }

        private static void Method(ConfigDocument doc, RunBuilder run, string method)
        {
            switch (method)
            {
                case "full":
                    run.Derived(nameof(TrainingConfigRun.Method), FinetuneMethod.Full, $"{doc.Origin("model._component_")} (a full model builder)");
                    return;
                case "dora":
                case "qdora":
                    run.Refuse("model._component_", doc.Text("model._component_")!, "DoRA");
                    return;
            }
            bool quantized = method == "qlora" || doc.Bool("model.quantize_base") == true;
            run.Derived(nameof(TrainingConfigRun.Method), quantized ? FinetuneMethod.QLoRA : FinetuneMethod.LoRA,
                $"{doc.Origin("model._component_")} ({method}_ builder{(quantized ? ", NF4 base" : "")})");
            if (quantized) run.Derived(nameof(TrainingConfigRun.Quantization), Quantization.NF4, $"{doc.Origin("model._component_")} (torchtune's NF4Tensor base)");
            if (doc.Bool("model.use_dora") == true) run.Refuse("model.use_dora", "true", "DoRA");
            if (doc.Count("model.lora_rank") is int rank) run.Set(nameof(TrainingConfigRun.LoraRank), rank, doc, "model.lora_rank");
            else run.Missing(nameof(TrainingConfigRun.LoraRank), $"{doc.Name} sets no model.lora_rank (the builder requires one)");
            var attention = doc.Names("model.lora_attn_modules") ?? Array.Empty<string>();
            foreach (string module in attention)
            {
                if (Array.IndexOf(AttentionModules, module) < 0)
                    throw doc.Invalid("model.lora_attn_modules", doc.Node("model.lora_attn_modules")!, string.Join(", ", AttentionModules));
            }
            var flags = new LoraModules
            {
                Query = attention.Contains("q_proj"), Key = attention.Contains("k_proj"), Value = attention.Contains("v_proj"),
                Output = attention.Contains("output_proj"), Mlp = doc.Bool("model.apply_lora_to_mlp") == true, Head = doc.Bool("model.apply_lora_to_output") == true,
            };
            var names = flags.NamesFor(run.Value(nameof(TrainingConfigRun.Model)) as string);
            if (names == null || names.Length == 0) throw doc.Invalid("model.lora_attn_modules", doc.Node("model.lora_attn_modules") ?? doc.Root, "at least one module for LoRA");
            run.Derived(nameof(TrainingConfigRun.LoraTargets), names, $"{doc.Origin("model.lora_attn_modules")}, apply_lora_to_mlp, apply_lora_to_output ({flags})");
        }

        private static void Optimizer(ConfigDocument doc, RunBuilder run)
        {
            string? component = doc.Text("optimizer._component_");
            if (component == null) return;
            OptimizerKind? kind = component switch
            {
                "torch.optim.AdamW" => OptimizerKind.AdamW,
                "torch.optim.Adam" => OptimizerKind.AdamW,
                "torch.optim.SGD" => OptimizerKind.SGD,
                "bitsandbytes.optim.PagedAdamW" => OptimizerKind.PagedAdamW,
                "bitsandbytes.optim.PagedAdamW32bit" => OptimizerKind.PagedAdamW,
                "bitsandbytes.optim.PagedAdamW8bit" => OptimizerKind.PagedAdamW8bit,
                "bitsandbytes.optim.AdamW8bit" => OptimizerKind.AdamW8bit,
                "torchao.optim.AdamW8bit" => OptimizerKind.AdamW8bit,
                _ => null,
            };
            if (kind is OptimizerKind k) run.Set(nameof(TrainingConfigRun.Optimizer), k, doc, "optimizer._component_");
            else run.Refuse("optimizer._component_", component, $"the optimizer {component}");
        }

        private static void Loss(ConfigDocument doc, RunBuilder run)
        {
            string? component = doc.Text("loss._component_");
            if (component == null) return;
            string name = component.Substring(component.LastIndexOf('.') + 1);
            if (name == "CEWithChunkedOutputLoss") TrainerArguments.AddTechnique(run, Techniques.ChunkedLoss, doc.Origin("loss._component_"));
            else if (name == "LinearCrossEntropyLoss") TrainerArguments.AddTechnique(run, Techniques.FusedLinearLoss, doc.Origin("loss._component_"));
            else if (name != "CrossEntropyLoss") run.Refuse("loss._component_", component, $"the loss {name}");
            doc.Ignore("loss.*");
        }
    }
}
