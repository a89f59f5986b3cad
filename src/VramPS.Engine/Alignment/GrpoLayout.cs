using System.Collections.Generic;
using VramPS.Engine.Estimation;

namespace VramPS.Engine.Alignment
{
    /// <summary>
    /// GRPO's step as GRPOTrainer runs it (grpo_trainer.py): the whole generation batch (micro-batch x
    /// steps_per_generation completions per GPU) is generated at once, then scored without gradients — the policy's
    /// own log-probs where vLLM sampled them (vllm_importance_sampling_correction), the reference's in micro-batches
    /// when beta is above 0, a reward model over the whole batch in one forward — then each micro-batch updates the
    /// policy with logits for the completion tokens only (logits_to_keep); Unsloth's loss forms them one sequence at a time.
    /// </summary>
    internal static class GrpoLayout
    {
        public static List<StagePhase> Phases(StageRecipe s, StageCast cast, out double kvCache)
        {
            var policy = cast.Policy;
            int batch = s.Policy.BatchSize;
            int tokens = s.Policy.SequenceLength;
            int completion = s.GenerationLength ?? 0;
            var phases = new List<StagePhase> { RolloutPhases.Generation(s, cast, s.RolloutBatch ?? 0, out kvCache) };

            int c = TrainerBehavior.ComputeBytes(s.Policy.Precision);
            bool perSequence = s.Policy.Profile.GrpoLossPerSequence.Value;
            var forwards = new List<(ModelRole, Terms)>();
            if (cast.Engine != null || s.RolloutServer)
            {
                // Unsloth's _get_per_token_logps_and_entropies returns the last hidden states of every position
                // (UNSLOTH_RETURN_HIDDEN_STATES) for its loss to turn into logits one sequence at a time.
                forwards.Add((cast.PolicyRole, perSequence
                    ? policy.Forward.Run(batch, tokens, 0, keepHiddenStates: false) + Terms.OtherOnly(batch * (double)tokens * s.Policy.Model.HiddenSize * c)
                    : policy.Forward.Run(batch, tokens, completion, keepHiddenStates: false)));
            }
            if (s.HasReference) forwards.Add((ModelRole.Reference, cast.ReferenceForward.Run(batch, tokens, completion, keepHiddenStates: false)));
            if (cast.Reward != null) forwards.Add((ModelRole.Reward, cast.Reward.Forward.Run(s.RolloutBatch ?? 0, tokens, 0, keepHiddenStates: false)));
            if (forwards.Count > 0) phases.Add(RolloutPhases.Scoring(cast, forwards));

            int l = LossBuffers.LogitBytes(s.Policy);
            var loss = LossBuffers.Returned(LossBuffers.Completion(l), c, l);
            double completionTokens = batch * (double)completion;
            bool fused = s.Policy.Has(Techniques.FusedLinearLoss);
            double forwardBytes, backwardBytes;
            if (perSequence)
            {
                forwardBytes = LossBuffers.PerSequence(c, s.Policy.Model.HiddenSize, s.Policy.Model.VocabSize, completionTokens, completion);
                backwardBytes = completionTokens * c * (double)s.Policy.Model.HiddenSize;
            }
            else
            {
                var m = s.Policy.Model;
                double hiddenCopies = completionTokens * LossBuffers.FusedLinearPerToken(c, m.HiddenSize);
                forwardBytes = fused ? hiddenCopies + LossBuffers.FusedLinearWeightPeak(m.VocabSize, m.HiddenSize, policy.HeadBytes, c, completion)
                    : completionTokens * m.VocabSize * loss.ForwardPeak;
                backwardBytes = fused ? hiddenCopies + LossBuffers.FusedLinearWeightHeld(m.VocabSize, m.HiddenSize, policy.HeadBytes)
                    : completionTokens * m.VocabSize * loss.BackwardPeak;
            }
            foreach (var phase in policy.UpdatePhases)
            {
                var p = cast.Phase(phase).Add(cast.PolicyRole, policy.At(phase));
                if (phase == Phase.ForwardEnd) p.Add(cast.PolicyRole, Terms.OtherOnly(forwardBytes));
                if (phase == Phase.BackwardStart) p.Add(cast.PolicyRole, Terms.OtherOnly(backwardBytes));
                phases.Add(p);
            }
            return phases;
        }
    }
}
