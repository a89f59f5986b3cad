using System;
using System.IO;
using System.Linq;
using VramPS.Engine.Configs;
using VramPS.Engine.Errors;
using Xunit;

namespace VramPS.Engine.Tests.Configs
{
    /// <summary>
    /// Import rules shared by every format, each expected value derived from the trainer behaviour the reader cites:
    /// relative paths, "auto", defaults, format recognition, unknown and unsupported keys.
    /// </summary>
    public sealed class TrainingConfigImporterTests : IDisposable
    {
        private readonly string _root = Path.Combine(Path.GetTempPath(), "vramps-configs-" + Guid.NewGuid().ToString("N"));

        public TrainingConfigImporterTests() => Directory.CreateDirectory(_root);

        public void Dispose() => Directory.Delete(_root, true);

        private string Write(string relative, string text)
        {
            string path = Path.Combine(_root, relative);
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            File.WriteAllText(path, text);
            return path;
        }

        [Fact]
        public void A_relative_DeepSpeed_path_resolves_from_the_current_directory_before_the_config_folder()
        {
            Write("cwd/ds.json", "{\"zero_optimization\": {\"stage\": 2}}");
            Write("configs/ds.json", "{\"zero_optimization\": {\"stage\": 3}}");
            string config = Write("configs/run.yaml", "model_name_or_path: meta-llama/Llama-2-7b-hf\nstage: sft\nfinetuning_type: lora\ndeepspeed: ds.json\n");
            Assert.Equal(Sharding.Zero2, TrainingConfigImporter.Import(config, null, Path.Combine(_root, "cwd")).Run.Sharding);
            Assert.Equal(Sharding.Zero3, TrainingConfigImporter.Import(config, null, _root).Run.Sharding);
        }

        [Fact]
        public void A_missing_DeepSpeed_file_names_the_key_and_both_places_looked()
        {
            string config = Write("run.yaml", "model_name_or_path: meta-llama/Llama-2-7b-hf\nstage: sft\nfinetuning_type: lora\ndeepspeed: nowhere.json\n");
            var e = Assert.Throws<InvalidDataFileException>(() => TrainingConfigImporter.Import(config, null, _root));
            Assert.Contains("'deepspeed' names the DeepSpeed config 'nowhere.json'", e.Message);
        }

        [Fact]
        public void Auto_in_a_DeepSpeed_file_read_alone_is_a_warning_naming_the_parameter()
        {
            string ds = Write("ds.json", "{\"train_micro_batch_size_per_gpu\": \"auto\", \"zero_optimization\": {\"stage\": 1}}");
            var imported = TrainingConfigImporter.Import(ds, null, _root);
            Assert.Null(imported.Run.BatchSize);
            Assert.Equal(Sharding.Zero1, imported.Run.Sharding);
            Assert.Contains(imported.Warnings, w => w.Contains("give -BatchSize"));
        }

        [Fact]
        public void LlamaFactory_freeze_takes_its_defaults_and_upcasts_under_bf16()
        {
            // finetuning_args.py: freeze_trainable_layers 2; data_args.py: cutoff_len 2048; model/adapter.py upcasts trainable parameters
            string config = Write("freeze.yaml", "model_name_or_path: meta-llama/Llama-2-7b-hf\nstage: sft\nfinetuning_type: freeze\nbf16: true\n");
            var run = TrainingConfigImporter.Import(config, null, _root).Run;
            Assert.Equal(FinetuneMethod.Freeze, run.Method);
            Assert.Equal(2, run.TrainableLayers);
            Assert.Equal(2048, run.SequenceLength);
            Assert.Equal(Precision.Bf16Mixed, run.Precision);
            Assert.Equal(8, run.BatchSize);
            Assert.Equal(Checkpointing.Full, run.Checkpointing);
        }

        [Fact]
        public void Axolotl_batch_size_gives_the_accumulation_over_the_micro_batch()
        {
            // normalize_config: gradient_accumulation_steps = batch_size // micro_batch_size
            string config = Write("ax.yml", "base_model: meta-llama/Llama-2-7b-hf\nmicro_batch_size: 4\nbatch_size: 32\nsequence_len: 1024\n");
            var run = TrainingConfigImporter.Import(config, null, _root).Run;
            Assert.Equal(8, run.GradientAccumulation);
            Assert.Equal(FinetuneMethod.Full, run.Method);
            Assert.Equal(Precision.Fp32, run.Precision);
        }

        [Fact]
        public void Litgpt_on_several_devices_shards_checkpoints_and_divides_the_global_batch()
        {
            string config = Write("full.yaml", "checkpoint_dir: checkpoints/meta-llama/Llama-2-7b-hf\nprecision: bf16-true\ndevices: 4\ntrain:\n  global_batch_size: 64\n  micro_batch_size: 2\n  max_seq_length: 1024\n");
            var run = TrainingConfigImporter.Import(config, null, _root).Run;
            Assert.Equal("meta-llama/Llama-2-7b-hf", run.Model);
            Assert.Equal(FinetuneMethod.Full, run.Method);
            Assert.Equal(8, run.GradientAccumulation);
            Assert.Equal(Sharding.Zero3, run.Sharding);
            Assert.Equal(Checkpointing.Full, run.Checkpointing);
            Assert.Equal(4, run.GpuCount);
        }

        [Fact]
        public void A_local_model_folder_is_read_through_its_config_json()
        {
            Write("models/tiny/config.json", "{}");
            string config = Write("ax.yml", "base_model: ./models/tiny\nmicro_batch_size: 1\nsequence_len: 512\n");
            var run = TrainingConfigImporter.Import(config, null, _root).Run;
            Assert.Null(run.Model);
            Assert.Equal(Path.Combine(_root, "models", "tiny", "config.json"), run.ConfigPath);
        }

        [Fact]
        public void A_prequantized_upload_is_NF4_whatever_the_config_says()
        {
            string config = Write("ax.yml", "base_model: unsloth/llama-3-8b-bnb-4bit\nadapter: lora\nmicro_batch_size: 1\nsequence_len: 512\n");
            var run = TrainingConfigImporter.Import(config, null, _root).Run;
            Assert.Equal(FinetuneMethod.QLoRA, run.Method);
            Assert.Equal(Quantization.NF4, run.Quantization);
        }

        [Fact]
        public void Every_unsupported_key_is_named_in_one_refusal()
        {
            string config = Write("lf.yaml", "model_name_or_path: meta-llama/Llama-2-7b-hf\nstage: sft\nfinetuning_type: full\nuse_llama_pro: true\nuse_badam: true\nbadam_mode: ratio\n");
            var e = Assert.Throws<UnsupportedSettingException>(() => TrainingConfigImporter.Import(config, null, _root));
            Assert.Equal(new[] { "use_llama_pro", "badam_mode" }, e.Settings.Select(s => s.Key).ToArray());
        }

        [Theory]
        [InlineData("lf-dora.yaml", "model_name_or_path: meta-llama/Llama-2-7b-hf\nstage: sft\nfinetuning_type: lora\nuse_dora: true\nuse_rslora: true\n", AdapterKind.DoRA)]
        [InlineData("lf-pissa.yaml", "model_name_or_path: meta-llama/Llama-2-7b-hf\nstage: sft\nfinetuning_type: lora\npissa_init: true\n", AdapterKind.PiSSA)]
        [InlineData("lf-plus.yaml", "model_name_or_path: meta-llama/Llama-2-7b-hf\nstage: sft\nfinetuning_type: lora\nloraplus_lr_ratio: 16.0\n", AdapterKind.LoRAPlus)]
        [InlineData("ax-dora.yml", "base_model: meta-llama/Llama-2-7b-hf\nadapter: lora\nlora_r: 16\npeft_use_dora: true\nmicro_batch_size: 1\nsequence_len: 1024\n", AdapterKind.DoRA)]
        public void The_keys_that_select_a_LoRA_variant_set_Adapter(string file, string text, AdapterKind adapter)
        {
            Assert.Equal(adapter, TrainingConfigImporter.Import(Write(file, text), null, _root).Run.Adapter);
        }

        [Theory]
        [InlineData("model_name_or_path: meta-llama/Llama-2-7b-hf\nstage: sft\nfinetuning_type: full\nuse_galore: true\ngalore_rank: 32\n", OptimizerKind.GaLore, 32)]
        [InlineData("model_name_or_path: meta-llama/Llama-2-7b-hf\nstage: sft\nfinetuning_type: full\nuse_galore: true\noptim: adamw_8bit\n", OptimizerKind.GaLore8bit, null)]
        [InlineData("model_name_or_path: meta-llama/Llama-2-7b-hf\nstage: sft\nfinetuning_type: full\nuse_apollo: true\napollo_rank: 64\n", OptimizerKind.Apollo, 64)]
        [InlineData("model_name_or_path: meta-llama/Llama-2-7b-hf\nstage: sft\nfinetuning_type: full\nuse_adam_mini: true\n", OptimizerKind.AdamMini, null)]
        [InlineData("model_name_or_path: meta-llama/Llama-2-7b-hf\nstage: sft\nfinetuning_type: full\nuse_muon: true\n", OptimizerKind.Muon, null)]
        [InlineData("model_name_or_path: meta-llama/Llama-2-7b-hf\nstage: sft\nfinetuning_type: full\nuse_badam: true\nbadam_mode: layer\nbadam_switch_mode: ascending\nbadam_switch_interval: 50\nbadam_start_block: 0\n", OptimizerKind.BAdam, null)]
        public void LLaMA_Factory_optimizer_switches_set_Optimizer(string text, OptimizerKind optimizer, int? rank)
        {
            var run = TrainingConfigImporter.Import(Write("lf-opt.yaml", text), null, _root).Run;
            Assert.Equal(optimizer, run.Optimizer);
            Assert.Equal(rank, run.OptimizerRank);
        }

        /// <summary>
        /// torchtune's published DoRA recipes (pytorch/torchtune@bd2a0fc recipes/configs/llama3/8B_dora_single_device.yaml:
        /// lora_llama3_8b with use_dora: True; 8B_qdora_single_device.yaml: qlora_llama3_8b with use_dora: True), trimmed
        /// to the keys that set memory.
        /// </summary>
        [Theory]
        [InlineData("lora_llama3_8b", FinetuneMethod.LoRA)]
        [InlineData("qlora_llama3_8b", FinetuneMethod.QLoRA)]
        public void Torchtune_use_dora_sets_the_DoRA_adapter(string builder, FinetuneMethod method)
        {
            string config = Write("tt-dora.yaml", $"model:\n  _component_: torchtune.models.llama3.{builder}\n  lora_attn_modules: ['q_proj', 'v_proj', 'output_proj']\n"
                + "  apply_lora_to_mlp: True\n  apply_lora_to_output: False\n  lora_rank: 8\n  lora_alpha: 16\n  use_dora: True\n"
                + "batch_size: 2\noptimizer:\n  _component_: torch.optim.AdamW\n  fused: True\n  lr: 3e-4\ngradient_accumulation_steps: 8\n"
                + "loss:\n  _component_: torchtune.modules.loss.LinearCrossEntropyLoss\nenable_activation_checkpointing: True\n");
            var run = TrainingConfigImporter.Import(config, ConfigFormat.Torchtune, _root).Run;
            Assert.Equal(AdapterKind.DoRA, run.Adapter);
            Assert.Equal(method, run.Method);
            Assert.Equal(8, run.LoraRank);
        }

        /// <summary>
        /// transformers' GaLore and APOLLO optim names take their rank from optim_args (a "key=value" string; a mapping
        /// in axolotl's schema), 128 when absent (Trainer.get_optimizer_cls_and_kwargs: optim_args.pop("rank", 128));
        /// axolotl's own came_pytorch and muon (axolotl@067b021 src/axolotl/utils/schemas/enums.py CustomSupportedOptimizers).
        /// </summary>
        [Theory]
        [InlineData("trl-galore.yaml", "model_name_or_path: meta-llama/Llama-2-7b-hf\ndataset_name: trl-lib/Capybara\nper_device_train_batch_size: 1\nmax_length: 1024\noptim: galore_adamw\noptim_target_modules: [attn, mlp]\noptim_args: \"rank=64, update_proj_gap=100, scale=0.1\"\n", OptimizerKind.GaLore, 64)]
        [InlineData("trl-apollo.yaml", "model_name_or_path: meta-llama/Llama-2-7b-hf\ndataset_name: trl-lib/Capybara\nper_device_train_batch_size: 1\nmax_length: 1024\noptim: apollo_adamw\noptim_target_modules: [attn, mlp]\n", OptimizerKind.Apollo, 128)]
        [InlineData("ax-galore.yml", "base_model: meta-llama/Llama-2-7b-hf\nmicro_batch_size: 1\nsequence_len: 1024\noptimizer: galore_adamw_8bit\noptim_target_modules: [attn, mlp]\noptim_args:\n  rank: 32\n  update_proj_gap: 200\n", OptimizerKind.GaLore8bit, 32)]
        [InlineData("ax-came.yml", "base_model: meta-llama/Llama-2-7b-hf\nmicro_batch_size: 1\nsequence_len: 1024\noptimizer: came_pytorch\n", OptimizerKind.Came, null)]
        [InlineData("ax-muon.yml", "base_model: meta-llama/Llama-2-7b-hf\nmicro_batch_size: 1\nsequence_len: 1024\noptimizer: muon\n", OptimizerKind.Muon, null)]
        public void Optimizer_names_set_Optimizer_and_the_projection_rank(string file, string text, OptimizerKind optimizer, int? rank)
        {
            var run = TrainingConfigImporter.Import(Write(file, text), null, _root).Run;
            Assert.Equal(optimizer, run.Optimizer);
            Assert.Equal(rank, run.OptimizerRank);
        }

        [Fact]
        public void A_projection_rank_that_is_no_whole_number_is_refused_naming_optim_args()
        {
            string config = Write("trl-galore-bad.yaml", "model_name_or_path: meta-llama/Llama-2-7b-hf\ndataset_name: trl-lib/Capybara\nper_device_train_batch_size: 1\nmax_length: 1024\noptim: galore_adamw\noptim_args: \"rank=high\"\n");
            Assert.Contains("'optim_args' is 'rank=high'", Assert.Throws<InvalidDataFileException>(() => TrainingConfigImporter.Import(config, null, _root)).Message);
        }

        [Fact]
        public void BAdam_over_another_base_optimizer_or_an_unknown_mode_is_refused()
        {
            string eightBit = Write("lf-badam8.yaml", "model_name_or_path: meta-llama/Llama-2-7b-hf\nstage: sft\nfinetuning_type: full\nuse_badam: true\noptim: adamw_8bit\n");
            Assert.Equal("optim", Assert.Throws<UnsupportedSettingException>(() => TrainingConfigImporter.Import(eightBit, null, _root)).Settings.Single().Key);
            string mode = Write("lf-badamx.yaml", "model_name_or_path: meta-llama/Llama-2-7b-hf\nstage: sft\nfinetuning_type: full\nuse_badam: true\nbadam_mode: rows\n");
            Assert.Contains("'badam_mode' is 'rows'; expected layer or ratio", Assert.Throws<InvalidDataFileException>(() => TrainingConfigImporter.Import(mode, null, _root)).Message);
        }

        [Fact]
        public void A_file_of_no_known_format_asks_for_Format()
        {
            string config = Write("x.yaml", "hello: world\n");
            var e = Assert.Throws<InvalidDataFileException>(() => TrainingConfigImporter.Import(config, null, _root));
            Assert.Contains("give -Format", e.Message);
        }

        [Fact]
        public void Unknown_keys_are_one_warning_and_nested_ones_carry_their_path()
        {
            string config = Write("acc.yaml", "compute_environment: LOCAL_MACHINE\ndistributed_type: FSDP\nnum_processes: 2\nfsdp_config:\n  fsdp_sharding_strategy: SHARD_GRAD_OP\nmystery: 1\n");
            var imported = TrainingConfigImporter.Import(config, null, _root);
            Assert.Equal(Sharding.Zero2, imported.Run.Sharding);
            Assert.Single(imported.Warnings, w => w.Contains("mystery"));
        }

        [Fact]
        public void Every_setting_has_a_source()
        {
            string config = Write("ax.yml", "base_model: meta-llama/Llama-2-7b-hf\nmicro_batch_size: 3\n");
            var run = TrainingConfigImporter.Import(config, null, _root).Run;
            Assert.Equal("ax.yml: micro_batch_size", run.Source.For(nameof(run.BatchSize))!.Origin);
            Assert.StartsWith("axolotl default (axolotl src/axolotl/utils/schemas/config.py", run.Source.For(nameof(run.SequenceLength))!.Origin);
            Assert.Equal(512, run.SequenceLength);
        }
    }
}
