using VramPS.Engine.Errors;
using VramPS.Engine.Estimation;
using VramPS.Engine.Gpus;
using VramPS.Engine.Planning;
using VramPS.Engine.Tests.Estimation;
using Xunit;

namespace VramPS.Engine.Tests.Planning
{
    /// <summary>Hours, GPU-hours and cost from FLOPs, peak, utilization and price, against the same arithmetic done here.</summary>
    public class TrainingTimeTests
    {
        private static readonly GpuSpec Gpu = new GpuSpec { Name = "test", DenseTflops16 = 1000, PricePerHour = 2, PriceSource = "list" };

        private static Workload Full(int gpus)
        {
            var w = Llama2Fixture.Workload(FinetuneMethod.Full);
            w.GpuCount = gpus;
            w.Sharding = Sharding.Zero3;
            return w;
        }

        [Fact]
        public void Hours_are_the_tokens_FLOPs_over_the_sustained_throughput()
        {
            var w = Full(8);
            var run = TrainingTime.Estimate(w, Gpu, new RunSettings { Tokens = 2_000_000_000, Mfu = 0.5 });
            double flops = new TrainingFlops(w).PerToken;
            double perSecond = 8 * 1000e12 * 0.5 / flops;
            Assert.Equal(perSecond, run.TokensPerSecond, 6);
            Assert.Equal(2e9 / perSecond / 3600, run.Hours, 9);
            Assert.Equal(run.Hours * 8, run.GpuHours, 9);
            Assert.Equal(run.GpuHours * 2, run.Cost!.Value, 9);
            Assert.Equal("list", run.PriceSource);
        }

        [Fact]
        public void Defaults_are_a_billion_tokens_at_40_percent()
        {
            var run = TrainingTime.Estimate(Full(8), Gpu, new RunSettings());
            Assert.Equal(1e9, run.Tokens);
            Assert.Equal(0.4, run.Mfu);
            Assert.Equal(2, run.Assumptions.Count);
        }

        [Fact]
        public void Epochs_multiply_the_dataset_and_a_given_price_wins()
        {
            var run = TrainingTime.Estimate(Full(8), Gpu, new RunSettings { Epochs = 3, DatasetTokens = 1_000_000, PricePerGpuHour = 5 });
            Assert.Equal(3e6, run.Tokens);
            Assert.Equal(5, run.PricePerGpuHour);
            Assert.Equal("-PricePerGpuHour", run.PriceSource);
        }

        [Fact]
        public void A_gpu_without_a_list_price_has_no_cost()
        {
            var unpriced = new GpuSpec { Name = "home", DenseTflops16 = 100, PriceSource = "none" };
            Assert.Null(TrainingTime.Estimate(Full(1), unpriced, new RunSettings()).Cost);
        }

        [Fact]
        public void The_pipeline_bubble_stretches_the_hours()
        {
            var w = Full(4);
            w.Sharding = Sharding.None;
            w.PipelineParallel = 4;
            w.GradientAccumulation = 4;
            var run = TrainingTime.Estimate(w, Gpu, new RunSettings());
            double flops = new TrainingFlops(w).PerToken;
            Assert.Equal(1e9 * flops * (1 + 3 / 4.0) / (4 * 1000e12 * 0.4) / 3600, run.Hours, 9);
        }

        [Theory]
        [InlineData(0L, null, null, null, "Tokens")]
        [InlineData(10L, 2.0, null, null, "Tokens")]
        [InlineData(null, 2.0, null, null, "DatasetTokens")]
        [InlineData(null, null, null, 1.5, "Mfu")]
        public void Bad_settings_name_the_parameter(long? tokens, double? epochs, long? dataset, double? mfu, string parameter)
        {
            var settings = new RunSettings { Tokens = tokens, Epochs = epochs, DatasetTokens = dataset, Mfu = mfu };
            Assert.Equal(parameter, Assert.Throws<InvalidWorkloadException>(() => TrainingTime.Estimate(Full(1), Gpu, settings)).Parameter);
        }
    }
}
