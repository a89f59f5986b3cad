using Newtonsoft.Json;
using Newtonsoft.Json.Converters;

namespace VramPS.Engine.Planning
{
    /// <summary>What a suggested change touches, in the order changes that save as much are offered.</summary>
    [JsonConverter(typeof(StringEnumConverter))]
    public enum SuggestionKind
    {
        /// <summary>A 16-bit format the GPU runs: required where it has no bf16.</summary>
        Precision,
        /// <summary>An 8-bit or paged optimizer: the same work per step.</summary>
        Optimizer,
        /// <summary>A smaller micro-batch with more accumulation: the same tokens per optimizer step.</summary>
        MicroBatch,
        /// <summary>A loss that never holds the full logits (fused linear or chunked cross-entropy): the same training.</summary>
        Loss,
        /// <summary>A higher ZeRO stage over the data-parallel ranks: more communication, the same FLOPs.</summary>
        Sharding,
        /// <summary>Activation checkpointing: recomputed forward work.</summary>
        Checkpointing,
        /// <summary>Optimizer states (and parameters) moved to host memory: transfers over PCIe every step.</summary>
        Offload,
        /// <summary>Unsloth's stack (fast cross-entropy, fused kernels, checkpoints offloaded to the host): the same training, another trainer.</summary>
        Framework,
        /// <summary>Several of the above at once.</summary>
        Combined,
        /// <summary>Shorter sequences: fewer tokens of context per sample, a different training.</summary>
        SequenceLength,
        /// <summary>A lighter fine-tuning method: fewer FLOPs, but different training.</summary>
        Method,
    }
}
