using Newtonsoft.Json;
using Newtonsoft.Json.Converters;

namespace VramPS.Engine.Models
{
    /// <summary>How a transformer block's MLP is built.</summary>
    [JsonConverter(typeof(StringEnumConverter))]
    public enum MlpKind
    {
        /// <summary>Three matrices (gate, up, down): SwiGLU, GeGLU.</summary>
        Gated,
        /// <summary>Two matrices (up, down) with an activation between.</summary>
        Plain,
    }

    /// <summary>The normalization a block uses.</summary>
    [JsonConverter(typeof(StringEnumConverter))]
    public enum NormKind
    {
        /// <summary>RMSNorm: one weight vector.</summary>
        RmsNorm,
        /// <summary>LayerNorm: a weight and a bias vector.</summary>
        LayerNorm,
        /// <summary>LayerNorm without weight or bias (OLMo 1).</summary>
        ParameterFreeLayerNorm,
    }

    /// <summary>How positions enter the model.</summary>
    [JsonConverter(typeof(StringEnumConverter))]
    public enum PositionKind
    {
        Rope,
        Learned,
        Alibi,
    }

    /// <summary>What a linear module of a block does; the activation model keys on it.</summary>
    [JsonConverter(typeof(StringEnumConverter))]
    public enum LinearRole
    {
        /// <summary>Query, key and value projections (fused or not).</summary>
        AttentionInput,
        /// <summary>The attention output projection.</summary>
        AttentionOutput,
        /// <summary>MLP input projections (gate and up, fused or not).</summary>
        MlpInput,
        /// <summary>The MLP down projection.</summary>
        MlpOutput,
        /// <summary>The MoE router.</summary>
        Router,
    }
}
