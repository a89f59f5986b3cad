using System.Collections.Generic;
using System.Linq;
using VramPS.Engine.Estimation;

namespace VramPS.Engine.Alignment
{
    /// <summary>
    /// PPO and GRPO as DeepSpeed-Chat, verl and OpenRLHF run them (FrameworkProfile.SequentialPpoUpdates): generate, score
    /// the experience, then update the policy and, for PPO, the value model one after the other, each with its own
    /// optimizer step, so the one not training holds only its weights and optimizer states.
    /// Generation: DeepSpeed-Chat's hybrid engine decodes with the actor's own weights and a KV workspace for the whole
    /// batch at prompt plus answer length (deepspeed/runtime/hybrid_engine.py; "Requested memory" in the step-3 log),
    /// all of the actor gathered under ZeRO-3; a vLLM engine has its pool (RolloutEngine); with the engines on GPUs of
    /// their own (OpenRLHF without --colocate_all_models) the training GPUs do not generate.
    /// Scoring (dschat/rlhf/ppo_trainer.py generate_experience): the policy's and the reference's 16-bit logits of the
    /// whole batch are both held while gather_log_probs log-softmaxes one of them, beside the reward's and value model's
    /// forwards.
    /// Policy update (train_rlhf): the logits stay referenced (actor_prob) beside log_softmax's saved output; at the start
    /// of backward gather's full-size gradient and log_softmax's input gradient join them. Each update phase reports
    /// the larger of the policy's moment and the value model's (both models update one after the other with the same
    /// phases).
    /// </summary>
    internal static class SequentialRlLayout
    {
        public static List<StagePhase> Phases(StageRecipe s, StageCast cast, out double kvCache)
        {
            var policy = cast.Policy;
            int rows = s.Policy.BatchSize;
            int tokens = s.Policy.SequenceLength;
            int c = TrainerBehavior.ComputeBytes(s.Policy.Precision);
            double logits = rows * (double)tokens * s.Policy.Model.VocabSize * c;
            var phases = new List<StagePhase>();

            kvCache = 0;
            if (cast.Engine != null)
            {
                kvCache = cast.Engine.KvCache;
                phases.Add(cast.BetweenSteps(Phase.Generation));
            }
            double workspace = 0;
            if (cast.Engine is null && s.Profile.Generation.Value == RolloutGeneration.HybridEngine)
            {
                workspace = Workspace(s.Policy.Model, s.RolloutBatch ?? 0, (s.PromptLength ?? 0) + (s.GenerationLength ?? 0), c);
                phases.Add(HybridEngine(s, cast, c, workspace, out kvCache));
            }

            // A trained model whose weights are offloaded between phases loads them back for its own forward (verl's
            // compute_log_prob and compute_values); the reference with adapters off is the policy's forward.
            var forwards = new List<(ModelRole, Terms)>
            {
                (cast.PolicyRole, policy.Forward.Run(rows, tokens, 0, keepHiddenStates: false) + policy.LoadedForForward),
            };
            if (s.HasReference)
                forwards.Add((ModelRole.Reference, cast.ReferenceForward.Run(rows, tokens, 0, keepHiddenStates: false) + (cast.Reference is null ? policy.LoadedForForward : default)));
            if (cast.Reward != null) forwards.Add((ModelRole.Reward, cast.Reward.Forward.Run(rows, tokens, 0, keepHiddenStates: false)));
            if (cast.Value != null) forwards.Add((ModelRole.Value, cast.Value.Forward.Run(rows, tokens, 0, keepHiddenStates: false) + cast.Value.LoadedForForward));
            double heldLogits = (s.HasReference ? 2 : 1) * logits;
            phases.Add(RolloutPhases.Scoring(cast, forwards).Add(cast.PolicyRole, Terms.OtherOnly(heldLogits + logits + workspace)));

            var value = cast.Value;
            foreach (var phase in policy.UpdatePhases)
            {
                var p = cast.Phase(phase).Add(cast.PolicyRole, policy.At(phase) + Terms.OtherOnly(workspace));
                if (value != null) p.Add(ModelRole.Value, value.Resident);
                if (phase == Phase.ForwardEnd) p.Add(cast.PolicyRole, Terms.OtherOnly(2 * logits));
                if (phase == Phase.BackwardStart) p.Add(cast.PolicyRole, Terms.OtherOnly(4 * logits));
                // The value model's update reaches the same phase later, beside the policy's resident state; the
                // phase reports the larger of the two moments.
                var critic = value is null || !value.UpdatePhases.Contains(phase) ? null
                    : cast.Phase(phase).Add(ModelRole.Value, value.At(phase)).Add(cast.PolicyRole, policy.Resident + Terms.OtherOnly(workspace));
                phases.Add(critic != null && critic.Memory().Allocated > p.Memory().Allocated ? critic : p);
            }
            return phases;
        }

        /// <summary>
        /// The hybrid engine's inference workspace, allocated at the first generation and kept (--release_inference_cache
        /// off): DeepSpeed's InferenceContext::GenWorkSpace (csrc/transformer/inference/includes/inference_context.h)
        /// sizes it as (activations 10 x heads x padded head size x batch, attention scores batch x heads x max_out_tokens,
        /// keys and values 2 x layers x batch x heads x padded head size) x max_out_tokens elements of the 16-bit dtype,
        /// heads padded to 32, 64 or 128 dimensions. It holds the KV cache, so generation adds only the logits.
        /// </summary>
        public static double Workspace(Models.ModelArchitecture model, double batch, int maxOutTokens, int bytes)
        {
            int head = model.HeadDim;
            int padded = head <= 32 ? 32 : head <= 64 ? 64 : head <= 128 ? 128 : head;
            double width = (double)model.NumHeads * padded;
            double perToken = 10 * width * batch + batch * model.NumHeads * (double)maxOutTokens + 2.0 * model.NumLayers * batch * width;
            return perToken * maxOutTokens * bytes;
        }

        /// <summary>Generation through the hybrid engine: its workspace (held in every phase) and the last step's logits over the actor's weights, all of them gathered under ZeRO-3.</summary>
        private static StagePhase HybridEngine(StageRecipe s, StageCast cast, int c, double workspace, out double kvCache)
        {
            var model = s.Policy.Model;
            double batch = s.RolloutBatch ?? 0;
            kvCache = batch * ((s.PromptLength ?? 0) + (s.GenerationLength ?? 0)) * KvCache.PerToken(model, c, compressedLatent: false);
            double lastLogits = batch * (cast.Policy.Forward.LogitsPerToken + 4.0 * model.VocabSize);
            var p = cast.BetweenSteps(Phase.Generation).Add(cast.PolicyRole, Terms.OtherOnly(workspace + lastLogits));
            if (s.Policy.Sharding == Sharding.Zero3 && s.Policy.GpuCount > 1) p.Add(cast.PolicyRole, Terms.WeightsOnly(cast.Policy.GatheredWeights));
            return p;
        }
    }
}
