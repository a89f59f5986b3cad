using System;

namespace VramPS.Engine.Models
{
    /// <summary>
    /// Decoders whose blocks differ (<see cref="MixerKind"/>): which block does what, the widths of the linear-attention,
    /// convolution and global-attention mixers, and Gemma 4's double-wide MLP in its last blocks. A block's kind is its
    /// mixer, whether its MLP is a mixture of experts and whether it is double-wide; the engine works each kind out once
    /// and counts its blocks.
    /// </summary>
    public sealed partial class ModelArchitecture
    {
        /// <summary>Mixers a block may have (<see cref="MixerKind"/>).</summary>
        private const int MixerKinds = 4;

        /// <summary>Kinds of block: each <see cref="MixerKind"/> with a dense or a mixture-of-experts MLP, of the usual or double width.</summary>
        internal const int BlockKinds = MixerKinds * 2 * 2;

        /// <summary>
        /// The mixer of each block, one letter per block repeated over the blocks: A attention, D Gated DeltaNet, C short
        /// convolution, G global attention ("DDDA": Qwen3.5's full_attention_interval 4; "AAAAAG": Gemma 4's layer_types,
        /// five sliding-window blocks to one global). Empty: every block attends.
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

        /// <summary>Head size of the global-attention blocks (G; Gemma 4 global_head_dim).</summary>
        public int GlobalHeadDim { get; internal set { field = value; _derived = null; } }
        /// <summary>Key-value heads of the global-attention blocks (G; Gemma 4 num_global_key_value_heads, else num_key_value_heads).</summary>
        public int GlobalKvHeads { get; internal set { field = value; _derived = null; } }
        /// <summary>The global-attention blocks use their keys as values and have no v_proj (Gemma 4 attention_k_eq_v).</summary>
        public bool GlobalKeysAsValues { get; internal set { field = value; _derived = null; } }
        /// <summary>
        /// The last blocks whose MLP is twice intermediateSize wide (Gemma 4 use_double_wide_mlp: the num_kv_shared_layers
        /// blocks that reuse earlier keys and values; Gemma4TextMLP).
        /// </summary>
        public int DoubleWideMlpLayers { get; internal set { field = value; _derived = null; } }

        public bool IsHybrid => MixerPattern.Length > 0;

        /// <summary>Blocks differ beyond dense and mixture-of-experts: a mixer pattern or double-wide MLPs.</summary>
        private bool BlocksDiffer => IsHybrid || DoubleWideMlpLayers > 0;

        /// <summary>Whether a block's MLP is double-wide (<see cref="DoubleWideMlpLayers"/>).</summary>
        public bool IsDoubleWideMlp(int layer) => layer >= NumLayers - DoubleWideMlpLayers;

        /// <summary>Width of a block's dense MLP.</summary>
        public long MlpWidthOf(int layer) => IsDoubleWideMlp(layer) ? 2L * IntermediateSize : IntermediateSize;

        /// <summary>Query width of a block's attention (global blocks: heads x global_head_dim).</summary>
        public long QDimOf(int layer) => MixerOf(layer) == MixerKind.GlobalAttention ? checked((long)NumHeads * GlobalHeadDim) : QDim;

        /// <summary>Key (and value) width of a block's attention (global blocks: global KV heads x global_head_dim).</summary>
        public long KvDimOf(int layer) => MixerOf(layer) == MixerKind.GlobalAttention ? checked((long)GlobalKvHeads * GlobalHeadDim) : KvDim;

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
            'G' => MixerKind.GlobalAttention,
            _ => MixerKind.Attention,
        };

        /// <summary>The block's kind: its mixer, twice, plus one for a mixture-of-experts MLP, plus the mixers' kinds for a double-wide MLP.</summary>
        internal int KindOf(int layer) => (int)MixerOf(layer) * 2 + (IsMoeLayer(layer) ? 1 : 0) + (IsDoubleWideMlp(layer) ? MixerKinds * 2 : 0);

        /// <summary>Whether blocks of a kind attend over the sequence (attention or global attention).</summary>
        internal static bool KindAttends(int kind)
        {
            var mixer = (MixerKind)(kind % (MixerKinds * 2) / 2);
            return mixer == MixerKind.Attention || mixer == MixerKind.GlobalAttention;
        }

        /// <summary>Whether blocks of a kind have a mixture-of-experts MLP.</summary>
        internal static bool KindIsMoe(int kind) => (kind & 1) == 1;

        /// <summary>How many of the blocks in [first, end) are of a kind.</summary>
        public int LayersOfKind(int kind, int first, int end)
        {
            bool moe = KindIsMoe(kind);
            if (!BlocksDiffer) return kind >= 2 ? 0 : LayersOfKind(moe, first, end);
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
            if (!BlocksDiffer) return kind >= 2 ? NumLayers : FirstLayerOfKind(KindIsMoe(kind), first);
            for (int i = Math.Max(0, first); i < NumLayers; i++)
            {
                if (KindOf(i) == kind) return i;
            }
            return NumLayers;
        }

        /// <summary>
        /// A block's parameters outside its linears: its norms, and per mixer the attention's query/key norms (and MLA's
        /// latent norms; a global block's over its own head size), Gated DeltaNet's depthwise convolution over q, k and v,
        /// dt_bias, A_log and gated RMSNorm over one value head, or the short convolution's depthwise filter; and Gemma 4's
        /// per-layer input path (<see cref="PerLayerInputParameters"/>) and a fused-expert layer's router scales and norms.
        /// </summary>
        public long LayerOtherParameters(int layer) => checked(MixerOtherParameters(layer) + PerLayerInputParameters + FusedExpertOtherParameters(layer));

        private long MixerOtherParameters(int layer) => MixerOf(layer) switch
        {
            MixerKind.GlobalAttention => checked(NormsPerLayer * NormParameters + (QkNorm ? 2 * NormWeights(GlobalHeadDim) : 0)),
            MixerKind.GatedDeltaNet => checked(NormsPerLayer * NormParameters + (2 * LinearKeyDim + LinearValueDim) * MixerConvKernel
                                               + 2L * LinearValueHeads + LinearValueHeadDim),
            MixerKind.ShortConvolution => checked(NormsPerLayer * NormParameters + (long)HiddenSize * MixerConvKernel),
            _ => LayerNormParameters,
        };

        /// <summary>The first hybrid field that makes no sense, with why; null when the mixers are sound or absent.</summary>
        internal (string Field, string Problem)? FirstMixerProblem()
        {
            if (DoubleWideMlpLayers > NumLayers) return ("doubleWideMlpLayers", $"must be at most numLayers ({NumLayers}); got {DoubleWideMlpLayers}.");
            if (!IsHybrid) return null;
            foreach (char letter in MixerPattern)
            {
                if (letter != 'A' && letter != 'D' && letter != 'C' && letter != 'G')
                    return ("mixerPattern", $"must hold only A (attention), D (Gated DeltaNet), C (short convolution) and G (global attention); got '{MixerPattern}'.");
            }
            if (MixerPattern.IndexOf('G') >= 0 && (GlobalHeadDim == 0 || GlobalKvHeads == 0 || NumHeads % GlobalKvHeads != 0))
                return ("globalKvHeads", $"globalHeadDim and globalKvHeads must be positive with global attention blocks (G), and globalKvHeads must divide numHeads ({NumHeads}); got {GlobalHeadDim} and {GlobalKvHeads}.");
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
