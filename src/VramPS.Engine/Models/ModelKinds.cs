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

    /// <summary>What mixes the tokens in a block (the MLP follows it in every kind).</summary>
    [JsonConverter(typeof(StringEnumConverter))]
    public enum MixerKind
    {
        /// <summary>Softmax attention over the sequence.</summary>
        Attention,
        /// <summary>
        /// Gated DeltaNet linear attention (Qwen3-Next, Qwen3.5): in_proj_qkv, in_proj_z, in_proj_b, in_proj_a (Qwen3-Next
        /// fuses them as in_proj_qkvz and in_proj_ba), a depthwise causal convolution over q, k and v, a gated RMSNorm and
        /// out_proj (transformers models/qwen3_next, models/qwen3_5).
        /// </summary>
        GatedDeltaNet,
        /// <summary>
        /// LFM2's gated short convolution: in_proj to B, C and x, a depthwise causal convolution of B x x, C times it, and
        /// out_proj (transformers models/lfm2 Lfm2ShortConv).
        /// </summary>
        ShortConvolution,
        /// <summary>
        /// Gemma 4's global attention: full (not sliding-window) attention with its own head size (global_head_dim) and
        /// key-value heads (num_global_key_value_heads), and no v_proj where keys serve as values (attention_k_eq_v;
        /// transformers models/gemma4 Gemma4TextAttention).
        /// </summary>
        GlobalAttention,
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
