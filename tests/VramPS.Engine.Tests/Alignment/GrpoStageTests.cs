using System.Linq;
using VramPS.Engine.Alignment;
using VramPS.Engine.Estimation;
using VramPS.Engine.Gpus;
using Xunit;
using static VramPS.Engine.Tests.Alignment.StageFixture;

namespace VramPS.Engine.Tests.Alignment
{
    /// <summary>
    /// GRPO with LoRA on Llama-2-7B: 64-token prompts, 128 generated tokens, the default group of 8 completions as the
    /// micro-batch, so one generation round of 8 sequences of 192 tokens per GPU.
    /// </summary>
    public class GrpoStageTests
    {
        private const int Prompt = 64;
        private const int Completion = 128;
        private const long Sequence = Prompt + Completion;

        private static Workload Grpo(FinetuneMethod method = FinetuneMethod.LoRA)
        {
            var w = Workload(TrainingStage.Grpo, method);
            w.BatchSize = null;
            w.SequenceLength = null;
            w.PromptLength = Prompt;
            w.GenerationLength = Completion;
            return w;
        }

        [Fact]
        public void GeneratesTheWholeGroupWithTheModelsOwnKvCache()
        {
            var e = MemoryEstimator.Estimate(Grpo());

            Assert.Equal(8, e.NumGenerations);
            Assert.Equal(8, e.BatchSize);
            Assert.Equal(8, e.RolloutBatch);
            Assert.Equal(Sequence, e.SequenceLength);
            Assert.Equal(8 * Sequence * KvPerToken, e.KvCache);
            // TRL's default beta is 0 and no -RewardModel was given: the policy alone.
            Assert.Equal(new[] { ModelRole.Policy }, e.Models.Select(m => m.Role));
            Assert.DoesNotContain(e.Phases, p => p.Phase == Phase.Scoring);

            var generation = e.At(Phase.Generation);
            Assert.Equal(2 * P + 4 * Adapters, generation.Weights);
            Assert.Equal(0, generation.Gradients);
            // The last decoding step: the whole cache, one layer's cache again for torch.cat, the last logits as
            // accelerate's fp32 copy and generate's fp32 copy of those; one token per sequence through a block.
            long cache = 8 * Sequence * KvPerToken;
            Assert.Equal(cache + cache / L + 8 * V * (4 + 4), generation.Other);
            Assert.Equal(8 * ForwardWorkingPerToken, generation.Activations);
        }

        [Fact]
        public void UpdatesWithLogitsForTheCompletionOnly()
        {
            var e = MemoryEstimator.Estimate(Grpo());

            var forwardEnd = e.At(Phase.ForwardEnd);
            Assert.Equal(8 * Sequence * CheckpointedPerToken, forwardEnd.Activations);
            // The completion's bf16 logits beside accelerate's fp32 copy while it casts (2 + 4 B); backward holds the fp32
            // logits logsumexp saved and their gradient (4 + 4 B).
            Assert.Equal(8 * Completion * V * 6, forwardEnd.Other);
            Assert.Equal(8 * Completion * V * 8, e.At(Phase.BackwardStart).Other);
        }

        [Fact]
        public void LigersFusedLossReplacesTheCompletionLogits()
        {
            var w = Grpo();
            w.Techniques = Techniques.FusedLinearLoss;
            var e = MemoryEstimator.Estimate(w);
            // The completion's hidden-state copy and its gradient (bf16), Liger-Kernel@0a62700 fused_linear_ppo.py's
            // grad_weight accumulator and one chunk's weight gradient (V x h bf16 each; the frozen head's gradient is
            // computed all the same), and one sequence's completion logits and their gradient (2 + 2 B).
            Assert.Equal(8 * Completion * 2 * 2 * H + 2 * V * H * 2 + Completion * V * (2 + 2), e.At(Phase.ForwardEnd).Other);
            Assert.Equal(8 * Completion * 2 * 2 * H + V * H * 2, e.At(Phase.BackwardStart).Other);
        }

        [Fact]
        public void LigersWeightAccumulatorTakesTheUnquantizedHeadsDtype()
        {
            // transformers keeps lm_head out of bitsandbytes (integrations/bitsandbytes.py get_keys_to_not_convert) and
            // TRL's GRPO prepares no k-bit training, so the head stays bf16 and so does zeros_like(weight): V x h x 2 B.
            var w = Grpo(FinetuneMethod.QLoRA);
            w.Techniques = Techniques.FusedLinearLoss;
            var e = MemoryEstimator.Estimate(w);
            Assert.Equal(8 * Completion * 2 * 2 * H + V * H * 2, e.At(Phase.BackwardStart).Other);
        }

        [Fact]
        public void AKlCoefficientAddsTheReferenceForward()
        {
            var w = Grpo();
            w.KlCoefficient = 0.04;
            var e = MemoryEstimator.Estimate(w);

            Assert.Equal("Shared", e.Row(ModelRole.Reference).Method);
            var scoring = e.At(Phase.Scoring);
            Assert.Equal(2 * P + 4 * Adapters, scoring.Weights);
            Assert.Equal(8 * Sequence * ForwardWorkingPerToken, scoring.Activations);
            // The reference's completion logits for all 8 sequences while accelerate casts them (2 + 4 B).
            Assert.Equal(8 * Completion * V * 6, scoring.Other);

            w.Method = FinetuneMethod.Full;
            Assert.Equal(2 * P, MemoryEstimator.Estimate(w).Row(ModelRole.Reference).Weights);
        }

        [Fact]
        public void AColocatedVllmEngineTakesItsShareOfTheGpu()
        {
            var w = Grpo();
            w.RolloutMemoryFraction = 0.3;
            w.Gpu = GpuCatalog.Default.Get("H100-SXM");
            var e = MemoryEstimator.Estimate(w);

            var engine = e.Row(ModelRole.Rollout);
            double reservation = 0.3 * w.Gpu.MemoryBytes;
            Assert.Equal(2 * P, engine.Weights);
            Assert.InRange(engine.Other - (reservation - 2 * P), -1, 1);
            // Prefix caching stores the group's prompt once: 1 prompt of 64 tokens and 8 completions of 128.
            Assert.Equal((1 * Prompt + 8 * Completion) * KvPerToken, e.KvCache);
            // vLLM's sampling log-probs are corrected against the policy's own, so the policy scores the batch.
            Assert.Contains(e.Phases, p => p.Phase == Phase.Scoring);
            Assert.All(e.Phases, p => Assert.True(p.Other >= engine.Other));
        }

        [Fact]
        public void ARewardModelScoresTheWholeGenerationBatchAtOnce()
        {
            var w = Grpo();
            w.RewardModel = w.Model;
            w.RewardModelName = "meta-llama/Llama-2-7b-hf";
            var e = MemoryEstimator.Estimate(w);

            var reward = e.Row(ModelRole.Reward);
            Assert.Equal("Frozen", reward.Method);
            var scoring = e.At(Phase.Scoring);
            Assert.Equal(2 * P + 4 * Adapters + 2 * ScalarHeadParameters, scoring.Weights);
            Assert.Equal(8 * Sequence * ForwardWorkingPerToken, scoring.Activations);
            Assert.Equal(0, scoring.Other);
        }

        [Fact]
        public void ZeroThreeGathersThePolicyForGeneration()
        {
            var w = Grpo(FinetuneMethod.Full);
            w.GpuCount = 4;
            w.Sharding = Sharding.Zero3;
            var e = MemoryEstimator.Estimate(w);

            Assert.Equal(e.At(Phase.OptimizerStep).Weights + 2 * P, e.At(Phase.Generation).Weights);
        }
    }
}
