using System.Linq;
using VramPS.Engine.Alignment;
using VramPS.Engine.Estimation;
using Xunit;
using static VramPS.Engine.Tests.Alignment.StageFixture;

namespace VramPS.Engine.Tests.Alignment
{
    /// <summary>
    /// PPO with LoRA on Llama-2-7B, one 64-token query and a 32-token response per step: TRL's PPOTrainer with a reward
    /// model and a value model of the policy's architecture (scalar heads).
    /// </summary>
    public class PpoStageTests
    {
        private const int Prompt = 64;
        private const int Completion = 32;
        private const long Sequence = Prompt + Completion;
        /// <summary>generate's fp32 scores of every generated token, kept for the log-probs.</summary>
        private const long Scores = 1 * Completion * V * 4;

        private static TrainingMemoryEstimate Ppo()
        {
            var w = Workload(TrainingStage.Ppo, FinetuneMethod.LoRA);
            w.SequenceLength = null;
            w.PromptLength = Prompt;
            w.GenerationLength = Completion;
            return MemoryEstimator.Estimate(w);
        }

        [Fact]
        public void HoldsPolicyReferenceRewardAndValueModels()
        {
            var e = Ppo();

            Assert.Equal(new[] { ModelRole.Policy, ModelRole.Reference, ModelRole.Reward, ModelRole.Value }, e.Models.Select(m => m.Role));
            Assert.Equal("Shared", e.Row(ModelRole.Reference).Method);
            Assert.Equal("Frozen", e.Row(ModelRole.Reward).Method);
            Assert.Equal("LoRA", e.Row(ModelRole.Value).Method);
            Assert.Equal(2 * Adapters, e.TrainableParameters);

            var step = e.At(Phase.OptimizerStep);
            // bf16 bases of policy and value model, their fp32 adapters, the frozen bf16 reward model.
            Assert.Equal(2 * P + 4 * Adapters + 2 * ScalarHeadParameters + 4 * Adapters + 2 * ScalarHeadParameters, step.Weights);
            Assert.Equal(2 * 8 * Adapters, step.OptimizerStates);
        }

        [Fact]
        public void GenerationKeepsEveryStepsScoresOfThisRolloutAndTheLastOne()
        {
            var e = Ppo();

            Assert.Equal(Sequence * KvPerToken, e.KvCache);
            long cache = Sequence * KvPerToken;
            // The last step's logits as accelerate's fp32 copy and generate's fp32 copy of them.
            Assert.Equal(2 * Scores + cache + cache / L + V * (4 + 4), e.At(Phase.Generation).Other);
        }

        [Fact]
        public void ScoringKeepsEveryHiddenStateOfTheLargestForward()
        {
            var e = Ppo();

            var scoring = e.At(Phase.Scoring);
            // The reference (the policy's base, adapters off) is the largest of the three forwards: its fp32 logits for
            // every position (accelerate's cast under LoRA's autocast), one sequence's log-softmax, and
            // output_hidden_states' 33 bf16 hidden states per token.
            Assert.Equal(Sequence * (ForwardWorkingPerToken + (L + 1) * H * 2), scoring.Activations);
            Assert.Equal(Scores + 2 * Sequence * V * 4, scoring.Other);
        }

        [Fact]
        public void TheUpdateTrainsPolicyAndValueModelTogether()
        {
            var e = Ppo();

            var forwardEnd = e.At(Phase.ForwardEnd);
            Assert.Equal(2 * Sequence * CheckpointedPerToken, forwardEnd.Activations);
            // Held scores and the full-length logits while accelerate casts them to fp32 (2 + 4 B), more than the fp32
            // logits and the response's saved log-softmax after it (4 x 96 + 4 x 32 B per vocabulary entry).
            Assert.Equal(Scores + Sequence * V * 6, forwardEnd.Other);
            // The logits' gradient joins in backward; the output keeps the logits through the optimizer step.
            Assert.Equal(Scores + 2 * Sequence * V * 4 + Completion * V * 4, e.At(Phase.BackwardStart).Other);
            // At the step: foreach AdamW's temporaries for both models' fp32 adapters, the scores and the held logits.
            Assert.Equal(2 * 4 * Adapters + Scores + Sequence * V * 4, e.At(Phase.OptimizerStep).Other);
        }

        [Fact]
        public void AVllmEngineReplacesTheKeptScoresWithAPolicyForward()
        {
            var w = Workload(TrainingStage.Ppo, FinetuneMethod.LoRA);
            w.SequenceLength = null;
            w.PromptLength = Prompt;
            w.GenerationLength = Completion;
            w.RolloutMemoryFraction = 0.3;
            w.Gpu = Engine.Gpus.GpuCatalog.Default.Get("H100-SXM");
            var e = MemoryEstimator.Estimate(w);

            Assert.Equal(ModelRole.Rollout, e.Models.Last().Role);
            // No generate scores: the update holds only the full-length logits, here while they are cast to fp32.
            var engine = e.Row(ModelRole.Rollout);
            Assert.Equal(engine.Other + Sequence * V * 6, e.At(Phase.ForwardEnd).Other);
            Assert.Equal(Prompt * KvPerToken + Completion * KvPerToken, e.KvCache);
            Assert.Contains(e.Assumptions, a => a.Contains("OpenRLHF"));
        }

        [Fact]
        public void TheModelRowsAddUpToTheTerms()
        {
            var e = Ppo();

            Assert.InRange(e.Models.Sum(m => m.Weights) - e.Weights, -4, 4);
            Assert.InRange(e.Models.Sum(m => m.Activations) - e.Activations, -4, 4);
            Assert.InRange(e.Models.Sum(m => m.Other) - e.Other, -4, 4);
            Assert.InRange(e.Models.Sum(m => m.Total) - e.Allocated, -20, 20);
        }
    }
}
