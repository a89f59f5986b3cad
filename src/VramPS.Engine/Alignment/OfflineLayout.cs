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
            var loss = s.Stage switch
            {
                TrainingStage.RewardModel => new LogitsFootprint(0, 0, 0),
                TrainingStage.Orpo => LossBuffers.OddsRatio(c),
                _ => LossBuffers.LogProbs(c),
            };
            int tokens = s.Policy.SequenceLength;
            double vocabTokens = s.Rows * (double)tokens * s.Policy.Model.VocabSize;

            var phases = new List<StagePhase>();
            foreach (var phase in policy.UpdatePhases)
            {
                var p = cast.Phase(phase).Add(cast.PolicyRole, policy.At(phase));
                if (phase == Phase.ForwardEnd) p.Add(cast.PolicyRole, Terms.OtherOnly(vocabTokens * loss.ForwardPeak));
                if (phase == Phase.BackwardStart) p.Add(cast.PolicyRole, Terms.OtherOnly(vocabTokens * loss.BackwardPeak));
                phases.Add(p);
                if (phase == Phase.ForwardEnd && s.HasReference)
                {
                    phases.Add(cast.Phase(Phase.Scoring)
                        .Add(cast.PolicyRole, policy.At(Phase.ForwardEnd))
                        .Add(cast.PolicyRole, Terms.OtherOnly(vocabTokens * loss.Held))
                        .Add(ModelRole.Reference, cast.ReferenceForward.Run(s.Rows, tokens, tokens, keepHiddenStates: false)));
                }
            }
            return phases;
        }
    }
}
