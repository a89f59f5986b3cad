using System.Linq;
using VramPS.Engine.Alignment;
using VramPS.Engine.Estimation;
using VramPS.Engine.Frameworks;
using VramPS.Engine.Models;
using Xunit;

namespace VramPS.Engine.Tests.Frameworks
{
    /// <summary>ms-swift's behaviours on its Trainer path, each from the ms-swift source its profile cites (modelscope/ms-swift 3602360).</summary>
    public class MsSwiftProfileTests
    {
        /// <summary>Qwen/Qwen2.5-7B-Instruct: 7,615,616,512 parameters (Hugging Face safetensors metadata).</summary>
        private const long Qwen25SevenB = 7_615_616_512;

        private static Workload Qwen(FinetuneMethod method) =>
            new Workload(ModelCatalog.Default.Get("Qwen/Qwen2.5-7B-Instruct")) { Framework = Framework.MsSwift, Method = method };

        [Theory]
        [InlineData("ms-swift")]
        [InlineData("MS-SWIFT")]
        [InlineData("MsSwift")]
        public void Is_spelled_as_the_validation_csv_spells_it(string name) =>
            Assert.Equal(Framework.MsSwift, FrameworkNames.Parse(name));

        [Fact]
        public void Checkpoints_every_block_unless_told_and_says_so()
        {
            // swift/trainers/arguments.py: gradient_checkpointing: bool = True.
            var r = new ResolvedRecipe(Qwen(FinetuneMethod.LoRA));
            Assert.Equal(Checkpointing.Full, r.Checkpointing);
            Assert.Contains("activation checkpointing on (ms-swift's gradient_checkpointing default True)", r.Assumptions);
        }

        [Fact]
        public void Lora_adapts_every_linear_of_the_blocks_with_dropout()
        {
            // swift/arguments/tuner_args.py: target_modules ['all-linear'], lora_dropout 0.05, lora_rank 8.
            var r = new ResolvedRecipe(Qwen(FinetuneMethod.LoRA));
            Assert.Equal(new[] { "down_proj", "gate_proj", "k_proj", "o_proj", "q_proj", "up_proj", "v_proj" }, r.LoraTargets.OrderBy(t => t, System.StringComparer.Ordinal));
            Assert.Equal(8, r.LoraRank);
            Assert.True(new TrainerBehavior(r).LoraDropout);
            Assert.Equal(0.05, FrameworkProfiles.Of(Framework.MsSwift).LoraDropout.Value);
        }

        [Fact]
        public void Qlora_keeps_the_unquantized_weights_in_bf16()
        {
            // swift/pipelines/train/tuner.py never calls peft's prepare_model_for_kbit_training, which the HF-Trainer
            // profile's TRL path does (every non-quantized parameter to fp32).
            var swift = new TrainerBehavior(new ResolvedRecipe(Qwen(FinetuneMethod.QLoRA)));
            Assert.False(swift.UpcastsNonQuantized);
            Assert.False(swift.Fp32Stream);
            var trl = Qwen(FinetuneMethod.QLoRA);
            trl.Framework = Framework.HfTrainer;
            Assert.True(new TrainerBehavior(new ResolvedRecipe(trl)).UpcastsNonQuantized);
        }

        [Fact]
        public void Full_training_on_one_gpu_keeps_the_loaded_bf16_weights_gradients_and_adamw_states()
        {
            // The model loads in torch_dtype bfloat16 and --bf16 follows it: 2 bytes of weight, 2 of gradient and 2 x 2
            // of AdamW moments per parameter.
            var e = MemoryEstimator.Estimate(Qwen(FinetuneMethod.Full));
            Assert.Equal(Precision.Bf16, e.Precision);
            Assert.Equal(2 * Qwen25SevenB, e.Weights);
            Assert.Equal(2 * Qwen25SevenB, e.Gradients);
            Assert.Equal(4 * Qwen25SevenB, e.OptimizerStates);
            Assert.Contains(FrameworkProfiles.Of(Framework.MsSwift).FullTrainsLoadedDtype.Assumption, e.Assumptions);
        }

        [Fact]
        public void Full_training_under_zero_keeps_deepspeeds_fp32_master_copy()
        {
            // swift/config/zero3.json: bf16 "auto" under DeepSpeed's engine, a 16-bit model with fp32 master partitions.
            var w = Qwen(FinetuneMethod.Full);
            w.GpuCount = 4;
            w.Sharding = Sharding.Zero3;
            var r = new ResolvedRecipe(w);
            Assert.Equal(Precision.Bf16Mixed, r.Precision);
            Assert.True(new TrainerBehavior(r).MasterCopyInOptimizer);
        }

        [Fact]
        public void Zero_reduces_through_swifts_two_hundred_million_element_bucket()
        {
            // swift/config/zero2.json: reduce_bucket_size 2e8.
            Assert.Equal(200_000_000L, FrameworkProfiles.Of(Framework.MsSwift).ReduceBucketElements.Value);
        }

        [Fact]
        public void Runs_trls_preference_trainers_with_the_policys_base_as_the_lora_reference()
        {
            // swift/arguments/rlhf_args.py: ref_model only for full training; under LoRA the base with adapters off.
            var w = Qwen(FinetuneMethod.LoRA);
            w.Stage = TrainingStage.Dpo;
            Assert.Equal(0, StageEstimator.Estimate(w).Models.Where(m => m.Role == ModelRole.Reference).Sum(m => m.Weights));
            w.Method = FinetuneMethod.Full;
            Assert.True(StageEstimator.Estimate(w).Models.Where(m => m.Role == ModelRole.Reference).Sum(m => m.Weights) > 0);
        }
    }
}
