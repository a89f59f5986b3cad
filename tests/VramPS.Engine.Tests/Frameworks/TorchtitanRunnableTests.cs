using System.Linq;
using VramPS.Engine.Errors;
using VramPS.Engine.Estimation;
using VramPS.Engine.Frameworks;
using VramPS.Engine.Models;
using Xunit;

namespace VramPS.Engine.Tests.Frameworks
{
    /// <summary>
    /// Runs torchtitan and torchtune cannot make, read from their sources: refused, or, where only the baseline cannot
    /// and a later torchtitan release can, warned of naming -FrameworkVersion; and torchtitan's own default
    /// checkpointing, which VramPS does not model, warned of naming -Checkpointing.
    /// </summary>
    public class TorchtitanRunnableTests
    {
        private static Workload Run(string model, Framework framework, int gpus) =>
            new Workload(ModelCatalog.Default.Get(model)) { Framework = framework, Method = FinetuneMethod.Full, GpuCount = gpus, BatchSize = 1, SequenceLength = 2048, Checkpointing = Checkpointing.Full };

        private static Workload Llama(int gpus, Precision precision, string? version = null)
        {
            var w = Run("meta-llama/Llama-3.1-8B", Framework.Torchtitan, gpus);
            w.Precision = precision;
            if (version != null) w.FrameworkVersion = FrameworkVersion.Parse(version, "FrameworkVersion");
            return w;
        }

        [Theory]
        // torchtitan/models/__init__.py@9dec370: models_config = {"llama3": llama3_configs}, nothing else.
        [InlineData(Framework.Torchtitan)]
        // torchtune/models@v0.6.1 has llama2, code_llama2, llama3-3_3, llama3_2_vision, mistral, gemma, gemma2,
        // phi3, phi4, qwen2, qwen2_5 (and clip, t5, flux encoders): no llama4 and no qwen3, so no MoE decoder.
        [InlineData(Framework.Torchtune)]
        public void A_mixture_of_experts_model_is_refused_naming_Model(Framework framework)
        {
            var e = Assert.Throws<InvalidWorkloadException>(() => new ResolvedRecipe(Run("Qwen/Qwen3-30B-A3B", framework, 8)));
            Assert.Equal("Model", e.Parameter);
            Assert.Contains("mixture-of-experts", e.Message);
            Assert.Contains("-Framework HF-Trainer", e.Message);
            Assert.Contains(framework == Framework.Torchtitan ? "llama3" : "Qwen 2-2.5", e.Message);
        }

        [Fact]
        public void A_dense_model_is_still_estimated()
        {
            Assert.Equal(Precision.Bf16Mixed, new ResolvedRecipe(Llama(8, Precision.Bf16Mixed)).Precision);
        }

        [Theory]
        // config_manager.py@9dec370 --training.mixed_precision_param choices ["bfloat16", "float32"], and
        // job_config.py@73a0e69 (v0.2.2) Literal["bfloat16", "float32"] for it and for training.dtype: no fp16 at any release.
        [InlineData(Precision.Fp16Mixed, null)]
        [InlineData(Precision.Fp16, null)]
        [InlineData(Precision.Fp16Mixed, "v0.2.2")]
        public void Fp16_is_refused_naming_Precision_and_what_it_trains(Precision precision, string? version)
        {
            var e = Assert.Throws<InvalidWorkloadException>(() => new ResolvedRecipe(Llama(8, precision, version)));
            Assert.Equal("Precision", e.Parameter);
            Assert.Contains("Fp32 or Bf16Mixed", e.Message);
        }

        [Fact]
        public void Pure_bf16_runs_from_e99e16c_on_and_is_refused_before()
        {
            // e99e16c ("Support full bf16 training", #1646, 2025-09-16) adds Training.dtype: bfloat16 builds the model
            // under set_default_dtype(bfloat16); v0.1.0 (f7084fc, 2025-06-17) predates it, v0.2.0 (29624e3) has it.
            var before = Assert.Throws<InvalidWorkloadException>(() => new ResolvedRecipe(Llama(8, Precision.Bf16, "v0.1.0")));
            Assert.Equal("Precision", before.Parameter);
            Assert.Contains("2025-09-16 or later", before.Message);
            var after = new ResolvedRecipe(Llama(8, Precision.Bf16, "v0.2.0"));
            Assert.Equal(Precision.Bf16, after.Precision);
            Assert.Empty(after.Warnings);
        }

        [Fact]
        public void Pure_bf16_without_FrameworkVersion_is_estimated_with_a_warning_naming_it()
        {
            var r = new ResolvedRecipe(Llama(8, Precision.Bf16));
            Assert.Equal(Precision.Bf16, r.Precision);
            var warning = Assert.Single(r.Warnings);
            Assert.StartsWith("no -FrameworkVersion: torchtitan as of 9dec370", warning);
            Assert.Contains("e99e16c", warning);
        }

        [Fact]
        public void Bf16Mixed_on_one_GPU_needs_the_autocast_of_0b44d4c()
        {
            // config_manager.py@9dec370: mixed_precision_param "only takes effect when data_parallel_shard_degree > 1",
            // train.py has no autocast; torchtitan/distributed/utils.py@0b44d4c (2025-06-16) maybe_enable_amp autocasts
            // one GPU and DDP.
            var before = Assert.Throws<InvalidWorkloadException>(() => new ResolvedRecipe(Llama(1, Precision.Bf16Mixed, "2025-06-15")));
            Assert.Equal("Precision", before.Parameter);
            Assert.Contains("2025-06-16 or later", before.Message);
            Assert.Empty(new ResolvedRecipe(Llama(1, Precision.Bf16Mixed, "2025-06-16")).Warnings);
            var baseline = new ResolvedRecipe(Llama(1, Precision.Bf16Mixed));
            Assert.Equal(Precision.Bf16Mixed, baseline.Precision);
            Assert.Contains("0b44d4c", Assert.Single(baseline.Warnings));
        }

        [Fact]
        public void Bf16Mixed_under_tensor_parallelism_without_fully_shard_is_refused_at_every_release()
        {
            // maybe_enable_amp@0b44d4c: with TP or PP and no fully_shard it warns that mixed precision is disabled.
            foreach (var version in new string?[] { null, "v0.2.2" })
            {
                var w = Llama(8, Precision.Bf16Mixed, version);
                w.TensorParallel = 8;
                Assert.Equal("Precision", Assert.Throws<InvalidWorkloadException>(() => new ResolvedRecipe(w)).Parameter);
            }
        }

        [Fact]
        public void No_Checkpointing_warns_that_torchtitans_every_second_block_default_is_not_modelled()
        {
            // config_manager.py@9dec370 --activation_checkpoint.mode default "selective", selective_ac_option "2"
            // (every other block), as job_config.py@73a0e69 ActivationCheckpoint keeps it.
            var w = Llama(8, Precision.Bf16Mixed);
            w.Checkpointing = null;
            var r = new ResolvedRecipe(w);
            Assert.Equal(Checkpointing.None, r.Checkpointing);
            Assert.StartsWith("no -Checkpointing: torchtitan's own default", Assert.Single(r.Warnings));
            Assert.Empty(new ResolvedRecipe(Llama(8, Precision.Bf16Mixed)).Warnings);
            var hf = Run("meta-llama/Llama-3.1-8B", Framework.HfTrainer, 1);
            hf.Checkpointing = null;
            Assert.Empty(new ResolvedRecipe(hf).Warnings);
        }
    }
}
