using Newtonsoft.Json;
using Newtonsoft.Json.Converters;

namespace VramPS.Engine.Planning
{
    /// <summary>How Find-GpuFit orders cluster plans.</summary>
    [JsonConverter(typeof(StringEnumConverter))]
    public enum PlanSortOrder
    {
        /// <summary>Cheapest first (plans without a price last), then fastest.</summary>
        Cost,
        /// <summary>Fastest first, then cheapest.</summary>
        Time,
    }
}
