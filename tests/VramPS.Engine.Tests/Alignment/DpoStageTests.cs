using System.Linq;
using VramPS.Engine.Alignment;
using VramPS.Engine.Estimation;
using Xunit;
using static VramPS.Engine.Tests.Alignment.StageFixture;

namespace VramPS.Engine.Tests.Alignment
{
    /// <summary>
    /// DPO on Llama-2-7B, 1 pair of 512 tokens: DPOTrainer's collator concatenates chosen and rejected (2 sequences per
    /// forward); the reference runs under no_grad after the policy's forward, while the policy's saved activations and
    /// its fp32 logits (accelerate's cast under LoRA's autocast), which logsumexp saves, are still held (4 bytes per
    /// vocabulary entry per token).
    /// </summary>
    public class DpoStageTests
    {
        private const long Tokens = 2 * 512;

        [Fact]
        public void LoraDpoRunsTheDoubledBatchAndReusesTheBaseAsReference()
        {
            var e = MemoryEstimator.Estimate(Workload(TrainingStage.Dpo, FinetuneMethod.LoRA));

            Assert.Equal(TrainingStage.Dpo, e.Stage);
            Assert.Equal(1, e.BatchSize);
            Assert.Equal(2, e.ForwardBatch);
            Assert.Equal(new[] { ModelRole.Policy, ModelRole.Reference }, e.Models.Select(m => m.Role));
            Assert.Equal("Shared", e.Row(ModelRole.Reference).Method);

            var forwardEnd = e.At(Phase.ForwardEnd);
            Assert.Equal(2 * P + 4 * Adapters, forwardEnd.Weights);
            Assert.Equal(8 * Adapters, forwardEnd.OptimizerStates);
            Assert.Equal(Tokens * CheckpointedPerToken, forwardEnd.Activations);
            // The bf16 logits beside accelerate's fp32 copy of them while it casts (2 + 4 B).
            Assert.Equal(Tokens * V * 6, forwardEnd.Other);
        }

        [Fact]
        public void TheReferenceForwardBindsOnTopOfTheHeldPolicyForward()
        {
            var e = MemoryEstimator.Estimate(Workload(TrainingStage.Dpo, FinetuneMethod.LoRA));

            var scoring = e.At(Phase.Scoring);
            Assert.Equal(Phase.Scoring, e.PeakPhase);
            // No second copy of the weights: the reference is the base with its adapters disabled.
            Assert.Equal(2 * P + 4 * Adapters, scoring.Weights);
            Assert.Equal(Tokens * CheckpointedPerToken + Tokens * ForwardWorkingPerToken, scoring.Activations);
            // The held fp32 policy logits (4 B), and the reference's logits for both sequences while they are cast
            // (2 + 4 B each; afterwards their fp32 copies and one sequence's logsumexp working set, 3 x 4 B, no more).
            Assert.Equal(Tokens * V * 4 + 2 * 512 * V * 6, scoring.Other);

            var reference = e.Row(ModelRole.Reference);
            Assert.Equal(0, reference.Weights);
            Assert.Equal(Tokens * ForwardWorkingPerToken, reference.Activations);
            Assert.Equal(2 * 512 * V * 6, reference.Other);
        }

        [Fact]
        public void FullDpoHoldsAFrozenCopyOfThePolicyInEveryPhase()
        {
            var e = MemoryEstimator.Estimate(Workload(TrainingStage.Dpo, FinetuneMethod.Full));

            Assert.Equal("Frozen", e.Row(ModelRole.Reference).Method);
            Assert.Equal(2 * P, e.Row(ModelRole.Reference).Weights);
            var sft = Workload(TrainingStage.Sft, FinetuneMethod.Full);
            // The optimizer step of pure bf16 full fine-tuning (10 B per parameter) plus the reference's 2 B.
            Assert.Equal(10 * P + 2 * P, e.At(Phase.OptimizerStep).Allocated);
            Assert.Equal(10 * P, MemoryEstimator.Estimate(sft).At(Phase.OptimizerStep).Allocated);
        }

        [Fact]
        public void PrecomputedReferenceLogProbsRemoveTheReference()
        {
            var w = Workload(TrainingStage.Dpo, FinetuneMethod.Full);
            w.PrecomputeReferenceLogProbs = true;
            var e = MemoryEstimator.Estimate(w);

            Assert.Equal(new[] { ModelRole.Policy }, e.Models.Select(m => m.Role));
            Assert.DoesNotContain(e.Phases, p => p.Phase == Phase.Scoring);
            Assert.Equal(10 * P, e.At(Phase.OptimizerStep).Allocated);
            Assert.Contains(e.Assumptions, a => a.Contains("precompute_ref_log_probs"));
        }

        [Fact]
        public void OnlyDeepSpeedsEngineLeavesTheLogitsInBf16()
        {
            // huggingface/accelerate@12d38f0 accelerator.py: native_amp (autocast plus convert_outputs_to_fp32) is on for
            // a bf16 run unless DeepSpeed or Megatron-LM runs the model; ms-swift's -Sharding is its --deepspeed config,
            // the HF Trainer's is accelerate's FSDP.
            var w = Workload(TrainingStage.Dpo, FinetuneMethod.LoRA);
            w.Framework = Framework.MsSwift;
            // One GPU without DeepSpeed: the bf16 logits beside their fp32 copy while accelerate casts them (2 + 4 B).
            Assert.Equal(Tokens * V * 6, MemoryEstimator.Estimate(w).At(Phase.ForwardEnd).Other);

            w.GpuCount = 2;
            w.Sharding = Sharding.Zero2;
            // Under DeepSpeed: bf16 logits and their per-sequence log-softmax (2 + 2 B), held while the reference scores.
            var zero = MemoryEstimator.Estimate(w);
            Assert.Equal(Tokens * V * 4, zero.At(Phase.ForwardEnd).Other);
            Assert.Equal(Tokens * V * 4 + (2 + 1) * 512 * V * 2, zero.At(Phase.Scoring).Other);

            w.Framework = Framework.HfTrainer;
            Assert.Equal(Tokens * V * 6, MemoryEstimator.Estimate(w).At(Phase.ForwardEnd).Other);
        }

        [Fact]
        public void LigersFusedLossNeverMaterializesTheLogits()
        {
            var w = Workload(TrainingStage.Dpo, FinetuneMethod.LoRA);
            w.Techniques = Techniques.FusedLinearLoss;
            var e = MemoryEstimator.Estimate(w);

            // The contiguous copy of the last hidden states and its gradient, bf16, per token; no logits of the whole
            // batch. Liger-Kernel@0a62700 fused_linear_preference.py: grad_weight = zeros_like(weight) and the chunk's
            // own weight gradient, V x h bf16 each, and one chosen and rejected pair's logits and their gradient (2 + 2 B).
            Assert.Equal(Tokens * 2 * 2 * H + 2 * V * H * 2 + Tokens * V * (2 + 2), e.At(Phase.ForwardEnd).Other);
            // Backward starts from what the loss saved: the hidden states' gradient and the accumulated weight gradient.
            Assert.Equal(Tokens * 2 * 2 * H + V * H * 2, e.At(Phase.BackwardStart).Other);
            // The reference's backbone adds its own hidden-state copy, and no logits.
            Assert.Equal(Tokens * 2 * 2 * H + Tokens * 2 * H, e.At(Phase.Scoring).Other);
        }

        [Fact]
        public void TheDefaultSequenceIsTrlsMaxLengthAndCheckpointingIsOn()
        {
            var w = Workload(TrainingStage.Dpo, FinetuneMethod.LoRA);
            w.SequenceLength = null;
            w.Checkpointing = null;
            var e = MemoryEstimator.Estimate(w);

            Assert.Equal(1024, e.SequenceLength);
            Assert.Equal(Checkpointing.Full, e.Checkpointing);
            Assert.Equal(2 * 1024 * CheckpointedPerToken, e.At(Phase.ForwardEnd).Activations);
        }
    }
}
