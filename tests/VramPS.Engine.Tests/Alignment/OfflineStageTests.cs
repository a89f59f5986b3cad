using System.Linq;
using VramPS.Engine.Alignment;
using VramPS.Engine.Estimation;
using Xunit;
using static VramPS.Engine.Tests.Alignment.StageFixture;

namespace VramPS.Engine.Tests.Alignment
{
    /// <summary>Reward modelling, ORPO, SimPO and KTO on Llama-2-7B with 512-token sequences.</summary>
    public class OfflineStageTests
    {
        [Fact]
        public void RewardModellingTrainsAScalarHeadOnBothSequencesOfAPair()
        {
            var e = MemoryEstimator.Estimate(Workload(TrainingStage.RewardModel, FinetuneMethod.Full));

            Assert.Equal(2, e.ForwardBatch);
            Assert.Equal(ScalarHeadParameters, e.Parameters);
            Assert.Equal(new[] { ModelRole.Reward }, e.Models.Select(m => m.Role));
            // No vocabulary logits: one reward per sequence.
            Assert.Equal(0, e.At(Phase.ForwardEnd).Other);
            // Pure bf16 full training binds at the optimizer step at 10 B per parameter.
            Assert.Equal(Phase.OptimizerStep, e.PeakPhase);
            Assert.Equal(10 * ScalarHeadParameters, e.Allocated);
        }

        [Fact]
        public void OrpoAddsTheChosenHalfsCrossEntropyAndHasNoReference()
        {
            var e = MemoryEstimator.Estimate(Workload(TrainingStage.Orpo, FinetuneMethod.LoRA));

            Assert.Equal(2, e.ForwardBatch);
            Assert.Equal(new[] { ModelRole.Policy }, e.Models.Select(m => m.Role));
            Assert.DoesNotContain(e.Phases, p => p.Phase == Phase.Scoring);
            // The fp32 logits (4 B, accelerate's cast under LoRA's autocast), and over the chosen half the loss's
            // contiguous copy and its saved log-softmax (4 B / 2 each).
            Assert.Equal(2 * 512 * V * 8, e.At(Phase.ForwardEnd).Other);
            // Backward: the logits logsumexp saved and their gradient (4 + 4 B), the chosen log-softmax (2 B) and the
            // NLL's half-size gradient (2 B).
            Assert.Equal(2 * 512 * V * 12, e.At(Phase.BackwardStart).Other);
        }

        [Fact]
        public void OrpoHasNoFusedLossInTrlSoItsLogitsStay()
        {
            var w = Workload(TrainingStage.Orpo, FinetuneMethod.LoRA);
            w.Techniques = Techniques.FusedLinearLoss;
            var e = MemoryEstimator.Estimate(w);
            Assert.Equal(2 * 512 * V * 8, e.At(Phase.ForwardEnd).Other);
            Assert.Contains(e.Assumptions, a => a.Contains("no fused linear loss"));
        }

        [Fact]
        public void SimPoThroughTrlsCpoTrainerAddsTheChosenHalfsCrossEntropyAsOrpoDoes()
        {
            // trl/experimental/cpo/cpo_config.py cpo_alpha 1.0: cpo_trainer.py concatenated_forward runs the same
            // cross_entropy_loss over the chosen half as ORPO before the log-probs.
            var e = MemoryEstimator.Estimate(Workload(TrainingStage.SimPo, FinetuneMethod.LoRA));

            Assert.Equal(new[] { ModelRole.Policy }, e.Models.Select(m => m.Role));
            Assert.Equal(2 * 512 * V * 8, e.At(Phase.ForwardEnd).Other);
            Assert.Equal(2 * 512 * V * 12, e.At(Phase.BackwardStart).Other);
        }

        [Fact]
        public void MsSwiftSimPoUnderZero2StepsInSegmentsOfItsOwn()
        {
            // ms-swift's --deepspeed zero2 (swift/llm/ds_config/zero2.json): the step's flat partition blocks (bf16 copy
            // 2 x P / 2 B, more than the forward's largest tensor, its fp32 logits of 2 x 512 x V x 4 B) get new segments
            // beside everything the forward and backward freed and beside the fp64 norm copy of the V x h embedding.
            var w = Workload(TrainingStage.SimPo, FinetuneMethod.Full);
            w.Framework = Framework.MsSwift;
            w.Precision = Precision.Bf16Mixed;
            w.GpuCount = 2;
            w.Sharding = Sharding.Zero2;
            var e = MemoryEstimator.Estimate(w);
            long step = e.At(Phase.OptimizerStep).Allocated;
            long freed = e.Phases.Where(p => p.Phase != Phase.OptimizerStep).Max(p => p.Activations + p.Other);
            Assert.Equal(step + freed + 8 * V * H + L * (1L << 20), e.Reserved);
        }

        [Fact]
        public void LlamaFactorysSimPoKeepsOnlyTheLogProbBuffers()
        {
            // LLaMA-Factory finetuning_args.py pref_ftx 0.0: its simpo loss adds no supervised term. Its Trainer casts
            // the logits to fp32 like TRL's: the bf16 logits beside their fp32 copy while it casts (2 + 4 B).
            var w = Workload(TrainingStage.SimPo, FinetuneMethod.LoRA);
            w.Framework = Framework.LlamaFactory;
            Assert.Equal(2 * 512 * V * 6, MemoryEstimator.Estimate(w).At(Phase.ForwardEnd).Other);
        }

        [Fact]
        public void KtoRunsUnpairedExamplesAndScoresThemWithTheReference()
        {
            var e = MemoryEstimator.Estimate(Workload(TrainingStage.Kto, FinetuneMethod.Full));

            Assert.Equal(1, e.ForwardBatch);
            Assert.Equal(512 * V * 4, e.At(Phase.ForwardEnd).Other);
            var reference = e.Row(ModelRole.Reference);
            Assert.Equal("Frozen", reference.Method);
            var scoring = e.At(Phase.Scoring);
            Assert.Equal(e.At(Phase.ForwardEnd).Activations + 512 * ForwardWorkingPerToken, scoring.Activations);
            Assert.Equal(512 * V * 4 + 2 * 512 * V * 2, scoring.Other);
        }
    }
}
