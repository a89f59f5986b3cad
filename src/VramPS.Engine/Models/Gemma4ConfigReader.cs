using System.Collections.Generic;

namespace VramPS.Engine.Models
{
    /// <summary>
    /// Gemma 4's config.json (model_type gemma4; transformers models/gemma4 Gemma4Config): the language model under
    /// text_config, the ViT under vision_config, the audio encoder under audio_config (E2B and E4B; null on the others).
    /// Every width that shapes a parameter is required; where Gemma4TextConfig falls back (num_global_key_value_heads to
    /// num_key_value_heads, no per-layer inputs, no experts, no shared key-value layers) the reader does the same.
    /// </summary>
    internal static class Gemma4ConfigReader
    {
        private static readonly Dictionary<string, char> Mixers = new Dictionary<string, char>
        {
            ["sliding_attention"] = 'A',
            ["full_attention"] = 'G',
        };

        public static ModelArchitecture Read(HfConfigFields c)
        {
            var t = c.Nested("text_config") ?? throw c.Invalid("text_config", "is missing.");
            var a = Text(t);
            a.TiedEmbeddings = c.OptionalBool("tie_word_embeddings") ?? a.TiedEmbeddings;
            Vision(a, c.Nested("vision_config") ?? throw c.Invalid("vision_config", "is missing."));
            var audio = c.Nested("audio_config");
            if (audio != null) Audio(a, audio);
            return a;
        }

        private static ModelArchitecture Text(HfConfigFields t)
        {
            int heads = t.Int("num_attention_heads");
            int kvHeads = t.OptionalPositiveInt("num_key_value_heads") ?? t.Int("num_key_value_heads");
            var a = new ModelArchitecture
            {
                ModelType = "gemma4",
                HiddenSize = t.Int("hidden_size"),
                IntermediateSize = t.Int("intermediate_size"),
                NumLayers = t.Int("num_hidden_layers"),
                NumHeads = heads,
                NumKvHeads = kvHeads,
                HeadDim = t.Int("head_dim"),
                VocabSize = t.Int("vocab_size"),
                TiedEmbeddings = t.OptionalBool("tie_word_embeddings") ?? true,
                Activation = t.OptionalString("hidden_activation") ?? "gelu_pytorch_tanh",
                NormsPerLayer = 4,
                QkNorm = true,
                FinalLogitSoftcap = t.OptionalDouble("final_logit_softcapping") ?? 0,
                SlidingWindow = t.Int("sliding_window"),
                MaxPositions = t.OptionalInt("max_position_embeddings") ?? 0,
                GlobalHeadDim = t.Int("global_head_dim"),
                GlobalKvHeads = t.OptionalInt("num_global_key_value_heads") ?? kvHeads,
                GlobalKeysAsValues = t.OptionalBool("attention_k_eq_v") ?? false,
            };
            if (t.OptionalBool("attention_bias") == true)
                throw t.Invalid("attention_bias", "VramPS models Gemma 4's attention without biases (attention_bias false).");
            var types = t.OptionalStrings("layer_types") ?? throw t.Invalid("layer_types", "is missing: which blocks attend globally cannot be known.");
            a.MixerPattern = HybridConfigReader.Pattern(t, "layer_types", types, a.NumLayers, Mixers);
            if (t.OptionalBool("use_double_wide_mlp") == true)
                a.DoubleWideMlpLayers = t.OptionalInt("num_kv_shared_layers") ?? 0;
            a.PerLayerInputSize = t.OptionalInt("hidden_size_per_layer_input") ?? 0;
            if (a.PerLayerInputSize > 0) a.PerLayerVocabSize = t.Int("vocab_size_per_layer_input");
            if (t.OptionalBool("enable_moe_block") == true)
            {
                // Gemma4TextDecoderLayer: the dense MLP (intermediate_size) runs beside the routed experts, counted as one
                // shared expert; the experts are 3-D parameters (experts.gate_up_proj, experts.down_proj).
                a.Experts = t.Int("num_experts");
                a.ExpertsPerToken = t.Int("top_k_experts");
                a.MoeIntermediateSize = t.Int("moe_intermediate_size");
                a.FusedExperts = true;
                a.SharedExperts = 1;
                a.SharedExpertIntermediateSize = a.IntermediateSize;
            }
            return a;
        }

        /// <summary>Gemma4VisionConfig: pooling_kernel_size merges 3 x 3 patches, default_output_length caps the tokens per image.</summary>
        private static void Vision(ModelArchitecture a, HfConfigFields v)
        {
            VisionConfigReader.RequiredVit(a, v, VisionEncoderKind.Gemma4Vit);
            a.VisionPositionEmbeddings = v.Int("position_embedding_size");
            a.VisionSpatialMerge = v.Int("pooling_kernel_size");
            a.VisionTokensPerImage = v.Int("default_output_length");
        }

        /// <summary>Gemma4AudioConfig: two subsampling convolutions (subsampling_conv_channels), conformer blocks, output_proj_dims.</summary>
        private static void Audio(ModelArchitecture a, HfConfigFields u)
        {
            a.AudioLayers = u.Int("num_hidden_layers");
            a.AudioHiddenSize = u.Int("hidden_size");
            a.AudioHeads = u.Int("num_attention_heads");
            a.AudioConvKernel = u.Int("conv_kernel_size");
            a.AudioOutputSize = u.Int("output_proj_dims");
            var channels = u.OptionalInts("subsampling_conv_channels") ?? throw u.Invalid("subsampling_conv_channels", "is missing.");
            if (channels.Length != 2)
                throw u.Invalid("subsampling_conv_channels", $"must name the two subsampling convolutions' channels; got {channels.Length}.");
            a.AudioConvChannels1 = channels[0];
            a.AudioConvChannels2 = channels[1];
        }
    }
}
