using System;

namespace VramPS.Engine.Configs.Readers
{
    /// <summary>
    /// litgpt's finetune YAML (litgpt finetune_lora / finetune_full --config, config_hub/finetune/*), as
    /// litgpt/finetune/lora.py and full.py read it: checkpoint_dir checkpoints/&lt;org&gt;/&lt;name&gt; is the hub id
    /// org/name; precision bf16-true (pure bf16), bf16-mixed, 16-true, 16-mixed, 32-true, defaulting to bf16-mixed for
    /// training (litgpt/utils.py get_default_supported_precision); quantize bnb.nf4/nf4-dq/fp4/fp4-dq/int8-training, which
    /// also swaps in bitsandbytes' PagedAdamW (lora.py); devices &gt; 1 shards with Lightning's FSDPStrategy (FULL_SHARD,
    /// activation checkpointing per Block); train.micro_batch_size and global_batch_size give the accumulation,
    /// global // devices // micro. lora.py's defaults: lora_r 8, lora_query and lora_value True, lora_key,
    /// lora_projection, lora_mlp and lora_head False, micro_batch_size 1, global_batch_size 16.
    /// </summary>
    public sealed class LitgptReader : ConfigReader
    {
        private const string Lora = "litgpt litgpt/finetune/lora.py";

        public override ConfigFormat Format => ConfigFormat.Litgpt;

        public override string Trainer => "litgpt";

        public override int Recognise(ConfigNode root) =>
            CountKeys(root, "checkpoint_dir", "out_dir", "precision", "quantize", "devices", "lora_r", "lora_query", "lora_head", "logger_name")
            + (root["train"]?["micro_batch_size"] != null || root["train"]?["global_batch_size"] != null ? 2 : 0);

        public override void Read(ConfigDocument doc, RunBuilder run, ConfigContext context)
        {
            string checkpoint = doc.Text("checkpoint_dir") ?? throw doc.Invalid("checkpoint_dir", doc.Root, "the model checkpoint folder");
            string? local = context.LocalPath(checkpoint, doc);
            if (local != null && System.IO.File.Exists(System.IO.Path.Combine(local, "config.json")))
                ModelReference.Resolve(checkpoint, doc, "checkpoint_dir", run, context);
            else
                run.Derived(nameof(TrainingConfigRun.Model), HubId(checkpoint), $"{doc.Origin("checkpoint_dir")} (checkpoints/<org>/<name> is the hub id)");
            run.Derived(nameof(TrainingConfigRun.Framework), "litgpt", $"{doc.Name} (a litgpt config)");

            bool lora = doc.Root["lora_r"] != null || doc.Root["lora_query"] != null || doc.Root["lora_alpha"] != null;
            Quantize(doc, run, lora);
            Precision(doc, run);
            int devices = Devices(doc, run);
            int micro = doc.Count("train.micro_batch_size") ?? 1;
            int global = doc.Count("train.global_batch_size") ?? 16;
            run.Derived(nameof(TrainingConfigRun.BatchSize), micro, doc.Has("train.micro_batch_size") ? doc.Origin("train.micro_batch_size") : Lora + ": micro_batch_size 1");
            int accumulation = Math.Max(1, global / devices / micro);
            run.Derived(nameof(TrainingConfigRun.GradientAccumulation), accumulation, $"{doc.Name}: train.global_batch_size {global} // devices {devices} // micro_batch_size {micro}");
            if (doc.Count("train.max_seq_length") is int length) run.Set(nameof(TrainingConfigRun.SequenceLength), length, doc, "train.max_seq_length");
            else run.Missing(nameof(TrainingConfigRun.SequenceLength), $"{doc.Name} sets no train.max_seq_length: batches are as long as their longest sample");
            if (lora) Adapters(doc, run);
            Optimizer(doc, run);

            doc.Ignore("out_dir", "data", "eval", "logger_name", "seed", "access_token", "resume", "lora_alpha", "lora_dropout", "num_nodes",
                "train.save_interval", "train.log_interval", "train.lr_warmup_steps", "train.lr_warmup_fraction", "train.epochs",
                "train.max_tokens", "train.max_steps", "train.tie_embeddings", "train.max_norm", "train.min_lr", "train.learning_rate",
                "train.weight_decay", "train.beta1", "train.beta2", "train.micro_batch_size", "train.global_batch_size");
        }

        private static string HubId(string checkpoint)
        {
            var parts = checkpoint.Replace('\\', '/').TrimEnd('/').Split('/');
            return parts.Length >= 2 ? parts[parts.Length - 2] + "/" + parts[parts.Length - 1] : checkpoint;
        }

        private static void Quantize(ConfigDocument doc, RunBuilder run, bool lora)
        {
            string? quantize = doc.Text("quantize");
            if (quantize == null)
            {
                run.Derived(nameof(TrainingConfigRun.Method), lora ? FinetuneMethod.LoRA : FinetuneMethod.Full, $"{doc.Name}: {(lora ? "lora_* keys (finetune_lora)" : "no lora_* key (finetune_full)")}");
                return;
            }
            Quantization? kind = quantize switch
            {
                "bnb.nf4" => Quantization.NF4, "bnb.nf4-dq" => Quantization.NF4, "bnb.fp4" => Quantization.FP4, "bnb.fp4-dq" => Quantization.FP4,
                "bnb.int8-training" => Quantization.Int8, _ => null,
            };
            if (kind == null || !lora)
            {
                run.Refuse("quantize", quantize, lora ? $"{quantize} quantization" : "a full fine-tune of quantized weights");
                return;
            }
            run.Set(nameof(TrainingConfigRun.Method), FinetuneMethod.QLoRA, doc, "quantize");
            run.Set(nameof(TrainingConfigRun.Quantization), kind.Value, doc, "quantize");
            run.Derived(nameof(TrainingConfigRun.Optimizer), OptimizerKind.PagedAdamW, $"{doc.Origin("quantize")} ({Lora} swaps in bitsandbytes' PagedAdamW)");
        }

        private static void Precision(ConfigDocument doc, RunBuilder run)
        {
            string precision = doc.Text("precision") ?? "bf16-mixed";
            Precision? kind = precision switch
            {
                "bf16-true" => Engine.Precision.Bf16, "bf16-mixed" => Engine.Precision.Bf16Mixed, "16-true" => Engine.Precision.Fp16,
                "16-mixed" => Engine.Precision.Fp16Mixed, "32-true" => Engine.Precision.Fp32, "32" => Engine.Precision.Fp32, _ => null,
            };
            if (kind is Precision p) run.Derived(nameof(TrainingConfigRun.Precision), p, doc.Has("precision") ? doc.Origin("precision") : "litgpt default (litgpt/utils.py get_default_supported_precision: bf16-mixed)");
            else run.Refuse("precision", precision, $"the precision {precision}");
        }

        private static int Devices(ConfigDocument doc, RunBuilder run)
        {
            var node = doc.Node("devices");
            if (node != null && node.IsScalar && node.Text == "auto")
            {
                run.Missing(nameof(TrainingConfigRun.GpuCount), $"{doc.Origin("devices")} is auto: every visible GPU");
                return 1;
            }
            int devices = doc.Count("devices") ?? 1;
            run.Derived(nameof(TrainingConfigRun.GpuCount), devices, doc.Has("devices") ? doc.Origin("devices") : Lora + ": devices 1");
            if (devices > 1)
            {
                run.Derived(nameof(TrainingConfigRun.Sharding), Sharding.Zero3, $"{doc.Origin("devices")} > 1 (Lightning FSDPStrategy, FULL_SHARD)");
                run.Derived(nameof(TrainingConfigRun.Checkpointing), Checkpointing.Full, $"{doc.Origin("devices")} > 1 (FSDPStrategy activation_checkpointing_policy Block)");
            }
            else
            {
                run.Derived(nameof(TrainingConfigRun.Sharding), Sharding.None, $"{doc.Name}: one device (no FSDP)");
                run.Derived(nameof(TrainingConfigRun.Checkpointing), Checkpointing.None, $"{doc.Name}: one device (litgpt checkpoints only under FSDP)");
            }
            return devices;
        }

        /// <summary>litgpt's lora_* flags as the Hugging Face module names of the model (LoraModules).</summary>
        private static void Adapters(ConfigDocument doc, RunBuilder run)
        {
            if (doc.Count("lora_r") is int rank) run.Set(nameof(TrainingConfigRun.LoraRank), rank, doc, "lora_r");
            run.Default(nameof(TrainingConfigRun.LoraRank), 8, Lora + ": lora_r");
            var flags = new LoraModules
            {
                Query = doc.Bool("lora_query") ?? true, Key = doc.Bool("lora_key") ?? false, Value = doc.Bool("lora_value") ?? true,
                Output = doc.Bool("lora_projection") ?? false, Mlp = doc.Bool("lora_mlp") ?? false, Head = doc.Bool("lora_head") ?? false,
            };
            var names = flags.NamesFor(run.Value(nameof(TrainingConfigRun.Model)) as string);
            if (names == null)
                run.Missing(nameof(TrainingConfigRun.LoraTargets), $"{doc.Name}: the lora_* flags ({flags}) name litgpt's modules, and the model is not in the catalog to translate them");
            else
                run.Derived(nameof(TrainingConfigRun.LoraTargets), names, $"{doc.Name}: lora_* flags ({flags}; {Lora} defaults query and value on)");
        }

        private static void Optimizer(ConfigDocument doc, RunBuilder run)
        {
            var node = doc.Node("optimizer");
            if (node == null)
            {
                run.Default(nameof(TrainingConfigRun.Optimizer), OptimizerKind.AdamW, Lora + ": optimizer AdamW");
                return;
            }
            string name = node.IsMap ? doc.Text("optimizer.class_path") ?? "" : node.Text ?? "";
            doc.Ignore("optimizer.init_args");
            string tail = name.Substring(name.LastIndexOf('.') + 1);
            if (tail == "AdamW" || tail == "Adam")
            {
                if (!run.Has(nameof(TrainingConfigRun.Optimizer))) run.Set(nameof(TrainingConfigRun.Optimizer), OptimizerKind.AdamW, doc, "optimizer");
            }
            else if (tail == "SGD") run.Set(nameof(TrainingConfigRun.Optimizer), OptimizerKind.SGD, doc, "optimizer");
            else run.Refuse("optimizer", name, $"the optimizer {name}");
        }
    }
}
