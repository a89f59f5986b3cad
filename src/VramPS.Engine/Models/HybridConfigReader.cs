using System.Collections.Generic;
using System.Linq;
using System.Text;

namespace VramPS.Engine.Models
{
    /// <summary>
    /// The config.json of decoders whose blocks differ (<see cref="ModelArchitecture.MixerPattern"/>): Qwen3-Next and
    /// Qwen3.5 (Gated DeltaNet and gated attention; transformers models/qwen3_next, models/qwen3_5) and LFM2 (short
    /// convolutions and attention; models/lfm2). Each block's mixer comes from layer_types (or Qwen's
    /// full_attention_interval, LFM2's full_attn_idxs); the mixers' widths are required, never defaulted.
    /// </summary>
    internal static class HybridConfigReader
    {
        private static readonly Dictionary<string, char> QwenMixers = new Dictionary<string, char>
        {
            ["linear_attention"] = 'D',
            ["full_attention"] = 'A',
        };

        private static readonly Dictionary<string, char> LfmMixers = new Dictionary<string, char>
        {
            ["conv"] = 'C',
            ["full_attention"] = 'A',
        };

        /// <summary>
        /// Qwen3-Next (model_type qwen3_next, a mixture of experts in every block with one gated shared expert) and
        /// Qwen3.5's language model (qwen3_5_text; its blocks are Qwen3-Next's with a dense MLP and unfused projections).
        /// Qwen3NextConfig's defaults: full_attention_interval 4, attn_output_gate on.
        /// </summary>
        public static ModelArchitecture Qwen(string modelType, HfConfigFields c)
        {
            var a = HfConfigReader.Common(modelType, c);
            a.IntermediateSize = c.Int("intermediate_size");
            a.Activation = c.OptionalString("hidden_act") ?? "silu";
            a.QkNorm = true;
            a.AttentionOutputGate = c.OptionalBool("attn_output_gate") ?? true;
            if (c.OptionalBool("attention_bias") == true)
                throw c.Invalid("attention_bias", "VramPS models Qwen's gated attention without biases (attention_bias false).");
            a.PartialRotaryFactor = c.OptionalDouble("partial_rotary_factor")
                ?? c.Nested("rope_parameters")?.OptionalDouble("partial_rotary_factor") ?? 0.25;
            a.LinearKeyHeads = c.Int("linear_num_key_heads");
            a.LinearValueHeads = c.Int("linear_num_value_heads");
            a.LinearKeyHeadDim = c.Int("linear_key_head_dim");
            a.LinearValueHeadDim = c.Int("linear_value_head_dim");
            a.MixerConvKernel = c.Int("linear_conv_kernel_dim");
            var types = c.OptionalStrings("layer_types");
            if (types != null)
            {
                a.MixerPattern = Pattern(c, "layer_types", types, a.NumLayers, QwenMixers);
            }
            else
            {
                int interval = c.OptionalInt("full_attention_interval") ?? 4;
                if (interval < 1) throw c.Invalid("full_attention_interval", $"must be positive; got {interval}.");
                a.MixerPattern = new string('D', interval - 1) + "A";
            }
            if (modelType == "qwen3_next")
            {
                a.Experts = c.Int("num_experts");
                a.ExpertsPerToken = c.Int("num_experts_per_tok");
                a.MoeIntermediateSize = c.Int("moe_intermediate_size");
                if ((c.OptionalInt("decoder_sparse_step") ?? 1) != 1 || c.ArrayLength("mlp_only_layers") > 0)
                    throw c.Invalid("decoder_sparse_step", "VramPS models mixture-of-experts in every layer (decoder_sparse_step 1, no mlp_only_layers).");
                a.SharedExpertIntermediateSize = c.Int("shared_expert_intermediate_size");
                a.SharedExperts = a.SharedExpertIntermediateSize > 0 ? 1 : 0;
                a.SharedExpertGate = a.SharedExperts > 0;
            }
            return a;
        }

        /// <summary>
        /// LFM2 and LFM2.5 (model_type lfm2): Lfm2MLP narrows intermediate_size to 2/3, times block_ffn_dim_multiplier,
        /// rounded up to block_multiple_of, when block_auto_adjust_ff_dim holds (Lfm2Config's defaults: on, 1.0, 256);
        /// q and k are normed (q_layernorm, k_layernorm); embeddings tied unless tie_embedding says otherwise.
        /// </summary>
        public static ModelArchitecture Lfm2(HfConfigFields c)
        {
            var a = HfConfigReader.Common("lfm2", c);
            a.TiedEmbeddings = c.OptionalBool("tie_word_embeddings") ?? c.OptionalBool("tie_embedding") ?? true;
            a.QkNorm = true;
            int width = c.OptionalInt("intermediate_size") ?? c.Int("block_ff_dim");
            if (c.OptionalBool("block_auto_adjust_ff_dim") ?? true)
            {
                width = (int)(2L * width / 3);
                width = (int)((c.OptionalDouble("block_ffn_dim_multiplier") ?? 1.0) * width);
                int multiple = c.OptionalInt("block_multiple_of") ?? 256;
                if (multiple < 1) throw c.Invalid("block_multiple_of", $"must be positive; got {multiple}.");
                width = multiple * ((width + multiple - 1) / multiple);
            }
            a.IntermediateSize = width;
            if (c.OptionalBool("conv_bias") == true)
                throw c.Invalid("conv_bias", "VramPS models LFM2's short convolutions without biases (conv_bias false).");
            a.MixerConvKernel = c.Int("conv_L_cache");
            var types = c.OptionalStrings("layer_types");
            if (types != null)
            {
                a.MixerPattern = Pattern(c, "layer_types", types, a.NumLayers, LfmMixers);
            }
            else
            {
                var full = c.OptionalInts("full_attn_idxs") ?? throw c.Invalid("layer_types", "is missing (and so is full_attn_idxs): which blocks attend cannot be known.");
                var letters = Enumerable.Repeat("conv", a.NumLayers).ToArray();
                foreach (int i in full)
                {
                    if (i >= a.NumLayers) throw c.Invalid("full_attn_idxs", $"names block {i}, past num_hidden_layers ({a.NumLayers}).");
                    letters[i] = "full_attention";
                }
                a.MixerPattern = Pattern(c, "full_attn_idxs", letters, a.NumLayers, LfmMixers);
            }
            return a;
        }

        /// <summary>One pattern letter per block from a layer_types list, which must name every block.</summary>
        internal static string Pattern(HfConfigFields c, string field, string[] types, int layers, Dictionary<string, char> mixers)
        {
            if (types.Length != layers)
                throw c.Invalid(field, $"names {types.Length} blocks; num_hidden_layers is {layers}.");
            var pattern = new StringBuilder(types.Length);
            foreach (string type in types)
            {
                if (!mixers.TryGetValue(type, out char letter))
                    throw c.Invalid(field, $"'{type}' is not a block VramPS models for this model type. Allowed: {string.Join(", ", mixers.Keys)}.");
                pattern.Append(letter);
            }
            return pattern.ToString();
        }
    }
}
