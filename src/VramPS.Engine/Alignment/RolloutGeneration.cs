using Newtonsoft.Json;
using Newtonsoft.Json.Converters;

namespace VramPS.Engine.Alignment
{
    /// <summary>How an online stage (PPO, GRPO) generates its rollouts on the training GPUs.</summary>
    [JsonConverter(typeof(StringEnumConverter))]
    public enum RolloutGeneration
    {
        /// <summary>The policy's own transformers generate (TRL without vLLM), or a colocated vLLM engine where one is given.</summary>
        HfGenerate,
        /// <summary>DeepSpeed's hybrid engine: the actor's weights run inference kernels with a KV workspace for the longest sequence; ZeRO-3 gathers them whole.</summary>
        HybridEngine,
        /// <summary>A vLLM or SGLang engine with its own copy of the weights and a gpu_memory_utilization pool.</summary>
        Vllm,
    }
}
