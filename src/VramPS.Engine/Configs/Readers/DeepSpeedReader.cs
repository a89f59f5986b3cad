using System;

namespace VramPS.Engine.Configs.Readers
{
    /// <summary>
    /// A DeepSpeed config JSON, on its own or named by another config (the HF Trainer's, axolotl's or
    /// LLaMA-Factory's deepspeed key, accelerate's deepspeed_config_file). Keys as deepspeed/runtime/config.py and
    /// deepspeed/runtime/zero/config.py read them: zero_optimization.stage (0 when absent), offload_optimizer and
    /// offload_param (device cpu or nvme), bf16.enabled / fp16.enabled, train_micro_batch_size_per_gpu,
    /// gradient_accumulation_steps, train_batch_size (= micro x accumulation x GPUs, so it fixes the GPU count).
    /// "auto" is the HF integration's (transformers integrations/deepspeed.py): the referencing config's value; in a
    /// file read on its own it is a warning naming the parameter to give.
    /// </summary>
    public sealed class DeepSpeedReader : ConfigReader
    {
        private const string ZeroConfig = "deepspeed/runtime/zero/config.py";

        public override ConfigFormat Format => ConfigFormat.DeepSpeed;

        public override string Trainer => "DeepSpeed";

        public override int Recognise(ConfigNode root) =>
            CountKeys(root, "zero_optimization", "train_micro_batch_size_per_gpu", "train_batch_size", "zero_allow_untested_optimizer",
                "steps_per_print", "wall_clock_breakdown", "gradient_clipping") * 2;

        public override void Read(ConfigDocument doc, RunBuilder run, ConfigContext context)
        {
            run.Missing(nameof(TrainingConfigRun.Model), "A DeepSpeed config names no model");
            ReadInto(doc, run, referenced: false);
            run.Default(nameof(TrainingConfigRun.Framework), "DeepSpeed", "a DeepSpeed config on its own");
        }

        internal static void ReadInto(ConfigDocument doc, RunBuilder run, bool referenced)
        {
            int? stage = Number(doc, run, "zero_optimization.stage", nameof(TrainingConfigRun.Sharding), referenced, 0);
            if (stage != null)
            {
                if (stage > 3) throw doc.Invalid("zero_optimization.stage", doc.Node("zero_optimization.stage")!, "0, 1, 2 or 3");
                run.Set(nameof(TrainingConfigRun.Sharding), (Sharding)stage.Value, doc, "zero_optimization.stage");
            }
            else if (!run.Has(nameof(TrainingConfigRun.Sharding)))
            {
                run.Derived(nameof(TrainingConfigRun.Sharding), Sharding.None, $"DeepSpeed default ({ZeroConfig}: stage 0)");
            }
            bool optimizerOff = Offloaded(doc, "zero_optimization.offload_optimizer");
            bool parametersOff = Offloaded(doc, "zero_optimization.offload_param");
            if (optimizerOff || parametersOff)
            {
                if (parametersOff && !optimizerOff)
                    run.Refuse("zero_optimization.offload_param", "cpu", "offloading parameters without the optimizer");
                run.Set(nameof(TrainingConfigRun.Offload), parametersOff ? Offload.OptimizerAndParameters : Offload.Optimizer, doc,
                    parametersOff ? "zero_optimization.offload_param" : "zero_optimization.offload_optimizer");
            }
            Precision(doc, run, referenced);
            if (Number(doc, run, "train_micro_batch_size_per_gpu", nameof(TrainingConfigRun.BatchSize), referenced) is int micro)
                run.Set(nameof(TrainingConfigRun.BatchSize), micro, doc, "train_micro_batch_size_per_gpu");
            if (Number(doc, run, "gradient_accumulation_steps", nameof(TrainingConfigRun.GradientAccumulation), referenced) is int accumulation)
                run.Set(nameof(TrainingConfigRun.GradientAccumulation), accumulation, doc, "gradient_accumulation_steps");
            if (Number(doc, run, "train_batch_size", nameof(TrainingConfigRun.GpuCount), referenced) is int global
                && run.Value(nameof(TrainingConfigRun.BatchSize)) is int b && run.Value(nameof(TrainingConfigRun.GradientAccumulation)) is int a)
            {
                if (global % (b * a) != 0)
                    throw new Errors.InvalidDataFileException(doc.Path, $"train_batch_size {global} is not micro batch {b} x accumulation {a} x a whole number of GPUs.");
                run.Derived(nameof(TrainingConfigRun.GpuCount), global / (b * a), $"{doc.Origin("train_batch_size")} / (micro batch x accumulation)");
            }
            if (doc.Node("optimizer.type") is ConfigNode type)
            {
                string name = type.Text ?? "";
                if (name.Equals("Adam", StringComparison.OrdinalIgnoreCase) || name.Equals("AdamW", StringComparison.OrdinalIgnoreCase))
                    run.Set(nameof(TrainingConfigRun.Optimizer), OptimizerKind.AdamW, doc, "optimizer.type");
                else
                    run.Refuse("optimizer.type", name, $"DeepSpeed's {name} optimizer");
            }
            if (doc.Node("activation_checkpointing") != null)
                run.Warn($"{doc.Origin("activation_checkpointing")} configures deepspeed.checkpointing, which Hugging Face models never call; give -Checkpointing for the model's own checkpointing.");
            doc.Ignore("optimizer.params", "scheduler", "zero_optimization.*", "gradient_clipping", "steps_per_print", "wall_clock_breakdown",
                "zero_allow_untested_optimizer", "communication_data_type", "prescale_gradients", "gradient_predivide_factor",
                "fp16.loss_scale", "fp16.loss_scale_window", "fp16.initial_scale_power", "fp16.hysteresis", "fp16.min_loss_scale",
                "fp16.auto_cast", "bf16.immediate_grad_update", "flops_profiler", "tensorboard", "wandb", "comms_logger", "memory_breakdown",
                "dump_state", "data_types", "checkpoint", "aio", "seed", "train_micro_batch_size_per_gpu", "gradient_accumulation_steps", "train_batch_size");
        }

        /// <summary>A count, or null for "auto" (the referencing config's value; a warning when read on its own).</summary>
        private static int? Number(ConfigDocument doc, RunBuilder run, string key, string parameter, bool referenced, int least = 1)
        {
            var node = doc.Node(key);
            if (node == null) return null;
            if (IsAuto(node))
            {
                if (!referenced) run.Missing(parameter, $"{doc.Origin(key)} is \"auto\", which only the HF Trainer fills in");
                return null;
            }
            long? value = node.AsLong();
            if (value == null || value < least || value > int.MaxValue) throw doc.Invalid(key, node, $"a whole number of {least} or more, or \"auto\"");
            return (int)value.Value;
        }

        private static void Precision(ConfigDocument doc, RunBuilder run, bool referenced)
        {
            foreach (var (key, precision) in new[] { ("bf16.enabled", Engine.Precision.Bf16Mixed), ("fp16.enabled", Engine.Precision.Fp16Mixed) })
            {
                var node = doc.Node(key);
                if (node == null) continue;
                if (IsAuto(node))
                {
                    if (!referenced) run.Missing(nameof(TrainingConfigRun.Precision), $"{doc.Origin(key)} is \"auto\", which only the HF Trainer fills in");
                    continue;
                }
                if (doc.Bool(key) == true && !(referenced && run.Has(nameof(TrainingConfigRun.Precision)))) run.Set(nameof(TrainingConfigRun.Precision), precision, doc, key);
            }
        }

        private static bool Offloaded(ConfigDocument doc, string section)
        {
            string? device = doc.Text(section + ".device");
            doc.Ignore(section + ".*");
            return device != null && !device.Equals("none", StringComparison.OrdinalIgnoreCase);
        }

        private static bool IsAuto(ConfigNode node) => node.IsScalar && string.Equals(node.Text, "auto", StringComparison.OrdinalIgnoreCase);
    }
}
