using Newtonsoft.Json;
using Newtonsoft.Json.Converters;

namespace VramPS.Engine.Planning
{
    /// <summary>What a suggested change touches, in the order changes of equal slowdown are offered.</summary>
    [JsonConverter(typeof(StringEnumConverter))]
    public enum SuggestionKind
    {
        /// <summary>An 8-bit or paged optimizer: the same work per step.</summary>
        Optimizer,
        /// <summary>A smaller micro-batch with more accumulation: the same tokens per optimizer step.</summary>
        MicroBatch,
        /// <summary>A higher ZeRO stage over the data-parallel ranks: more communication, the same FLOPs.</summary>
        Sharding,
        /// <summary>Activation checkpointing: recomputed forward work.</summary>
        Checkpointing,
        /// <summary>Optimizer states (and parameters) moved to host memory: transfers over PCIe every step.</summary>
        Offload,
        /// <summary>Several of the above at once.</summary>
        Combined,
        /// <summary>A lighter fine-tuning method: fewer FLOPs, but different training.</summary>
        Method,
    }
}
