using System.Collections.Generic;
using System.Linq;

namespace VramPS.Engine.Alignment
{
    /// <summary>
    /// The models a stage holds, each with its own memory model: the policy (trained; for reward modelling the reward
    /// model being trained), the reference (a frozen copy, or the policy's base with its adapters disabled, TRL's
    /// null_ref_context / use_adapter), the reward model (frozen, scalar head), PPO's value model (trained beside the
    /// policy in one optimizer, TRL's PolicyAndValueWrapper) and a colocated vLLM engine.
    /// </summary>
    internal sealed class StageCast
    {
        private readonly List<CastMember> _members = new List<CastMember>();

        public StageCast(StageRecipe s, List<string> notes)
        {
            int tokens = s.Policy.SequenceLength;
            var policyWorkload = s.Given.Clone();
            policyWorkload.BatchSize = s.Rows;
            var betweenPhases = s.Profile.OffloadsBetweenPhases.Value ? s.Policy.Offload : Offload.None;
            if (betweenPhases != Offload.None) notes.Add(s.Profile.OffloadsBetweenPhases.Assumption ?? s.Profile.OffloadsBetweenPhases.Source);
            Policy = new TrainedModel(policyWorkload, s.Policy.Profile, betweenPhases);
            PolicyRole = s.Stage == TrainingStage.RewardModel ? ModelRole.Reward : ModelRole.Policy;
            string method = s.Given.Method.ToString();
            _members.Add(new CastMember(PolicyRole, s.ModelName, method));
            notes.AddRange(Policy.Notes);

            if (s.HasReference && s.ReferenceIsCopy)
            {
                Reference = new FrozenModel(s.Given, s.Policy, s.Behavior, s.Given.Model, tokens);
                _members.Add(new CastMember(ModelRole.Reference, s.ModelName, "Frozen"));
            }
            else if (s.HasReference)
            {
                _members.Add(new CastMember(ModelRole.Reference, s.ModelName, "Shared"));
            }
            ReferenceForward = Reference?.Forward ?? Policy.Forward;
            if (s.EmaCopy)
            {
                Ema = new FrozenModel(s.Given, s.Policy, s.Behavior, s.Given.Model, tokens);
                _members.Add(new CastMember(ModelRole.Ema, s.ModelName, "Frozen"));
            }

            if (s.RewardArchitecture != null)
            {
                Reward = new FrozenModel(s.Given, s.Policy, s.Behavior, s.RewardArchitecture, tokens);
                _members.Add(new CastMember(ModelRole.Reward, s.RewardName, "Frozen"));
                if (s.Stage == TrainingStage.Ppo)
                {
                    var valueWorkload = s.Given.WithModel(s.RewardArchitecture);
                    valueWorkload.BatchSize = s.Rows;
                    Value = new TrainedModel(valueWorkload, betweenPhases: betweenPhases);
                    _members.Add(new CastMember(ModelRole.Value, s.RewardName, method));
                    notes.AddRange(Value.Recipe.Assumptions.Except(s.Assumptions).Select(n => "value model: " + n));
                }
            }

            if (s.RolloutFraction is double fraction && s.RolloutGpu != null)
            {
                double completions = s.RolloutBatch ?? 0;
                double prompts = s.Stage == TrainingStage.Grpo ? System.Math.Ceiling(completions / (s.NumGenerations ?? 1)) : completions;
                Engine = new RolloutEngine(s.Original.Model, s.Given.Method == FinetuneMethod.QLoRA, fraction, s.RolloutGpu,
                    s.Policy.Profile, s.RolloutSleep, prompts, completions, s.PromptLength ?? 0, s.GenerationLength ?? 0, notes);
                _members.Add(new CastMember(ModelRole.Rollout, s.ModelName, "vLLM"));
            }
        }


        public TrainedModel Policy { get; }
        public ModelRole PolicyRole { get; }
        /// <summary>The separate reference model; null where there is none or the policy's base serves.</summary>
        public FrozenModel? Reference { get; }
        /// <summary>The forward that computes reference log-probs: the copy's, or the policy's with adapters disabled.</summary>
        public ForwardPass ReferenceForward { get; }
        public FrozenModel? Reward { get; }
        public TrainedModel? Value { get; }
        public RolloutEngine? Engine { get; }
        /// <summary>The moving-average copy of the policy (-EmaCopy).</summary>
        public FrozenModel? Ema { get; }

        /// <summary>A phase holding the frozen models' weights, which stay for the whole run, and what the engine holds then.</summary>
        public StagePhase Phase(Estimation.Phase phase)
        {
            var p = new StagePhase(phase, _members);
            if (Reference != null) p.Add(ModelRole.Reference, Reference.Resident);
            if (Reward != null) p.Add(ModelRole.Reward, Reward.Resident);
            if (Ema != null) p.Add(ModelRole.Ema, Ema.Resident);
            if (Engine != null) p.Add(ModelRole.Rollout, phase == Estimation.Phase.Generation ? Engine.Generating : Engine.Between);
            return p;
        }

        /// <summary>A phase between training steps: the trained models' stored weights and optimizer states as well.</summary>
        public StagePhase BetweenSteps(Estimation.Phase phase)
        {
            var p = Phase(phase).Add(PolicyRole, Policy.Resident);
            if (Value != null) p.Add(ModelRole.Value, Value.Resident);
            return p;
        }
    }
}
