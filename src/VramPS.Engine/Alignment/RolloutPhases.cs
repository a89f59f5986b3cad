using System.Collections.Generic;
using System.Linq;
using VramPS.Engine.Estimation;

namespace VramPS.Engine.Alignment
{
    /// <summary>
    /// The two moments PPO and GRPO add before their update: generating the rollouts and scoring them. Both happen
    /// between optimizer steps, when the trained models hold their weights and optimizer states but no gradients.
    /// </summary>
    internal static class RolloutPhases
    {
        /// <summary>
        /// Generation by the policy itself (transformers' generate on <paramref name="sequences"/> sequences at once), by
        /// the colocated vLLM engine, whose reservation already holds its cache, or by a vLLM server on other GPUs, while
        /// the training GPU holds only the trained models. Under ZeRO-3, TRL's
        /// unwrap_model_for_generation gathers every trained parameter of the wrapped model for generate
        /// (ds3_gather_for_generation, on by default; for PPO the policy and the value model).
        /// </summary>
        public static StagePhase Generation(StageRecipe s, StageCast cast, double sequences, out double kvCache)
        {
            var p = cast.BetweenSteps(Phase.Generation);
            if (cast.Engine != null)
            {
                kvCache = cast.Engine.KvCache;
                return p;
            }
            if (s.RolloutServer)
            {
                kvCache = 0;
                return p;
            }
            var model = s.Policy.Model;
            int c = TrainerBehavior.ComputeBytes(s.Policy.Precision);
            var generation = new HfGeneration(cast.Policy.Forward, KvCache.PerToken(model, c, compressedLatent: false), model.NumLayers,
                model.VocabSize, sequences, s.PromptLength ?? 0, s.GenerationLength ?? 0);
            kvCache = generation.KvCache;
            p.Add(cast.PolicyRole, generation.Peak);
            if (s.Policy.Sharding == Sharding.Zero3 && s.Policy.GpuCount > 1)
            {
                p.Add(cast.PolicyRole, Terms.WeightsOnly(cast.Policy.GatheredWeights));
                if (cast.Value != null) p.Add(ModelRole.Value, Terms.WeightsOnly(cast.Value.GatheredWeights));
            }
            return p;
        }

        /// <summary>The scoring moment: the largest of the forwards that score the rollout, one after the other.</summary>
        public static StagePhase Scoring(StageCast cast, IReadOnlyList<(ModelRole Role, Terms Forward)> forwards)
        {
            var largest = forwards.OrderByDescending(f => f.Forward.Weights + f.Forward.Activations + f.Forward.Other).First();
            return cast.BetweenSteps(Phase.Scoring).Add(largest.Role, largest.Forward);
        }
    }
}
