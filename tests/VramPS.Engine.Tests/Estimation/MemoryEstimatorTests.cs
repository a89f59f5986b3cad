using System.Linq;
using VramPS.Engine.Estimation;
using Xunit;

namespace VramPS.Engine.Tests.Estimation
{
    /// <summary>
    /// Each memory term of a hand-worked Llama-2-7B example, per method. Expected values are derived here from the
    /// formulas in ../shared/ESTIMATION.md (bytes per parameter by recipe, saved tensors per token), not from output.
    /// </summary>
    public class MemoryEstimatorTests
    {
        private const long P = Llama2Fixture.Parameters;
        private const long H = Llama2Fixture.Hidden;
        private const long I = Llama2Fixture.Intermediate;
        private const long L = Llama2Fixture.Layers;
        private const long V = Llama2Fixture.Vocab;
        private const long Tokens = 512;

        [Fact]
        public void ParameterCountMatchesThePublishedCount()
        {
            Assert.Equal(P, Llama2Fixture.Model().TotalParameters);
        }

        [Fact]
        public void PureBf16FullFineTuneBindsAtTheOptimizerStepAtTenBytesPerParameter()
        {
            var e = MemoryEstimator.Estimate(Llama2Fixture.Workload(FinetuneMethod.Full));

            // bf16 weights (2) + bf16 gradients (2) + AdamW m and v in bf16 (4) + foreach sqrt temporary (2).
            Assert.Equal(Phase.OptimizerStep, e.PeakPhase);
            Assert.Equal(2 * P, e.Weights);
            Assert.Equal(2 * P, e.Gradients);
            Assert.Equal(4 * P, e.OptimizerStates);
            Assert.Equal(0, e.Activations);
            Assert.Equal(2 * P, e.Other);
            Assert.Equal(10 * P, e.Allocated);
            Assert.Equal(P, e.TrainableParameters);
        }

        [Fact]
        public void MixedPrecisionFullFineTuneHoldsFp32MasterWeightsGradientsAndStates()
        {
            var w = Llama2Fixture.Workload(FinetuneMethod.Full);
            w.Precision = Precision.Bf16Mixed;
            var e = MemoryEstimator.Estimate(w);

            // fp32 weights (4) + fp32 gradients (4) + fp32 m and v (8) + fp32 temporary (4) = 20 B per parameter.
            Assert.Equal(Phase.OptimizerStep, e.PeakPhase);
            Assert.Equal(20 * P, e.Allocated);
        }

        [Fact]
        public void LoraOnQueryAndValueBindsAtTheEndOfForward()
        {
            var w = Llama2Fixture.Workload(FinetuneMethod.LoRA);
            w.LoraRank = 8;
            w.LoraTargets = new[] { "q_proj", "v_proj" };
            var e = MemoryEstimator.Estimate(w);

            long adapters = L * 8 * ((H + H) + (H + H));
            Assert.Equal(adapters, e.TrainableParameters);
            // bf16 base, fp32 adapters (peft), AdamW states in fp32 for the adapters.
            Assert.Equal(2 * P + 4 * adapters, e.Weights);
            Assert.Equal(8 * adapters, e.OptimizerStates);
            Assert.Equal(0, e.Gradients);

            // Checkpointed block inputs in bf16, the final norm's fp32 input copy, per token.
            long activations = Tokens * (L * 2 * H + 4 * H);
            Assert.Equal(activations, e.Activations);
            // transformers 4.46-4.49: bf16 logits, fp32 copy, shifted fp32 copy, fp32 log-softmax = 14 B per vocabulary entry.
            Assert.Equal(Tokens * V * 14, e.Other);
            Assert.Equal(Phase.ForwardEnd, e.PeakPhase);
            Assert.Equal(e.Weights + e.OptimizerStates + activations + Tokens * V * 14, e.Allocated);
        }

        [Fact]
        public void QloraQuantizesBlockLinearsAndUpcastsTheRestUnderTrl()
        {
            var w = Llama2Fixture.Workload(FinetuneMethod.QLoRA);
            w.LoraRank = 8;
            w.LoraTargets = new[] { "q_proj", "v_proj" };
            var e = MemoryEstimator.Estimate(w);

            long adapters = L * 8 * 4 * H;
            double nf4 = 4 + 8.0 / 64 + 32.0 / (64 * 256);
            long notQuantized = P - Llama2Fixture.BlockLinear;
            long expected = (long)System.Math.Round(Llama2Fixture.BlockLinear * nf4 / 8 + notQuantized * 4.0 + adapters * 4.0);
            Assert.Equal(expected, e.Weights);
            Assert.Equal(262_410_240, notQuantized);
        }

        [Fact]
        public void FreezeTrainsOnlyTheLastBlocks()
        {
            var w = Llama2Fixture.Workload(FinetuneMethod.Freeze);
            w.TrainableLayers = 2;
            var e = MemoryEstimator.Estimate(w);

            long perLayer = 4 * H * H + 3 * H * I + 2 * H;
            Assert.Equal(2 * perLayer, e.TrainableParameters);
            Assert.Equal(2 * P, e.Weights);
        }

        [Fact]
        public void ZeroThreeDividesEveryModelStateTermByTheGpuCount()
        {
            var w = Llama2Fixture.Workload(FinetuneMethod.Full);
            w.GpuCount = 4;
            w.Sharding = Sharding.Zero3;
            var e = MemoryEstimator.Estimate(w);

            // ZeRO paper, stage 3: (2 + 2 + K) * P / N with K = 4 (bf16 AdamW) plus the foreach temporary 2 * P / N.
            Assert.Equal(Phase.OptimizerStep, e.PeakPhase);
            Assert.Equal(10 * P / 4, e.Allocated);
        }

        [Fact]
        public void ZeroTwoKeepsWeightsWhole()
        {
            var w = Llama2Fixture.Workload(FinetuneMethod.Full);
            w.GpuCount = 4;
            w.Sharding = Sharding.Zero2;
            var e = MemoryEstimator.Estimate(w);
            var step = e.Phases.Single(x => x.Phase == Phase.OptimizerStep);

            // ZeRO paper, stage 2: 2 * P + (2 + K) * P / N, here with the temporary sharded with the states.
            Assert.Equal(2 * P, step.Weights);
            Assert.Equal(2 * P / 4, step.Gradients);
            Assert.Equal(4 * P / 4, step.OptimizerStates);
        }

        [Fact]
        public void PeakIsTheLargestPhaseAndReservedAndTotalAreOrdered()
        {
            var e = MemoryEstimator.Estimate(Llama2Fixture.Workload(FinetuneMethod.LoRA));
            Assert.Equal(e.Phases.Max(x => x.Allocated), e.Allocated);
            Assert.True(e.Allocated <= e.Reserved && e.Reserved < e.Total);
            Assert.Equal(e.Weights + e.Gradients + e.OptimizerStates + e.Activations + e.Other, e.Allocated);
        }

        [Fact]
        public void PagedOptimizerStatesAreOutsideAllocatedButInTotal()
        {
            var w = Llama2Fixture.Workload(FinetuneMethod.Full);
            w.Optimizer = OptimizerKind.PagedAdamW;
            var e = MemoryEstimator.Estimate(w);
            Assert.Equal(0, e.OptimizerStates);
            Assert.True(e.Total - e.Reserved >= 4 * P);
        }
    }
}
