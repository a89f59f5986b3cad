using System;
using System.Collections.Generic;
using VramPS.Engine.Errors;
using VramPS.Engine.Models;

namespace VramPS.Engine.Estimation
{
    /// <summary>
    /// The parameter-efficient method of a LoRA or QLoRA workload, resolved: its settings with peft's defaults, the
    /// parameters it trains (counted as peft counts them: update_layer of each tuner), the frozen tensors it adds, and
    /// what its forward builds per adapted linear. Sources: huggingface/peft src/peft/tuners/{lora,lora/dora.py,vera,
    /// loha,lokr,oft,boft,ia3,adalora,prompt_tuning,prefix_tuning,p_tuning,adaption_prompt,ln_tuning}.
    /// </summary>
    internal sealed class AdapterMethod
    {
        /// <summary>The method of a workload that trains no adapter (Full, Freeze).</summary>
        public static readonly AdapterMethod None = new AdapterMethod();

        private AdapterMethod()
        {
        }

        public AdapterMethod(Workload w, ModelArchitecture m, Frameworks.Cited<int> defaultRank, Func<int?, string, int, string, int> positive, List<string> assumptions)
        {
            Kind = w.Adapter ?? AdapterKind.LoRA;
            Refuse(w, "VirtualTokens", w.VirtualTokens != null, Kind == AdapterKind.PromptTuning || Kind == AdapterKind.PrefixTuning || Kind == AdapterKind.PTuning || Kind == AdapterKind.AdaptionPrompt);
            Refuse(w, "OftBlockSize", w.OftBlockSize != null, Kind == AdapterKind.OFT || Kind == AdapterKind.BOFT);
            Refuse(w, "LokrFactor", w.LokrFactor != null, Kind == AdapterKind.LoKr);
            Refuse(w, "AdaLoraInitialRank", w.AdaLoraInitialRank != null, Kind == AdapterKind.AdaLoRA);
            Refuse(w, "LoraRank", w.LoraRank != null, TakesRank(Kind));
            Refuse(w, "LoraTargets", w.LoraTargets != null && w.LoraTargets.Length > 0, OnLinears);
            switch (Kind)
            {
                case AdapterKind.VeRA:
                    Rank = positive(w.LoraRank, "LoraRank", 256, "VeRA rank 256 (peft's VeraConfig default)");
                    break;
                case AdapterKind.AdaLoRA:
                    // Every target starts at init_r (adalora/layer.py update_layer); target_r only sets the budget that
                    // RankAllocator.mask_to_budget reaches by zeroing lora_E entries.
                    Rank = positive(w.AdaLoraInitialRank, "AdaLoraInitialRank", 12, "AdaLoRA initial rank 12 (peft's init_r default)");
                    if (w.LoraRank != null)
                        assumptions.Add($"AdaLoRA's budget (-LoraRank {w.LoraRank}) prunes by masking lora_E: every tensor keeps its initial rank {Rank}");
                    break;
                case AdapterKind.OFT:
                    if (w.LoraRank != null && w.OftBlockSize != null)
                        throw new InvalidWorkloadException("OftBlockSize", "-Adapter OFT takes -LoraRank (blocks per weight) or -OftBlockSize, not both (peft's OFTConfig refuses r and oft_block_size together).");
                    Rank = w.LoraRank is null ? 0 : positive(w.LoraRank, "LoraRank", 0, "");
                    BlockSize = w.LoraRank is null ? positive(w.OftBlockSize, "OftBlockSize", 32, "OFT block size 32 (peft's oft_block_size default)") : 0;
                    break;
                case AdapterKind.BOFT:
                    BlockSize = positive(w.OftBlockSize, "OftBlockSize", 4, "BOFT block size 4, one butterfly factor (peft's BOFTConfig defaults)");
                    break;
                case AdapterKind.LoKr:
                    Rank = positive(w.LoraRank, "LoraRank", 8, "LoKr rank 8 (peft's default)");
                    Factor = w.LokrFactor ?? -1;
                    if (Factor == 0 || Factor < -1)
                        throw new InvalidWorkloadException("LokrFactor", $"-LokrFactor must be a positive integer or -1 (the factors nearest the square root, peft's default); got {Factor}.");
                    if (w.LokrFactor is null) assumptions.Add("LoKr decompose_factor -1: each dimension split into the factors nearest its square root (peft's default)");
                    break;
                case AdapterKind.PromptTuning:
                case AdapterKind.PTuning:
                case AdapterKind.PrefixTuning:
                    // PromptLearningConfig.num_virtual_tokens has no default; peft's task guides use 20.
                    VirtualTokens = positive(w.VirtualTokens, "VirtualTokens", 20, "20 virtual tokens (peft has no default num_virtual_tokens; its task guides use 20)");
                    if (Kind == AdapterKind.PTuning) assumptions.Add("P-tuning's MLP prompt encoder with encoder_hidden_size equal to the hidden size");
                    if (Kind == AdapterKind.PrefixTuning) assumptions.Add("prefix tuning without prefix_projection (peft's default): one trained key and value per virtual token and layer");
                    break;
                case AdapterKind.AdaptionPrompt:
                    VirtualTokens = positive(w.VirtualTokens, "VirtualTokens", 10, "adaption prompt of 10 tokens (LLaMA-Adapter's adapter_len)");
                    assumptions.Add("adaption prompts in every block (AdaptionPromptConfig.adapter_layers has no default)");
                    break;
                case AdapterKind.IA3:
                    assumptions.Add("IA3 feed-forward modules: the MLP output projections scale their input, the others their output (peft's feedforward_modules mapping)");
                    break;
                case AdapterKind.LNTuning:
                    assumptions.Add("LN tuning on every block's norms and the final norm (peft's default targets)");
                    break;
                default:
                    Rank = positive(w.LoraRank, "LoraRank", defaultRank.Value, defaultRank.Assumption!);
                    break;
            }
            if (Rank > ResolvedRecipe.MaxLoraRank) throw new InvalidWorkloadException("LoraRank", $"-LoraRank must be at most {ResolvedRecipe.MaxLoraRank:N0}; got {Rank}.");
            if (VirtualTokens > ResolvedRecipe.MaxTokens) throw new InvalidWorkloadException("VirtualTokens", $"-VirtualTokens must be at most {ResolvedRecipe.MaxTokens:N0}; got {VirtualTokens}.");
            if (BlockSize > m.HiddenSize) throw new InvalidWorkloadException("OftBlockSize", $"-OftBlockSize must be at most the hidden size {m.HiddenSize}; got {BlockSize}.");
        }

        private void Refuse(Workload w, string parameter, bool given, bool applies)
        {
            if (!given || applies) return;
            throw new InvalidWorkloadException(parameter, $"-{parameter} does not apply to -Adapter {Kind}.");
        }

        public AdapterKind Kind { get; }
        /// <summary>The rank of the low-rank methods (AdaLoRA: its initial rank; OFT: blocks per weight, 0 when the block size is given).</summary>
        public int Rank { get; }
        public int VirtualTokens { get; }
        /// <summary>OFT's or BOFT's block size (OFT: 0 when -LoraRank gives the number of blocks).</summary>
        public int BlockSize { get; }
        public int Factor { get; }

        /// <summary>Whether the method wraps target linears (the others add tokens, keys or norms).</summary>
        public bool OnLinears => WrapsLinears(Kind);

        public static bool WrapsLinears(AdapterKind kind) => kind <= AdapterKind.AdaLoRA;

        /// <summary>Whether -LoraRank sets something of the method (AdaLoRA: its target rank, which changes no tensor's size).</summary>
        public static bool TakesRank(AdapterKind kind) => WrapsLinears(kind) && kind != AdapterKind.IA3 && kind != AdapterKind.BOFT;

        /// <summary>Tokens prepended to every sequence (prompt and P-tuning: the model reads them as input).</summary>
        public int PrependedTokens => Kind == AdapterKind.PromptTuning || Kind == AdapterKind.PTuning ? VirtualTokens : 0;

        /// <summary>Keys and values prepended in every layer (prefix tuning's past_key_values).</summary>
        public int PrefixTokens => Kind == AdapterKind.PrefixTuning ? VirtualTokens : 0;

        /// <summary>Trained parameters of one adapted linear (one copy).</summary>
        public long Trained(LinearModule module) => Trained(module.InFeatures, module.OutFeatures, module.Role);

        public long Trained(long inFeatures, long outFeatures, LinearRole role)
        {
            long i = inFeatures, o = outFeatures, r = Rank;
            switch (Kind)
            {
                case AdapterKind.DoRA:
                    return checked(r * (i + o) + o);
                case AdapterKind.LoRAFA:
                    return checked(r * o);
                case AdapterKind.VeRA:
                    // vera_lambda_b (out) and vera_lambda_d (r); vera_A and vera_B are shared frozen buffers.
                    return checked(o + r);
                case AdapterKind.LoHa:
                    return checked(2 * r * (i + o));
                case AdapterKind.LoKr:
                    return LokrParameters(i, o);
                case AdapterKind.OFT:
                {
                    // OFTRotationModule keeps r blocks' strict upper triangles: r * b * (b - 1) / 2.
                    long blocks = Rank > 0 ? Rank : Math.Max(1, i / BlockSize);
                    long b = Rank > 0 ? i / Rank : BlockSize;
                    return checked(blocks * (b * (b - 1) / 2));
                }
                case AdapterKind.BOFT:
                    // boft_R (butterfly factors + 1, in / b, b, b) and boft_s (out, 1).
                    return checked(i / BlockSize * BlockSize * (long)BlockSize + o);
                case AdapterKind.IA3:
                    return role == LinearRole.MlpOutput ? i : o;
                case AdapterKind.AdaLoRA:
                    // lora_A (r, in), lora_B (out, r), lora_E (r, 1); ranknum does not train.
                    return checked(r * (i + o) + r);
                default:
                    return checked(r * (i + o));
            }
        }

        /// <summary>Frozen adapter elements of one adapted linear held in the adapter dtype (LoRA-FA's A).</summary>
        public long Frozen(LinearModule module) => Kind == AdapterKind.LoRAFA ? checked(Rank * module.InFeatures) : 0;

        /// <summary>VeRA's shared projections: vera_A (r, largest in) and vera_B (largest out, r), one pair per model.</summary>
        public long SharedProjections(long largestIn, long largestOut) => Kind == AdapterKind.VeRA ? checked(Rank * (largestIn + largestOut)) : 0;

        /// <summary>Parameters the method trains outside the linears, for the layers and embedding of one rank.</summary>
        public long TrainedOutsideLinears(ModelArchitecture m, int layers, bool hasEmbedding, bool hasHead)
        {
            long v = VirtualTokens, d = m.HiddenSize;
            switch (Kind)
            {
                case AdapterKind.PromptTuning:
                    return hasEmbedding ? checked(v * d) : 0;
                case AdapterKind.PTuning:
                    // PromptEncoder: the virtual-token embedding and Linear(d, e), Linear(e, e), Linear(e, d) with biases, e = d.
                    return hasEmbedding ? checked(v * d + 3 * (d * d) + 2 * d + d) : 0;
                case AdapterKind.PrefixTuning:
                    return checked(v * layers * 2 * m.KvDim);
                case AdapterKind.AdaptionPrompt:
                    return checked(layers * (v * d + 1));
                case AdapterKind.LNTuning:
                    return checked(layers * m.LayerNormParameters + (hasHead ? m.FinalNormParameters : 0));
                default:
                    return 0;
            }
        }

        /// <summary>
        /// Bytes that one adapted linear's forward keeps until backward whatever the tokens: LoHa and LoKr build their
        /// full delta weight (HadaWeight, torch.kron) and F.linear keeps it; BOFT keeps its dense in x in butterfly
        /// rotation and the rotated weight (boft/layer.py Linear.forward: torch.mm then F.linear).
        /// </summary>
        public double HeldPerModule(long inFeatures, long outFeatures, int bytes)
        {
            switch (Kind)
            {
                case AdapterKind.LoHa:
                case AdapterKind.LoKr:
                    return (double)inFeatures * outFeatures * bytes;
                case AdapterKind.BOFT:
                    return ((double)inFeatures * inFeatures + (double)inFeatures * outFeatures) * bytes;
                default:
                    return 0;
            }
        }

        /// <summary>
        /// DoRA's weight-norm working set while one adapted linear runs forward (peft/tuners/lora/dora.py
        /// DoraLinearLayer.forward and get_weight_norm): the in x in identity, lora_B(lora_A(eye)).T, the base weight cast
        /// to the adapter dtype, scaling * lora_weight and the sum whose row norm is taken, all over the full weight,
        /// every forward.
        /// </summary>
        public double ForwardTransient(long inFeatures, long outFeatures, int bytes) =>
            Kind == AdapterKind.DoRA ? ((double)inFeatures * inFeatures + 4.0 * inFeatures * outFeatures) * bytes : 0;

        private long LokrParameters(long i, long o)
        {
            var (inM, inN) = Factorize(i, Factor);
            var (outL, outK) = Factorize(o, Factor);
            // lokr_w1 is full (decompose_both off); lokr_w2 is full when r >= max(out_k, in_n) / 2, else w2_a (out_k, r) and w2_b (r, in_n).
            long w1 = outL * inM;
            long w2 = 2L * Rank >= Math.Max(outK, inN) ? outK * inN : checked(Rank * (outK + inN));
            return checked(w1 + w2);
        }

        /// <summary>peft's lokr factorization(dimension, factor): m &lt;= n, m * n = dimension, m the factor or the divisor nearest the square root.</summary>
        internal static (long M, long N) Factorize(long dimension, long factor)
        {
            if (factor > 0 && dimension % factor == 0)
            {
                long a = factor, b = dimension / factor;
                return a > b ? (b, a) : (a, b);
            }
            if (factor == -1) factor = dimension;
            // peft never updates length, so only the factor bounds the search.
            long m = 1, n = dimension, length = m + n;
            while (m < n)
            {
                long newM = m + 1;
                while (dimension % newM != 0) newM++;
                long newN = dimension / newM;
                if (newM + newN > length || newM > factor) break;
                m = newM;
                n = newN;
            }
            return m > n ? (n, m) : (m, n);
        }
    }
}
