using System;
using System.Collections.Generic;
using VramPS.Engine.Estimation;

namespace VramPS.Engine.Alignment
{
    /// <summary>
    /// PPO's step as TRL's PPOTrainer runs it (trl/experimental/ppo/ppo_trainer.py). Generation goes
    /// local_rollout_forward_batch_size queries at a time with output_scores=True: the fp32 scores of every generated
    /// token of the whole rollout stay in logitss for the log-probs, and the previous rollout's stay bound to the same
    /// name until batch_generation returns. Scoring runs the reference, the value model and the reward model on the same
    /// chunks with output_hidden_states=True, which keeps every block's output until the output is dropped. The update
    /// trains policy and value model in one forward and backward (PolicyAndValueWrapper); the policy's full-length
    /// logits stay referenced by the output through backward and the optimizer step, until the minibatch's del.
    /// </summary>
    internal static class PpoLayout
    {
        public static List<StagePhase> Phases(StageRecipe s, StageCast cast, out double kvCache)
        {
            var policy = cast.Policy;
            var value = cast.Value ?? throw new InvalidOperationException("PPO's cast has a value model.");
            var reward = cast.Reward ?? throw new InvalidOperationException("PPO's cast has a reward model.");
            int batch = s.Policy.BatchSize;
            int tokens = s.Policy.SequenceLength;
            int completion = s.GenerationLength ?? 0;
            double rollout = s.RolloutBatch ?? 0;
            double chunk = Math.Min(rollout, StageRecipe.RolloutForwardBatch);
            int c = TrainerBehavior.ComputeBytes(s.Policy.Precision);
            double vocab = s.Policy.Model.VocabSize;
            double scores = cast.Engine is null ? rollout * completion * vocab * 4 : 0;

            var generation = RolloutPhases.Generation(s, cast, chunk, out kvCache)
                .Add(cast.PolicyRole, Terms.OtherOnly(2 * scores));
            var phases = new List<StagePhase> { generation };

            var forwards = new List<(ModelRole, Terms)>
            {
                (ModelRole.Reference, cast.ReferenceForward.Run(chunk, tokens, tokens, keepHiddenStates: true)),
                (ModelRole.Value, value.Forward.Run(chunk, tokens, 0, keepHiddenStates: true)),
                (ModelRole.Reward, reward.Forward.Run(chunk, tokens, 0, keepHiddenStates: true)),
            };
            if (cast.Engine != null) forwards.Add((cast.PolicyRole, policy.Forward.Run(chunk, tokens, completion, keepHiddenStates: false)));
            phases.Add(RolloutPhases.Scoring(cast, forwards).Add(cast.PolicyRole, Terms.OtherOnly(scores)));

            int l = LossBuffers.LogitBytes(s.Policy);
            double logits = batch * (double)tokens * vocab * l;
            double logProbs = batch * (double)completion * vocab * l;
            // Where the forward casts its logits to fp32, both copies exist while it casts.
            double forwardEnd = Math.Max(logits + logProbs, l == c ? 0 : batch * (double)tokens * vocab * (c + l));
            foreach (var phase in policy.UpdatePhases)
            {
                var p = cast.Phase(phase)
                    .Add(cast.PolicyRole, policy.At(phase))
                    .Add(ModelRole.Value, value.At(phase))
                    .Add(cast.PolicyRole, Terms.OtherOnly(scores));
                if (phase == Phase.ForwardEnd) p.Add(cast.PolicyRole, Terms.OtherOnly(forwardEnd));
                else if (phase == Phase.BackwardStart) p.Add(cast.PolicyRole, Terms.OtherOnly(2 * logits + logProbs));
                else p.Add(cast.PolicyRole, Terms.OtherOnly(logits));
                phases.Add(p);
            }
            return phases;
        }
    }
}
