using Newtonsoft.Json;
using Newtonsoft.Json.Converters;

namespace VramPS.Engine.Estimation
{
    /// <summary>The moments of a training step at which memory can peak.</summary>
    [JsonConverter(typeof(StringEnumConverter))]
    public enum Phase
    {
        /// <summary>Loading (and quantizing) the model before the first step.</summary>
        Load,
        /// <summary>End of forward: weights, states and every saved activation, plus the logits and loss.</summary>
        ForwardEnd,
        /// <summary>Start of backward: the loss gradient and the head's gradient while activations are still held.</summary>
        BackwardStart,
        /// <summary>Top block of backward: recomputed activations and gradient transients.</summary>
        BackwardTop,
        /// <summary>End of backward: every gradient held, activations freed.</summary>
        BackwardEnd,
        /// <summary>Optimizer step: weights, gradients, states and the step's temporaries.</summary>
        OptimizerStep,
        /// <summary>Generating rollouts (PPO, GRPO): every model's weights, the KV cache and the sampling buffers.</summary>
        Generation,
        /// <summary>Frozen forwards that score a batch: reference log-probs, rewards, values.</summary>
        Scoring,
    }
}
