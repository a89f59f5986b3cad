using Newtonsoft.Json;
using Newtonsoft.Json.Converters;

namespace VramPS.Engine.Alignment
{
    /// <summary>The training stage, each as TRL's trainer for it runs a step.</summary>
    [JsonConverter(typeof(StringEnumConverter))]
    public enum TrainingStage
    {
        /// <summary>Supervised fine-tuning (SFTTrainer): one model, next-token loss.</summary>
        Sft,
        /// <summary>Reward modelling (RewardTrainer): the model with a scalar head on chosen and rejected sequences.</summary>
        RewardModel,
        /// <summary>Direct preference optimization (DPOTrainer): policy and frozen reference on chosen and rejected sequences.</summary>
        Dpo,
        /// <summary>Odds-ratio preference optimization (ORPOTrainer): chosen and rejected sequences, no reference.</summary>
        Orpo,
        /// <summary>SimPO (CPOTrainer with loss_type="simpo", cpo_alpha=0): chosen and rejected sequences, no reference.</summary>
        SimPo,
        /// <summary>Kahneman-Tversky optimization (KTOTrainer): unpaired examples, frozen reference, KL sequences.</summary>
        Kto,
        /// <summary>Proximal policy optimization (PPOTrainer): generation, then policy and value model updates against a reward model.</summary>
        Ppo,
        /// <summary>Group relative policy optimization (GRPOTrainer): groups of generations per prompt, no value model.</summary>
        Grpo,
    }
}
