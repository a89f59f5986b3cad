using System.Linq;
using VramPS.Engine.Errors;
using VramPS.Engine.Estimation;
using VramPS.Engine.Frameworks;
using VramPS.Engine.Models;
using Xunit;

namespace VramPS.Engine.Tests.Frameworks
{
    /// <summary>
    /// The defaults torchtitan's own job config and parallelize code decide (precision without fully_shard, the local
    /// batch, the pipeline schedule, attention, CPU offload), and torchtune's dtype and sharding, each from the source
    /// its profile cites.
    /// </summary>
    public class TorchtitanDefaultsTests
    {
        private static readonly FrameworkProfile Titan = FrameworkProfiles.Of(Framework.Torchtitan);

        private static Workload Run(int gpus, Framework framework = Framework.Torchtitan) =>
            new Workload(ModelCatalog.Default.Get("meta-llama/Llama-3.1-8B")) { Framework = framework, Method = FinetuneMethod.Full, GpuCount = gpus, BatchSize = 1, SequenceLength = 2048 };

        private static Workload AsOf(Workload w, string date)
        {
            w.FrameworkVersion = FrameworkVersion.Parse(date, "FrameworkVersion");
            return w;
        }

        [Theory]
        // parallelize_llama.py@9dec370: apply_fsdp (and its MixedPrecisionPolicy) only under dp_shard_enabled or
        // cp_enabled; train.py has no autocast. One GPU, DDP (-Sharding None) and TP over every GPU leave dp_shard 1.
        [InlineData(1, null, 1, 1, Precision.Fp32)]
        [InlineData(8, Sharding.None, 1, 1, Precision.Fp32)]
        [InlineData(8, null, 8, 1, Precision.Fp32)]
        [InlineData(8, null, 1, 1, Precision.Bf16Mixed)]
        [InlineData(8, null, 2, 1, Precision.Bf16Mixed)]
        // Context parallelism alone enables fully_shard over the cp ranks (dp_shard_cp mesh).
        [InlineData(2, null, 1, 2, Precision.Bf16Mixed)]
        public void Mixed_precision_comes_only_from_fully_shard_at_the_baseline(int gpus, Sharding? sharding, int tensor, int context, Precision expected)
        {
            var w = Run(gpus);
            w.Sharding = sharding;
            w.TensorParallel = tensor;
            w.ContextParallel = context;
            var r = new ResolvedRecipe(w);
            Assert.Equal(expected, r.Precision);
            Assert.Equal(expected == Precision.Fp32, r.Assumptions.Contains(Titan.MixedPrecisionOnlyFullySharded.Assumption));
        }

        [Fact]
        public void From_0b44d4c_one_GPU_and_DDP_autocast_while_TP_without_fully_shard_stays_fp32()
        {
            // torchtitan/distributed/utils.py@0b44d4c maybe_enable_amp: torch.autocast when neither fully_shard nor TP
            // or PP runs; with TP or PP it warns that mixed precision is disabled.
            Assert.Equal(Precision.Fp32, new ResolvedRecipe(AsOf(Run(1), "2025-06-15")).Precision);
            var amp = new ResolvedRecipe(AsOf(Run(1), "2025-06-16"));
            Assert.Equal(Precision.Bf16Mixed, amp.Precision);
            Assert.Contains("maybe_enable_amp", string.Join("\n", amp.Assumptions));
            var ddp = Run(8);
            ddp.Sharding = Sharding.None;
            Assert.Equal(Precision.Bf16Mixed, new ResolvedRecipe(AsOf(ddp, "v0.1.0")).Precision);
            var tp = Run(8);
            tp.TensorParallel = 8;
            Assert.Equal(Precision.Fp32, new ResolvedRecipe(AsOf(tp, "2025-06-16")).Precision);
        }

        [Fact]
        public void An_fp32_one_GPU_estimate_warns_that_a_later_checkout_autocasts()
        {
            // The fp32 run keeps fp32 activations; under 0b44d4c's autocast the linears save bf16 inputs, so where the
            // activations set the peak Total falls, and the baseline's estimate names -FrameworkVersion. A fully sharded
            // run is bf16 either way.
            static Workload Long(Workload w)
            {
                w.BatchSize = 2;
                w.SequenceLength = 8192;
                return w;
            }
            var baseline = MemoryEstimator.Estimate(Long(Run(1)));
            var amp = MemoryEstimator.Estimate(AsOf(Long(Run(1)), "2025-06-16"));
            Assert.True(amp.Activations < baseline.Activations && amp.Total < baseline.Total);
            Assert.Contains(baseline.Warnings, x => x.Contains("FrameworkVersion") && x.Contains("autocast"));
            Assert.DoesNotContain(MemoryEstimator.Estimate(Run(8)).Warnings, x => x.Contains("autocast"));
        }

        [Fact]
        public void A_pipeline_takes_torchtitans_own_1F1B_default_in_its_words()
        {
            // config_manager.py@9dec370 --experimental.pipeline_parallel_schedule default "1F1B".
            var w = Run(16);
            w.PipelineParallel = 2;
            w.BatchSize = 2;
            var r = new ResolvedRecipe(w);
            Assert.Equal(PipelineSchedule.OneFOneB, r.Parallel.Schedule);
            Assert.Contains(Titan.DefaultPipelineSchedule.Assumption, r.Assumptions);
            Assert.DoesNotContain(r.Assumptions, a => a.Contains("Megatron-LM"));
            var megatron = Run(16, Framework.MegatronLM);
            megatron.BatchSize = 2;
            megatron.PipelineParallel = 2;
            Assert.Contains("1F1B pipeline schedule (Megatron-LM's default)", new ResolvedRecipe(megatron).Assumptions);
        }

        [Theory]
        [InlineData(8, Sharding.None, "-Sharding Zero3")]
        [InlineData(8, Sharding.Zero1, "-Sharding Zero3")]
        [InlineData(1, null, "more than one rank")]
        public void Parameter_offload_without_fully_shard_is_refused_naming_Offload_and_Sharding(int gpus, Sharding? sharding, string remedy)
        {
            // parallelize_llama.py@9dec370: enable_cpu_offload reaches only apply_fsdp's CPUOffloadPolicy, and
            // apply_fsdp runs only over more than one shard rank.
            var w = Run(gpus);
            w.Sharding = sharding;
            w.Offload = Offload.OptimizerAndParameters;
            var e = Assert.Throws<InvalidWorkloadException>(() => MemoryEstimator.Estimate(w));
            Assert.Equal("Offload", e.Parameter);
            Assert.Contains("-Offload OptimizerAndParameters", e.Message);
            Assert.Contains(remedy, e.Message);
            var sharded = Run(8);
            sharded.Offload = Offload.OptimizerAndParameters;
            Assert.Equal(Sharding.Zero3, new ResolvedRecipe(sharded).Sharding);
        }

        [Fact]
        public void The_local_batch_defaults_to_8_and_attention_is_SDPA_only()
        {
            // config_manager.py@9dec370 --training.batch_size default 8; models/llama/model.py attends only through
            // F.scaled_dot_product_attention.
            var w = Run(8);
            w.BatchSize = null;
            var r = new ResolvedRecipe(w);
            Assert.Equal(8, r.BatchSize);
            Assert.Contains(Titan.DefaultBatchSize.Assumption, r.Assumptions);
            w.Attention = AttentionKernel.Eager;
            Assert.Equal("Attention", Assert.Throws<InvalidWorkloadException>(() => new ResolvedRecipe(w)).Parameter);
        }

        [Fact]
        public void Torchtune_trains_full_models_in_pure_bf16_fully_sharded_over_several_GPUs()
        {
            // recipes/full_finetune_single_device.py@v0.6.1: "When dtype=bf16, all activations, gradients and optimizer
            // states are in bfloat16"; full_finetune_distributed.py fully_shards over every rank (no DDP recipe).
            var one = new ResolvedRecipe(Run(1, Framework.Torchtune));
            Assert.Equal(Precision.Bf16, one.Precision);
            var four = new ResolvedRecipe(Run(4, Framework.Torchtune));
            Assert.Equal(Sharding.Zero3, four.Sharding);
            Assert.Equal(Precision.Bf16, four.Precision);
            // shard_model@v0.6.1 passes no mp_policy: -Sharding given or not, the bf16 parameters stay bf16.
            var given = Run(4, Framework.Torchtune);
            given.Sharding = Sharding.Zero3;
            Assert.Equal(Precision.Bf16, new ResolvedRecipe(given).Precision);
            var hf = Run(4, Framework.HfTrainer);
            hf.Sharding = Sharding.Zero3;
            Assert.Equal(Precision.Bf16Mixed, new ResolvedRecipe(hf).Precision);
        }
    }
}
