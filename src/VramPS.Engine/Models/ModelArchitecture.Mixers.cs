using System;

namespace VramPS.Engine.Models
{
    /// <summary>
    /// Hybrid decoders whose blocks mix tokens in more than one way (<see cref="MixerKind"/>): which block does what, and
    /// the widths of the linear-attention and convolution mixers. A block's kind is its mixer and whether its MLP is a
    /// mixture of experts; the engine works each kind out once and counts its blocks.
    /// </summary>
    public sealed partial class ModelArchitecture
    {
        /// <summary>Kinds of block: each <see cref="MixerKind"/> with a dense or a mixture-of-experts MLP.</summary>
        internal const int BlockKinds = 6;

        /// <summary>
        /// The mixer of each block, one letter per block repeated over the blocks: A attention, D Gated DeltaNet, C short
        /// convolution ("DDDA": Qwen3.5's full_attention_interval 4). Empty: every block attends.
        /// </summary>
        public string MixerPattern { get; internal set { field = value; _derived = null; } } = "";
        /// <summary>Gated DeltaNet key heads (linear_num_key_heads).</summary>
        public int LinearKeyHeads { get; internal set { field = value; _derived = null; } }
        /// <summary>Gated DeltaNet value heads (linear_num_value_heads); the gates b and a have one per value head.</summary>
        public int LinearValueHeads { get; internal set { field = value; _derived = null; } }
        /// <summary>Gated DeltaNet key head size (linear_key_head_dim).</summary>
        public int LinearKeyHeadDim { get; internal set { field = value; _derived = null; } }
        /// <summary>Gated DeltaNet value head size (linear_value_head_dim).</summary>
        public int LinearValueHeadDim { get; internal set { field = value; _derived = null; } }
        /// <summary>Taps of the depthwise causal convolution (linear_conv_kernel_dim; LFM2 conv_L_cache).</summary>
        public int MixerConvKernel { get; internal set { field = value; _derived = null; } }
        /// <summary>The query projection also gives a sigmoid gate on the attention output (Qwen3-Next attn_output_gate): q_proj is twice as wide.</summary>
        public bool AttentionOutputGate { get; internal set { field = value; _derived = null; } }

        public bool IsHybrid => MixerPattern.Length > 0;

        /// <summary>Gated DeltaNet query and key width (linear_num_key_heads x linear_key_head_dim).</summary>
        public long LinearKeyDim => checked((long)LinearKeyHeads * LinearKeyHeadDim);
        /// <summary>Gated DeltaNet value width (linear_num_value_heads x linear_value_head_dim).</summary>
        public long LinearValueDim => checked((long)LinearValueHeads * LinearValueHeadDim);

        /// <summary>The mixer of a block.</summary>
        public MixerKind MixerOf(int layer) => MixerPattern.Length == 0 ? MixerKind.Attention : Mixer(MixerPattern[layer % MixerPattern.Length]);

        /// <summary>The mixer a pattern letter names; <see cref="ArchitectureRules"/> admits only these letters.</summary>
        internal static MixerKind Mixer(char letter) => letter switch
        {
            'D' => MixerKind.GatedDeltaNet,
            'C' => MixerKind.ShortConvolution,
            _ => MixerKind.Attention,
        };

        /// <summary>The block's kind: its mixer, twice, plus one for a mixture-of-experts MLP.</summary>
        internal int KindOf(int layer) => (int)MixerOf(layer) * 2 + (IsMoeLayer(layer) ? 1 : 0);

        /// <summary>Whether blocks of a kind have a mixture-of-experts MLP.</summary>
        internal static bool KindIsMoe(int kind) => (kind & 1) == 1;

        /// <summary>How many of the blocks in [first, end) are of a kind.</summary>
        public int LayersOfKind(int kind, int first, int end)
        {
            bool moe = KindIsMoe(kind);
            if (!IsHybrid) return kind >= 2 ? 0 : LayersOfKind(moe, first, end);
            int count = 0;
            for (int i = Math.Max(0, first); i < Math.Min(end, NumLayers); i++)
            {
                if (KindOf(i) == kind) count++;
            }
            return count;
        }

        /// <summary>The first block of a kind from <paramref name="first"/> on, or NumLayers when there is none.</summary>
        public int FirstLayerOfKind(int kind, int first)
        {
            if (!IsHybrid) return kind >= 2 ? NumLayers : FirstLayerOfKind(KindIsMoe(kind), first);
            for (int i = Math.Max(0, first); i < NumLayers; i++)
            {
                if (KindOf(i) == kind) return i;
            }
            return NumLayers;
        }

        /// <summary>
        /// A block's parameters outside its linears: its norms, and per mixer the attention's query/key norms (and MLA's
        /// latent norms), Gated DeltaNet's depthwise convolution over q, k and v, dt_bias, A_log and gated RMSNorm over
        /// one value head, or the short convolution's depthwise filter.
        /// </summary>
        public long LayerOtherParameters(int layer) => MixerOf(layer) switch
        {
            MixerKind.GatedDeltaNet => checked(NormsPerLayer * NormParameters + (2 * LinearKeyDim + LinearValueDim) * MixerConvKernel
                                               + 2L * LinearValueHeads + LinearValueHeadDim),
            MixerKind.ShortConvolution => checked(NormsPerLayer * NormParameters + (long)HiddenSize * MixerConvKernel),
            _ => LayerNormParameters,
        };

        /// <summary>The first hybrid field that makes no sense, with why; null when the mixers are sound or absent.</summary>
        internal (string Field, string Problem)? FirstMixerProblem()
        {
            if (!IsHybrid) return null;
            foreach (char letter in MixerPattern)
            {
                if (letter != 'A' && letter != 'D' && letter != 'C')
                    return ("mixerPattern", $"must hold only A (attention), D (Gated DeltaNet) and C (short convolution); got '{MixerPattern}'.");
            }
            if (MixerPattern.Length > NumLayers) return ("mixerPattern", $"must be at most numLayers ({NumLayers}) letters long; got {MixerPattern.Length}.");
            if (MixerPattern.IndexOf('D') >= 0 && (LinearKeyHeads == 0 || LinearValueHeads == 0 || LinearKeyHeadDim == 0 || LinearValueHeadDim == 0 || MixerConvKernel == 0))
                return ("linearKeyHeads", "linearKeyHeads, linearValueHeads, linearKeyHeadDim, linearValueHeadDim and mixerConvKernel must be positive with Gated DeltaNet blocks (D).");
            if (MixerPattern.IndexOf('D') >= 0 && LinearValueHeads % LinearKeyHeads != 0)
                return ("linearValueHeads", $"must be a multiple of linearKeyHeads ({LinearKeyHeads}); got {LinearValueHeads}.");
            if (MixerPattern.IndexOf('C') >= 0 && MixerConvKernel == 0)
                return ("mixerConvKernel", "must be positive with short convolution blocks (C).");
            return null;
        }
    }
}
