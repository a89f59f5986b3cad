using Newtonsoft.Json;
using Newtonsoft.Json.Converters;

namespace VramPS.Engine.Alignment
{
    /// <summary>Where a vLLM rollout engine runs (TRL's GRPOConfig.vllm_mode).</summary>
    [JsonConverter(typeof(StringEnumConverter))]
    public enum VllmMode
    {
        /// <summary>In the training process, on the training GPUs, with a share of their memory (-RolloutMemoryFraction).</summary>
        Colocate,
        /// <summary>On GPUs of its own (trl vllm-serve): the training GPUs hold no engine and no KV cache.</summary>
        Server,
    }
}
