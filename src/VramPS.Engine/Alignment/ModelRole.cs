using Newtonsoft.Json;
using Newtonsoft.Json.Converters;

namespace VramPS.Engine.Alignment
{
    /// <summary>What a model does in a training stage.</summary>
    [JsonConverter(typeof(StringEnumConverter))]
    public enum ModelRole
    {
        /// <summary>The model being trained (the user's -Model).</summary>
        Policy,
        /// <summary>The frozen copy of the initial policy whose log-probs anchor the loss (inference only).</summary>
        Reference,
        /// <summary>The reward model: frozen in PPO and GRPO, trained in reward modelling.</summary>
        Reward,
        /// <summary>PPO's value model (critic), trained beside the policy.</summary>
        Value,
        /// <summary>A colocated vLLM engine that generates the rollouts with its own copy of the policy's weights.</summary>
        Rollout,
        /// <summary>The moving-average copy of the policy (DeepSpeed-Chat's and OpenRLHF's EMA), frozen between steps.</summary>
        Ema,
    }
}
