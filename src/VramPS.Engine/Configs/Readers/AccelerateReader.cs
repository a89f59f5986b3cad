using System;

namespace VramPS.Engine.Configs.Readers
{
    /// <summary>
    /// An accelerate config YAML (accelerate launch --config_file), as src/accelerate/commands/config/config_args.py
    /// reads it: distributed_type (NO, MULTI_GPU, DEEPSPEED, FSDP), num_processes (all GPUs of all machines),
    /// num_machines, mixed_precision (no, fp16, bf16), fsdp_config (fsdp_sharding_strategy, fsdp_offload_params,
    /// fsdp_activation_checkpointing) and deepspeed_config (zero_stage, offload_*_device, gradient_accumulation_steps,
    /// or deepspeed_config_file). It launches a script, so it names no model and no batch: warnings name them.
    /// </summary>
    public sealed class AccelerateReader : ConfigReader
    {
        public override ConfigFormat Format => ConfigFormat.Accelerate;

        public override string Trainer => "accelerate";

        public override int Recognise(ConfigNode root) =>
            CountKeys(root, "compute_environment", "distributed_type", "mixed_precision", "num_processes", "num_machines", "machine_rank",
                "main_training_function", "use_cpu", "rdzv_backend", "same_network") * 2;

        public override void Read(ConfigDocument doc, RunBuilder run, ConfigContext context)
        {
            run.Missing(nameof(TrainingConfigRun.Model), $"{doc.Name} (an accelerate config) names no model");
            run.Missing(nameof(TrainingConfigRun.BatchSize), $"{doc.Name} (an accelerate config) leaves the batch to the training script");
            run.Derived(nameof(TrainingConfigRun.Framework), "HF-Trainer", $"{doc.Name} (accelerate launches the Hugging Face Trainer or a script)");
            string type = (doc.Text("distributed_type") ?? "NO").ToUpperInvariant();
            int processes = doc.Count("num_processes") ?? 1;
            run.Derived(nameof(TrainingConfigRun.GpuCount), processes, doc.Has("num_processes") ? doc.Origin("num_processes") : "accelerate default (num_processes 1)");
            if (doc.Count("num_machines") is int machines && machines > 1)
                run.Derived(nameof(TrainingConfigRun.GpuCount), processes, $"{doc.Origin("num_processes")} over num_machines {machines}");

            string? mixed = doc.Text("mixed_precision");
            if (mixed != null)
            {
                Precision? precision = mixed.ToLowerInvariant() switch { "no" => Engine.Precision.Fp32, "bf16" => Engine.Precision.Bf16Mixed, "fp16" => Engine.Precision.Fp16Mixed, _ => null };
                if (precision is Precision p) run.Set(nameof(TrainingConfigRun.Precision), p, doc, "mixed_precision");
                else run.Refuse("mixed_precision", mixed, $"{mixed} mixed precision");
            }
            switch (type)
            {
                case "NO":
                case "MULTI_GPU":
                    run.Derived(nameof(TrainingConfigRun.Sharding), Engine.Sharding.None, $"{doc.Origin("distributed_type")} {type} (no sharding)");
                    break;
                case "FSDP":
                    Fsdp(doc, run);
                    break;
                case "DEEPSPEED":
                    DeepSpeed(doc, run, context);
                    break;
                default:
                    run.Refuse("distributed_type", type, $"the {type} backend");
                    break;
            }
            doc.Ignore("compute_environment", "machine_rank", "main_training_function", "main_process_ip", "main_process_port", "rdzv_backend",
                "same_network", "tpu_*", "use_cpu", "debug", "enable_cpu_affinity", "downcast_bf16", "gpu_ids", "dynamo_config", "megatron_lm_config",
                "ipex_config", "mpirun_config", "num_machines");
        }

        /// <summary>An FSDP sharding strategy by name or number (torch.distributed.fsdp.ShardingStrategy) as the ZeRO stage it matches; null for a hybrid one.</summary>
        internal static Sharding? ShardingOf(string strategy)
        {
            switch (strategy.Trim().ToUpperInvariant())
            {
                case "1":
                case "FULL_SHARD":
                    return Engine.Sharding.Zero3;
                case "2":
                case "SHARD_GRAD_OP":
                    return Engine.Sharding.Zero2;
                case "3":
                case "NO_SHARD":
                    return Engine.Sharding.None;
                default:
                    return null;
            }
        }

        private static void Fsdp(ConfigDocument doc, RunBuilder run)
        {
            string strategy = doc.Text("fsdp_config.fsdp_sharding_strategy") ?? (doc.Bool("fsdp_config.fsdp_reshard_after_forward") == false ? "SHARD_GRAD_OP" : "FULL_SHARD");
            var sharding = ShardingOf(strategy);
            if (sharding == null) run.Refuse("fsdp_config.fsdp_sharding_strategy", strategy, $"the FSDP sharding strategy {strategy}");
            else run.Derived(nameof(TrainingConfigRun.Sharding), sharding.Value, $"{doc.Origin("fsdp_config.fsdp_sharding_strategy")} {strategy} (FSDP, sharded as ZeRO-{(int)sharding.Value})");
            if (doc.Bool("fsdp_config.fsdp_offload_params") == true)
                run.Set(nameof(TrainingConfigRun.Offload), Offload.OptimizerAndParameters, doc, "fsdp_config.fsdp_offload_params");
            if (doc.Bool("fsdp_config.fsdp_activation_checkpointing") is bool checkpointing)
                run.Set(nameof(TrainingConfigRun.Checkpointing), checkpointing ? Checkpointing.Full : Checkpointing.None, doc, "fsdp_config.fsdp_activation_checkpointing");
            doc.Ignore("fsdp_config.*");
        }

        private static void DeepSpeed(ConfigDocument doc, RunBuilder run, ConfigContext context)
        {
            if (doc.Has("deepspeed_config.deepspeed_config_file"))
            {
                context.ReadDeepSpeed(doc, "deepspeed_config.deepspeed_config_file", run);
                doc.Ignore("deepspeed_config.*");
                return;
            }
            var stage = doc.Node("deepspeed_config.zero_stage")?.AsLong();
            if (stage == null || stage < 0 || stage > 3) throw doc.Invalid("deepspeed_config.zero_stage", doc.Node("deepspeed_config.zero_stage") ?? doc.Root, "0, 1, 2 or 3");
            run.Set(nameof(TrainingConfigRun.Sharding), (Engine.Sharding)stage.Value, doc, "deepspeed_config.zero_stage");
            bool optimizer = Device(doc.Text("deepspeed_config.offload_optimizer_device")), parameters = Device(doc.Text("deepspeed_config.offload_param_device"));
            if (optimizer || parameters)
                run.Set(nameof(TrainingConfigRun.Offload), parameters ? Offload.OptimizerAndParameters : Offload.Optimizer, doc,
                    parameters ? "deepspeed_config.offload_param_device" : "deepspeed_config.offload_optimizer_device");
            if (doc.Count("deepspeed_config.gradient_accumulation_steps") is int accumulation)
                run.Set(nameof(TrainingConfigRun.GradientAccumulation), accumulation, doc, "deepspeed_config.gradient_accumulation_steps");
            doc.Ignore("deepspeed_config.*");
        }

        private static bool Device(string? device) => device != null && !device.Equals("none", StringComparison.OrdinalIgnoreCase);
    }
}
