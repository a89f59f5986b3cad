using VramPS.Engine.Frameworks;
using Xunit;

namespace VramPS.Engine.Tests.Frameworks
{
    /// <summary>
    /// How each stack shards a quantized base and what its loop keeps, read from the sources each profile cites:
    /// bitsandbytes keeps a 4-bit weight's statistics on the module (bitsandbytes@95f9af3 nn/modules.py), torchao's
    /// NF4Tensor carries them inside the sharded tensor; transformers builds a quantized model outside
    /// deepspeed.zero.Init (modeling_utils.py get_init_context) while accelerate's and fsdp_qlora's FSDP quantize unit by
    /// unit; fsdp_qlora's train.py keeps `output` through the step and trains bf16 adapters over a bf16-stored base.
    /// </summary>
    public class QuantizedShardingProfileTests
    {
        [Theory]
        [InlineData(Framework.HfTrainer, true)]
        [InlineData(Framework.FsdpQlora, true)]
        [InlineData(Framework.FmsAcceleration, true)]
        [InlineData(Framework.DeepSpeed, true)]
        [InlineData(Framework.Torchtune, false)]
        public void Statistics_outside_the_sharded_parameter(Framework framework, bool unsharded) =>
            Assert.Equal(unsharded, FrameworkProfiles.Of(framework).QuantStatisticsUnsharded.Value);

        [Theory]
        [InlineData(Framework.DeepSpeed, true)]
        [InlineData(Framework.MsSwift, true)]
        [InlineData(Framework.HfTrainer, false)]
        [InlineData(Framework.FsdpQlora, false)]
        [InlineData(Framework.FmsAcceleration, false)]
        public void Quantized_base_loaded_whole_before_zero3_partitions_it(Framework framework, bool whole) =>
            Assert.Equal(whole, FrameworkProfiles.Of(framework).QuantizedBaseLoadsWhole.Value);

        // fsdp_qlora train.py@3afe102 sets output = None after optimizer.step(); DeepSpeed-Chat's step-1 main.py rebinds
        // outputs only at the next forward; the Trainer's compute_loss returns the loss alone.
        [Theory]
        [InlineData(Framework.FsdpQlora, OutputLifetime.ThroughStep)]
        [InlineData(Framework.DeepSpeedChat, OutputLifetime.UntilNextForward)]
        [InlineData(Framework.HfTrainer, OutputLifetime.UntilLoss)]
        [InlineData(Framework.Litgpt, OutputLifetime.UntilNextForward)]
        public void Loop_keeps_the_output_as_its_source_does(Framework framework, OutputLifetime kept) =>
            Assert.Equal(kept, FrameworkProfiles.Of(framework).OutputKept.Value);

        [Fact]
        public void Fsdp_qlora_adapters_take_the_bf16_storage_dtype() =>
            Assert.True(FrameworkProfiles.Of(Framework.FsdpQlora).AdaptersInComputeDtype.Value);
    
        /// <summary>
        /// litgpt's finetune/lora.py setup (Lightning-AI/litgpt@01fe959): "if devices > 1: if quantize: raise
        /// NotImplementedError('Quantization is currently not supported for multi-GPU training')". QLoRA over one GPU runs.
        /// </summary>
        [Fact]
        public void Litgpt_refuses_a_quantized_base_on_more_than_one_gpu()
        {
            var w = new Workload(VramPS.Engine.Models.ModelCatalog.Default.Get("meta-llama/Llama-2-7b-hf"))
            {
                Method = FinetuneMethod.QLoRA, Framework = Framework.Litgpt, GpuCount = 2, Sharding = Sharding.Zero3,
            };
            var error = Assert.Throws<VramPS.Engine.Errors.InvalidWorkloadException>(() => VramPS.Engine.Estimation.MemoryEstimator.Estimate(w));
            Assert.Equal("GpuCount", error.Parameter);
            Assert.Contains("litgpt", error.Message);
            w.GpuCount = 1;
            w.Sharding = Sharding.None;
            Assert.True(VramPS.Engine.Estimation.MemoryEstimator.Estimate(w).Total > 0);
        }
    }
}
