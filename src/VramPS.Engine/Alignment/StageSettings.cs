using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using VramPS.Engine.Frameworks;

namespace VramPS.Engine.Alignment
{
    /// <summary>Which stages each alignment setting applies to, and the settings a workload gives that its stage ignores.</summary>
    public static class StageSettings
    {
        /// <summary>The methods Compare-FinetuneMethod compares for an alignment stage: TRL's trainers train a full model or peft adapters.</summary>
        public static IReadOnlyList<FinetuneMethod> DefaultMethods { get; } = new[] { FinetuneMethod.Full, FinetuneMethod.LoRA, FinetuneMethod.QLoRA };

        /// <summary>
        /// Whether -VllmMode places the stage's rollout engine: GRPO's (TRL's vllm_mode), and PPO's where the framework
        /// generates with vLLM engines (OpenRLHF's --train.colocate_all, verl's hybrid engine).
        /// </summary>
        internal static bool TakesVllmMode(TrainingStage stage, FrameworkProfile profile) =>
            stage == TrainingStage.Grpo || (stage == TrainingStage.Ppo && profile.Generation.Value == RolloutGeneration.Vllm);

        /// <summary>Whether -KlCoefficient decides if the stage loads its reference: GRPO's, and PPO's where the framework loads one only for a KL term.</summary>
        internal static bool TakesKlCoefficient(TrainingStage stage, FrameworkProfile profile) =>
            stage == TrainingStage.Grpo || (stage == TrainingStage.Ppo && profile.PpoReferenceOnlyWithKl.Value);

        /// <summary>One message per setting the workload's stage ignores, naming the stages it applies to.</summary>
        public static IReadOnlyList<string> Ignored(Workload w)
        {
            var stage = w.Stage ?? TrainingStage.Sft;
            var messages = new List<string>();
            void Check(bool given, string parameter, params TrainingStage[] stages)
            {
                if (!given || stages.Contains(stage)) return;
                string list = string.Join(" and ", stages.Select(s => s.ToString()));
                messages.Add($"-{parameter} applies to -Stage {list} only; -Stage {stage} ignores it.");
            }

            Check(w.RewardModel != null, "RewardModel", TrainingStage.Ppo, TrainingStage.Grpo);
            Check(w.NumGenerations != null, "NumGenerations", TrainingStage.Grpo);
            Check(w.PromptLength != null, "PromptLength", TrainingStage.Ppo, TrainingStage.Grpo);
            Check(w.GenerationLength != null, "GenerationLength", TrainingStage.Ppo, TrainingStage.Grpo);
            Check(w.RolloutMemoryFraction != null, "RolloutMemoryFraction", TrainingStage.Ppo, TrainingStage.Grpo);
            Check(w.RolloutSleep != null, "RolloutSleep", TrainingStage.Ppo, TrainingStage.Grpo);
            var profile = FrameworkProfiles.Of(w.Framework ?? Framework.HfTrainer);
            if (w.VllmMode != null && (stage == TrainingStage.Ppo || stage == TrainingStage.Grpo) && !TakesVllmMode(stage, profile))
                messages.Add($"-VllmMode applies to -Stage Grpo, and to Ppo where the framework generates with vLLM ({FrameworkProfiles.NamesWhere(p => p.Generation.Value == RolloutGeneration.Vllm)}); -Framework {profile.Name}'s -Stage {stage} ignores it.");
            else if (TakesVllmMode(TrainingStage.Ppo, profile))
                Check(w.VllmMode != null, "VllmMode", TrainingStage.Ppo, TrainingStage.Grpo);
            else
                Check(w.VllmMode != null, "VllmMode", TrainingStage.Grpo);
            bool colocated = w.RolloutMemoryFraction != null || (w.VllmMode == VllmMode.Colocate && TakesVllmMode(stage, profile))
                || (w.VllmMode is null && profile.RolloutFraction.Value != null);
            if (w.RolloutSleep != null && !colocated && (stage == TrainingStage.Ppo || stage == TrainingStage.Grpo))
                messages.Add("-RolloutSleep applies to a vLLM engine colocated with training (-RolloutMemoryFraction, or -VllmMode Colocate); without one it is ignored.");
            Check(w.PrecomputeReferenceLogProbs, "PrecomputeReferenceLogProbs", TrainingStage.Dpo, TrainingStage.Kto);
            if (TakesKlCoefficient(TrainingStage.Ppo, profile))
                Check(w.KlCoefficient != null, "KlCoefficient", TrainingStage.Ppo, TrainingStage.Grpo);
            else
                Check(w.KlCoefficient != null, "KlCoefficient", TrainingStage.Grpo);
            Check(w.EmaCopy, "EmaCopy", TrainingStage.Ppo, TrainingStage.Grpo);

            bool online = stage == TrainingStage.Ppo || stage == TrainingStage.Grpo;
            long prompt = w.PromptLength ?? StageRecipe.PromptTokens;
            long completion = w.GenerationLength ?? (stage == TrainingStage.Grpo ? StageRecipe.GrpoCompletionTokens : StageRecipe.PpoResponseTokens);
            if (online && w.SequenceLength != null && w.SequenceLength != prompt + completion)
            {
                messages.Add(string.Format(CultureInfo.InvariantCulture,
                    "-SequenceLength does not apply to -Stage {0}: its sequences are -PromptLength plus -GenerationLength ({1} tokens).", stage, prompt + completion));
            }
            return messages;
        }
    }
}
