using System.Collections.Generic;
using System.Globalization;
using System.Linq;

namespace VramPS.Engine.Alignment
{
    /// <summary>Which stages each alignment setting applies to, and the settings a workload gives that its stage ignores.</summary>
    public static class StageSettings
    {
        /// <summary>The methods Compare-FinetuneMethod compares for an alignment stage: TRL's trainers train a full model or peft adapters.</summary>
        public static IReadOnlyList<FinetuneMethod> DefaultMethods { get; } = new[] { FinetuneMethod.Full, FinetuneMethod.LoRA, FinetuneMethod.QLoRA };

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
            Check(w.VllmMode != null, "VllmMode", TrainingStage.Grpo);
            if (w.RolloutSleep != null && w.RolloutMemoryFraction is null && w.VllmMode != VllmMode.Colocate && (stage == TrainingStage.Ppo || stage == TrainingStage.Grpo))
                messages.Add("-RolloutSleep applies to a colocated vLLM engine (-RolloutMemoryFraction); without one the policy generates itself and it is ignored.");
            Check(w.PrecomputeReferenceLogProbs, "PrecomputeReferenceLogProbs", TrainingStage.Dpo, TrainingStage.Kto);
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
