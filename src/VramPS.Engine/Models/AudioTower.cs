namespace VramPS.Engine.Models
{
    /// <summary>
    /// Parameter counts of Gemma 4's audio encoder as transformers builds it (models/gemma4/modeling_gemma4.py):
    /// Gemma4AudioSubSampleConvProjection (two bias-free 3x3 Conv2d with bias-free LayerNorms, then input_proj_linear from
    /// (channels1 / 4) x channels2 features), Gemma4AudioLayer blocks (two feed-forward modules of ffw_layer_1 and
    /// ffw_layer_2 at 4x width with pre and post RMSNorms; attention of q, k, v_proj, post and relative_k_proj with a
    /// per_dim_scale; a light convolution of linear_start to 2x width, a depthwise conv1d, linear_end and two RMSNorms;
    /// three block RMSNorms), output_proj with a bias, and embed_audio's bias-free projection to the hidden size (its
    /// pre-projection norm has no weight). The clipping bounds of Gemma4ClippableLinear are buffers, not parameters.
    /// </summary>
    internal static class AudioTower
    {
        private const int ConvTaps = 3 * 3;

        public static long Parameters(ModelArchitecture m)
        {
            if (m.AudioLayers == 0) return LinearWeights(m);
            checked
            {
                long a = m.AudioHiddenSize, c1 = m.AudioConvChannels1, c2 = m.AudioConvChannels2;
                long subsample = ConvTaps * c1 + c1 + ConvTaps * c1 * c2 + c2;
                // Per block beside its linears: the feed-forward modules' four norms, per_dim_scale, the depthwise filter, the light
                // convolution's two norms and the block's three.
                long perLayer = 4 * a + a / m.AudioHeads + (long)m.AudioConvKernel * a + 2 * a + 3 * a;
                return subsample + m.AudioLayers * perLayer + m.AudioOutputSize + LinearWeights(m);
            }
        }

        public static long LinearWeights(ModelArchitecture m)
        {
            // Gemma 4 12B (Gemma4UnifiedForConditionalGeneration): embed_audio alone, over the raw audio features.
            if (m.AudioLayers == 0) return checked((long)m.AudioOutputSize * m.HiddenSize);
            checked
            {
                long a = m.AudioHiddenSize;
                // Per block: two feed-forward modules (a -> 4a -> a), five a x a attention projections, linear_start (a -> 2a) and linear_end.
                long perLayer = 2 * (2 * a * 4 * a) + 5 * a * a + 2 * a * a + a * a;
                return (long)m.AudioConvChannels1 / 4 * m.AudioConvChannels2 * a + m.AudioLayers * perLayer
                       + a * m.AudioOutputSize + (long)m.AudioOutputSize * m.HiddenSize;
            }
        }

        /// <summary>The first audio field that makes no sense, with why; null when the encoder is sound or absent.</summary>
        public static (string Field, string Problem)? FirstProblem(ModelArchitecture m)
        {
            if (!m.HasAudio || m.AudioLayers == 0) return null;
            if (m.AudioLayers > ArchitectureRules.MaxLayers) return ("audioLayers", $"must be at most {ArchitectureRules.MaxLayers}; got {m.AudioLayers}.");
            if (m.AudioHiddenSize == 0 || m.AudioHeads == 0 || m.AudioHiddenSize % m.AudioHeads != 0)
                return ("audioHeads", $"audioHiddenSize and audioHeads must be positive and audioHeads must divide audioHiddenSize; got {m.AudioHiddenSize} and {m.AudioHeads}.");
            if (m.AudioConvChannels1 == 0 || m.AudioConvChannels2 == 0 || m.AudioConvKernel == 0 || m.AudioOutputSize == 0)
                return ("audioConvChannels1", "audioConvChannels1, audioConvChannels2, audioConvKernel and audioOutputSize must be positive with an audio encoder.");
            return null;
        }
    }
}
