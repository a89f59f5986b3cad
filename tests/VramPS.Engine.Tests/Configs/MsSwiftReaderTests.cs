using System;
using System.IO;
using System.Linq;
using VramPS.Engine.Alignment;
using VramPS.Engine.Configs;
using Xunit;

namespace VramPS.Engine.Tests.Configs
{
    /// <summary>
    /// ms-swift's argument files, each expected value from the ms-swift source the reader cites (modelscope/ms-swift
    /// 3602360) or from the example the file copies.
    /// </summary>
    public sealed class MsSwiftReaderTests : IDisposable
    {
        private readonly string _root = Path.Combine(Path.GetTempPath(), "vramps-swift-" + Guid.NewGuid().ToString("N"));

        public MsSwiftReaderTests() => Directory.CreateDirectory(_root);

        public void Dispose() => Directory.Delete(_root, true);

        private ImportedConfig Import(string text)
        {
            string path = Path.Combine(_root, "sft.yaml");
            File.WriteAllText(path, text);
            return TrainingConfigImporter.Import(path, null, _root);
        }

        [Fact]
        public void The_deepspeed_example_is_an_ms_swift_lora_run_under_swifts_zero2_config()
        {
            // examples/yaml/deepspeed/sft.yaml at 3602360, as written there.
            var imported = Import("model: Qwen/Qwen2.5-7B-Instruct\ntorch_dtype: bfloat16\ntuner_type: lora\nlora_rank: 8\nlora_alpha: 32\n" +
                "target_modules: all-linear\ndataset:\n  - 'AI-ModelScope/alpaca-gpt4-data-zh#500'\nsplit_dataset_ratio: 0.0\nmax_length: 2048\n" +
                "system: 'You are a helpful assistant.'\nmodel_author: swift\nmodel_name: swift-bot\nnum_train_epochs: 1\nper_device_train_batch_size: 1\n" +
                "learning_rate: 1e-4\ngradient_accumulation_steps: 8\noutput_dir: output\nwarmup_ratio: 0.05\ndataloader_num_workers: 4\ndataset_num_proc: 4\ndeepspeed: zero2\n");
            var run = imported.Run;
            Assert.Equal(ConfigFormat.MsSwift, run.Format);
            Assert.Equal("ms-swift", run.Framework);
            Assert.Equal("Qwen/Qwen2.5-7B-Instruct", run.Model);
            Assert.Equal(TrainingStage.Sft, run.Stage);
            Assert.Equal(FinetuneMethod.LoRA, run.Method);
            Assert.Equal(8, run.LoraRank);
            Assert.Equal("all-linear", run.LoraTargets);
            Assert.Equal(Precision.Bf16, run.Precision);
            Assert.Equal(2048, run.SequenceLength);
            Assert.Equal(1, run.BatchSize);
            Assert.Equal(8, run.GradientAccumulation);
            Assert.Equal(Checkpointing.Full, run.Checkpointing);
            Assert.Equal(Sharding.Zero2, run.Sharding);
            Assert.Equal(Offload.None, run.Offload);
            Assert.Contains(imported.Warnings, w => w.Contains("give -GpuCount"));
            Assert.DoesNotContain(imported.Warnings, w => w.Contains("does not read"));
        }

        [Fact]
        public void Defaults_are_swifts_lora_rank_8_on_every_linear_batch_1_with_checkpointing()
        {
            // tuner_args.py lora_rank 8, target_modules ['all-linear']; trainers/arguments.py per_device_train_batch_size 1,
            // gradient_checkpointing True; base_args.py tuner_type lora.
            var imported = Import("model: Qwen/Qwen2.5-7B-Instruct\n");
            var run = imported.Run;
            Assert.Equal(FinetuneMethod.LoRA, run.Method);
            Assert.Equal(8, run.LoraRank);
            Assert.Equal("all-linear", run.LoraTargets);
            Assert.Equal(1, run.BatchSize);
            Assert.Equal(Checkpointing.Full, run.Checkpointing);
            Assert.Null(run.SequenceLength);
            Assert.Null(run.Precision);
            Assert.Contains(imported.Warnings, w => w.Contains("give -SequenceLength"));
            Assert.Contains(imported.Warnings, w => w.Contains("give -Precision"));
        }

        [Fact]
        public void A_full_zero3_run_with_liger_and_packing_keeps_deepspeeds_master_copy()
        {
            // examples/train/liger/sft.sh at 7b70996 as arguments: full, zero3, bf16, liger, packing, flash_attn.
            var imported = Import("model: Qwen/Qwen2.5-7B\ntrain_type: full\ntorch_dtype: bfloat16\ndeepspeed: zero3\nper_device_train_batch_size: 1\n" +
                "gradient_accumulation_steps: 2\nmax_length: 8192\nuse_liger_kernel: true\npacking: true\nattn_impl: flash_attn\n");
            var run = imported.Run;
            Assert.Equal(FinetuneMethod.Full, run.Method);
            Assert.Equal(Precision.Bf16Mixed, run.Precision);
            Assert.Equal(Sharding.Zero3, run.Sharding);
            Assert.Equal(AttentionKernel.Flash, run.Attention);
            Assert.Equal(Techniques.FusedKernels | Techniques.FusedLinearLoss, run.Techniques);
            Assert.Equal(8192, run.SequenceLength);
            Assert.DoesNotContain(imported.Warnings, w => w.Contains("padded"));
        }

        [Fact]
        public void A_full_run_without_deepspeed_trains_the_loaded_bf16_model()
        {
            var run = Import("model: Qwen/Qwen2.5-7B-Instruct\ntrain_type: full\ntorch_dtype: bfloat16\nmax_length: 2048\n").Run;
            Assert.Equal(Precision.Bf16, run.Precision);
        }

        [Fact]
        public void Bitsandbytes_four_bit_is_QLoRA_over_NF4()
        {
            // examples/train/qlora/bnb/train.sh at 74e4831 as arguments.
            var run = Import("model: Qwen/Qwen2.5-7B-Instruct\ntrain_type: lora\ntorch_dtype: bfloat16\nquant_method: bnb\nquant_bits: 4\n" +
                "bnb_4bit_quant_type: nf4\nbnb_4bit_use_double_quant: true\nbnb_4bit_compute_dtype: bfloat16\nmax_length: 2048\n").Run;
            Assert.Equal(FinetuneMethod.QLoRA, run.Method);
            Assert.Equal(Quantization.NF4, run.Quantization);
        }

        [Theory]
        [InlineData("dpo", null, TrainingStage.Dpo)]
        [InlineData("simpo", null, TrainingStage.SimPo)]
        [InlineData("cpo", "simpo", TrainingStage.SimPo)]
        [InlineData("orpo", null, TrainingStage.Orpo)]
        [InlineData("kto", null, TrainingStage.Kto)]
        [InlineData("rm", null, TrainingStage.RewardModel)]
        public void Rlhf_type_selects_the_stage(string type, string? loss, TrainingStage stage)
        {
            var run = Import($"model: Qwen/Qwen2.5-7B-Instruct\nrlhf_type: {type}\n" + (loss == null ? "" : $"loss_type: {loss}\n") + "max_length: 2048\n").Run;
            Assert.Equal(stage, run.Stage);
        }

        [Fact]
        public void Ppo_takes_max_length_as_the_prompt_and_asks_for_the_reward_model()
        {
            // examples/train/rlhf/ppo/full.sh at ae43d1b: max_length 2048, response_length 512.
            var imported = Import("model: LLM-Research/Meta-Llama-3.1-8B-Instruct\nrlhf_type: ppo\nreward_model: AI-ModelScope/Skywork-Reward-Llama-3.1-8B-v0.2\n" +
                "train_type: full\ntorch_dtype: bfloat16\nmax_length: 2048\nresponse_length: 512\ndeepspeed: zero3\n");
            Assert.Equal(TrainingStage.Ppo, imported.Run.Stage);
            Assert.Equal(2048, imported.Run.PromptLength);
            Assert.Equal(512, imported.Run.GenerationLength);
            Assert.Contains(imported.Warnings, w => w.Contains("give -RewardModel"));
        }

        [Fact]
        public void Keys_an_imported_run_cannot_carry_are_refused_not_read_as_their_defaults()
        {
            // use_vllm puts a vLLM engine beside the policy (ms-swift rlhf_args.py); modules_to_save trains the named
            // modules fully beside LoRA; freeze_llm freezes the language model; lora_dtype sets the adapters' dtype;
            // offload_model/offload_optimizer move them to the CPU between rollout phases. None of them is a setting of
            // the imported run, so each is refused rather than estimated as absent.
            var e = Assert.Throws<UnsupportedSettingException>(() => Import(
                "model: Qwen/Qwen2.5-1.5B\nrlhf_type: grpo\ntuner_type: lora\nuse_vllm: true\nvllm_mode: colocate\n" +
                "modules_to_save: [embed_tokens, lm_head]\nfreeze_llm: true\nlora_dtype: bfloat16\noffload_model: true\noffload_optimizer: true\n"));
            Assert.Equal(new[] { "use_vllm", "modules_to_save", "freeze_llm", "lora_dtype", "offload_model", "offload_optimizer" },
                e.Settings.Select(s => s.Key).ToArray());
        }

        [Fact]
        public void A_run_without_vllm_or_saved_modules_imports()
        {
            var run = Import("model: Qwen/Qwen2.5-1.5B\nrlhf_type: grpo\ntuner_type: lora\nuse_vllm: false\nmodules_to_save: []\n").Run;
            Assert.Equal(TrainingStage.Grpo, run.Stage);
        }

        [Fact]
        public void Megatron_arguments_and_other_quantizers_are_refused_naming_each_key()
        {
            var e = Assert.Throws<UnsupportedSettingException>(() => Import(
                "model: Qwen/Qwen2.5-7B-Instruct\ntensor_model_parallel_size: 2\nquant_method: awq\nquant_bits: 4\n"));
            Assert.Equal(new[] { "tensor_model_parallel_size", "quant_method" }, e.Settings.Select(s => s.Key).ToArray());
        }

        [Fact]
        public void Zero3_offload_moves_optimizer_and_parameters_to_the_host()
        {
            // swift/config/zero3_offload.json: offload_optimizer and offload_param on cpu.
            var run = Import("model: Qwen/Qwen2.5-7B-Instruct\ntrain_type: full\ntorch_dtype: bfloat16\nmax_length: 2048\ndeepspeed: zero3_offload\n").Run;
            Assert.Equal(Sharding.Zero3, run.Sharding);
            Assert.Equal(Offload.OptimizerAndParameters, run.Offload);
        }
    }
}
