using Newtonsoft.Json;
using Newtonsoft.Json.Converters;

namespace VramPS.Engine
{
    /// <summary>How a pipeline-parallel run orders its micro-batches across the stages.</summary>
    [JsonConverter(typeof(StringEnumConverter))]
    public enum PipelineSchedule
    {
        /// <summary>One forward, one backward (PipeDream-Flush, Megatron-LM's default): stage k holds up to p - k micro-batches.</summary>
        OneFOneB,
        /// <summary>Megatron-LM's interleaved 1F1B: each GPU runs VirtualStages model chunks, for a smaller bubble and more micro-batches in flight.</summary>
        Interleaved,
    }
}
