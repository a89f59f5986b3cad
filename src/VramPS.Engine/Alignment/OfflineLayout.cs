using System.Collections.Generic;
using VramPS.Engine.Estimation;

namespace VramPS.Engine.Alignment
{
    /// <summary>
    /// The step of the offline stages, which train on a fixed dataset: reward modelling (RewardTrainer: chosen and
    /// rejected concatenated, a scalar per sequence, no logits), DPO (DPOTrainer: chosen and rejected concatenated by
    /// its collator, then the reference's forward under no_grad while the policy's activations and logits are still
    /// held), ORPO and SimPO (chosen and rejected concatenated, no reference) and KTO (unpaired examples; the reference
    /// scores the batch and the KL sequences one forward after the other).
    /// </summary>
    internal static class OfflineLayout
    {
        public static List<StagePhase> Phases(StageRecipe s, StageCast cast)
        {
            var policy = cast.Policy;
            int c = TrainerBehavior.ComputeBytes(s.Policy.Precision);
            int l = LossBuffers.LogitBytes(s.Policy);
            // A loop that keeps the model outputs (DeepSpeed-Chat's) holds the policy's and the reference's logits through
            // backward and the optimizer step.
            bool heldOutputs = s.Stage == TrainingStage.Dpo && s.HasReference && s.Profile.OutputKept.Value != Frameworks.OutputLifetime.UntilLoss;
            var loss = s.Stage switch
            {
                TrainingStage.RewardModel => new LogitsFootprint(0, 0, 0),
                TrainingStage.Orpo => LossBuffers.Returned(LossBuffers.OddsRatio(l), c, l),
                TrainingStage.SimPo when s.Policy.Profile.SimPoChosenNll.Value => LossBuffers.Returned(LossBuffers.OddsRatio(l), c, l),
                TrainingStage.Dpo when heldOutputs => LossBuffers.Returned(LossBuffers.HeldOutputsLogProbs(l), c, l),
                _ => LossBuffers.Returned(LossBuffers.LogProbs(l), c, l),
            };
            int tokens = s.Policy.SequenceLength;
            double sequenceTokens = s.Rows * (double)tokens;
            bool fused = s.Policy.Has(Techniques.FusedLinearLoss) && LossBuffers.HasFusedLinearLoss(s.Stage);
            double fusedPerToken = LossBuffers.FusedLinearPerToken(c, s.Policy.Model.HiddenSize);
            double perVocab = fused ? 0 : sequenceTokens * s.Policy.Model.VocabSize;
            double hiddenCopies = fused ? sequenceTokens * fusedPerToken : 0;
            // Liger's loss runs after the reference's backbone (dpo_trainer.py _compute_loss_liger), one pair or example per chunk.
            var m = s.Policy.Model;
            double weightPeak = fused ? LossBuffers.FusedLinearWeightPeak(m.VocabSize, m.HiddenSize, policy.HeadBytes, c, (double)s.Rows / s.Policy.BatchSize * tokens) : 0;
            double weightHeld = fused ? LossBuffers.FusedLinearWeightHeld(m.VocabSize, m.HiddenSize, policy.HeadBytes) : 0;

            var phases = new List<StagePhase>();
            foreach (var phase in policy.UpdatePhases)
            {
                var p = cast.Phase(phase).Add(cast.PolicyRole, policy.At(phase));
                if (phase == Phase.ForwardEnd) p.Add(cast.PolicyRole, Terms.OtherOnly(perVocab * loss.ForwardPeak + hiddenCopies + weightPeak));
                if (phase == Phase.BackwardStart) p.Add(cast.PolicyRole, Terms.OtherOnly(perVocab * loss.BackwardPeak + hiddenCopies + weightHeld));
                if (heldOutputs && phase != Phase.ForwardEnd && phase != Phase.BackwardStart) p.Add(cast.PolicyRole, Terms.OtherOnly(perVocab * 2.0 * l));
                phases.Add(p);
                if (phase == Phase.ForwardEnd && s.HasReference)
                {
                    // With the fused loss the reference's backbone returns hidden states, copied contiguous for the loss.
                    var reference = fused
                        ? cast.ReferenceForward.Run(s.Rows, tokens, 0, keepHiddenStates: false) + Terms.OtherOnly(sequenceTokens * fusedPerToken / 2)
                        : cast.ReferenceForward.Run(s.Rows, tokens, tokens, keepHiddenStates: false);
                    phases.Add(cast.Phase(Phase.Scoring)
                        .Add(cast.PolicyRole, policy.At(Phase.ForwardEnd))
                        .Add(cast.PolicyRole, Terms.OtherOnly(perVocab * loss.Held + hiddenCopies))
                        .Add(ModelRole.Reference, reference));
                }
            }
            return phases;
        }
    }
}
