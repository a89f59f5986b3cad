using System;
using System.Collections.Generic;
using System.Collections.ObjectModel;
using System.Linq;

namespace VramPS.Engine.Models
{
    /// <summary>
    /// The architecture fields a memory estimate needs, as a catalog entry or a Hugging Face config.json gives them.
    /// Parameter counts are derived from these fields, never stored; their arithmetic is checked, so absurd sizes from a
    /// file raise OverflowException (which <see cref="ArchitectureRules"/> turns into a refusal), never a wrapped count.
    /// </summary>
    public sealed partial class ModelArchitecture
    {
        /// <summary>Architectures are made by the catalog and config readers only, and never change once shared.</summary>
        internal ModelArchitecture()
        {
        }

        public string Id { get; internal set; } = "";
        /// <summary>Hugging Face config model_type: llama, mistral, gpt_bigcode, gpt_neox, phi, falcon, bert ...</summary>
        public string ModelType { get; internal set { field = value; _derived = null; } } = "llama";
        public int HiddenSize { get; internal set { field = value; _derived = null; } }
        /// <summary>Width of a dense MLP (for Mixtral, which has no dense layer, the expert width).</summary>
        public int IntermediateSize { get; internal set { field = value; _derived = null; } }
        public int NumLayers { get; internal set { field = value; _derived = null; } }
        public int NumHeads { get; internal set { field = value; _derived = null; } }
        public int NumKvHeads { get; internal set { field = value; _derived = null; } }
        public int HeadDim { get; internal set { field = value; _derived = null; } }
        public int VocabSize { get; internal set { field = value; _derived = null; } }
        /// <summary>Width of the token embedding when it differs from the hidden size (OPT word_embed_proj_dim), 0 otherwise.</summary>
        public int EmbeddingDim { get; internal set { field = value; _derived = null; } }
        public bool TiedEmbeddings { get; internal set { field = value; _derived = null; } }
        public MlpKind Mlp { get; internal set { field = value; _derived = null; } } = MlpKind.Gated;
        public string Activation { get; internal set { field = value; _derived = null; } } = "silu";
        public NormKind Norm { get; internal set { field = value; _derived = null; } } = NormKind.RmsNorm;
        public PositionKind Positions { get; internal set { field = value; _derived = null; } } = PositionKind.Rope;
        /// <summary>Fraction of each head's dimensions that rotary embeddings rotate (Phi, GPT-NeoX rotary_pct).</summary>
        public double PartialRotaryFactor { get; internal set { field = value; _derived = null; } } = 1.0;
        /// <summary>Rows of a learned position table (Positions = Learned; OPT adds its 2 offset rows here).</summary>
        public int MaxPositions { get; internal set { field = value; _derived = null; } }
        /// <summary>Token-type embedding rows (BERT).</summary>
        public int TypeVocabSize { get; internal set { field = value; _derived = null; } }
        public bool QkvBias { get; internal set { field = value; _derived = null; } }
        public bool OutputBias { get; internal set { field = value; _derived = null; } }
        public bool MlpBias { get; internal set { field = value; _derived = null; } }
        public bool LmHeadBias { get; internal set { field = value; _derived = null; } }
        /// <summary>Attention and MLP read the same normed input (GPT-J, NeoX parallel, Falcon, Phi).</summary>
        public bool ParallelBlock { get; internal set { field = value; _derived = null; } }
        /// <summary>Norms per block (2 for pre-norm blocks, 1 for a shared parallel norm, 4 for Gemma 2/3 sandwich norms).</summary>
        public int NormsPerLayer { get; internal set { field = value; _derived = null; } } = 2;
        /// <summary>A norm after the last block (false for BERT and for OPT-350m's post-norm blocks).</summary>
        public bool FinalNorm { get; internal set { field = value; _derived = null; } } = true;
        /// <summary>RMSNorm on queries and keys per head (Qwen3, OLMo 2, Gemma 3).</summary>
        public bool QkNorm { get; internal set { field = value; _derived = null; } }
        /// <summary>The query and key norms span all heads at once (OLMo 2) instead of one head.</summary>
        public bool QkNormOverHeads { get; internal set { field = value; _derived = null; } }
        /// <summary>Encoder-only model (BERT): an embedding LayerNorm, a pooler and an MLM head instead of a causal LM head.</summary>
        public bool Encoder { get; internal set { field = value; _derived = null; } }
        /// <summary>
        /// A bias-free score projection to one output instead of the LM head, as AutoModelForSequenceClassification builds
        /// reward and value models with num_labels=1 (LlamaForSequenceClassification.score, OPTForSequenceClassification.score).
        /// </summary>
        public bool ScalarHead { get; internal set { field = value; _derived = null; } }

        public int Experts { get; internal set { field = value; _derived = null; } }
        public int ExpertsPerToken { get; internal set { field = value; _derived = null; } }
        public int MoeIntermediateSize { get; internal set { field = value; _derived = null; } }
        public int SharedExperts { get; internal set { field = value; _derived = null; } }
        public int SharedExpertIntermediateSize { get; internal set { field = value; _derived = null; } }
        public bool SharedExpertGate { get; internal set { field = value; _derived = null; } }
        /// <summary>
        /// The experts are two 3-D nn.Parameters per layer rather than nn.Linear modules (transformers v5 Gemma4TextExperts):
        /// bitsandbytes, which replaces nn.Linear only, leaves them 16-bit under 4-bit loading, all-linear does not adapt
        /// them, and peft reaches them only through target_parameters.
        /// </summary>
        public bool FusedExperts { get; internal set { field = value; _derived = null; } }
        /// <summary>Leading layers with a dense MLP in an MoE model (DeepSeek first_k_dense_replace).</summary>
        public int DenseLayers { get; internal set { field = value; _derived = null; } }

        /// <summary>Multi-head latent attention (DeepSeek V2/V3) when KvLoraRank &gt; 0.</summary>
        public int QLoraRank { get; internal set { field = value; _derived = null; } }
        public int KvLoraRank { get; internal set { field = value; _derived = null; } }
        public int QkNopeHeadDim { get; internal set { field = value; _derived = null; } }
        public int QkRopeHeadDim { get; internal set { field = value; _derived = null; } }
        public int VHeadDim { get; internal set { field = value; _derived = null; } }

        public double AttentionLogitSoftcap { get; internal set { field = value; _derived = null; } }
        public double FinalLogitSoftcap { get; internal set { field = value; _derived = null; } }
        public int SlidingWindow { get; internal set { field = value; _derived = null; } }

        /// <summary>The count the model card or safetensors metadata publishes, for validation.</summary>
        public long PublishedParameters { get; internal set; }
        public string ParametersSource { get; internal set; } = "";
        public string Source { get; internal set; } = "";
        public string[] Aliases { get; internal set; } = Array.Empty<string>();

        public bool IsMoe => Experts > 0;

        /// <summary>The names of fused expert parameters (<see cref="FusedExperts"/>) as a layer's parameter paths end.</summary>
        public const string FusedGateUpName = "experts.gate_up_proj";
        public const string FusedDownName = "experts.down_proj";

        /// <summary>Whether a module name is a fused expert parameter, which all-linear and module targets never select.</summary>
        public static bool IsFusedExpertName(string name) => name == FusedGateUpName || name == FusedDownName;

        /// <summary>
        /// A fused-expert layer's parameters beside its linears (Gemma4TextRouter's scale over the hidden size and
        /// per_expert_scale; post_feedforward_layernorm_1, _2 and pre_feedforward_layernorm_2 of Gemma4TextDecoderLayer).
        /// </summary>
        private long FusedExpertOtherParameters(int layer) => FusedExperts && IsMoeLayer(layer) ? checked(4L * HiddenSize + Experts) : 0;
        public bool IsMla => KvLoraRank > 0;
        public long KvDim => checked((long)NumKvHeads * HeadDim);
        public long QDim => checked((long)NumHeads * HeadDim);
        /// <summary>Width of the token embedding and of the output head.</summary>
        public long TokenEmbeddingDim => EmbeddingDim > 0 ? EmbeddingDim : HiddenSize;

        /// <summary>True for a layer whose MLP is a mixture of experts.</summary>
        public bool IsMoeLayer(int layer) => IsMoe && layer >= DenseLayers;

        /// <summary>How many of the layers in [first, end) are mixture-of-experts layers (moe) or dense ones.</summary>
        private int LayersOfKind(bool moe, int first, int end)
        {
            int layers = Math.Max(0, end - first);
            int moeLayers = IsMoe ? Math.Max(0, end - Math.Max(first, DenseLayers)) : 0;
            return moe ? moeLayers : layers - moeLayers;
        }

        /// <summary>The first layer of a kind from <paramref name="first"/> on: dense layers lead, MoE layers follow.</summary>
        private int FirstLayerOfKind(bool moe, int first) => moe ? Math.Max(first, DenseLayers) : first;

        /// <summary>
        /// The linear modules of one block, named as Hugging Face names them for this model type. Blocks come in a few
        /// kinds (their mixer, dense or mixture-of-experts), so the list is built once per kind and shared.
        /// </summary>
        public IReadOnlyList<LinearModule> LinearModules(int layer)
        {
            int kind = KindOf(layer);
            var derived = Cache;
            return derived.Modules[kind] ??= new ReadOnlyCollection<LinearModule>(ModuleArray(layer));
        }

        /// <summary>The engine's view of <see cref="LinearModules"/>: the shared array, to loop over without an enumerator. Never written.</summary>
        internal LinearModule[] ModuleArray(int layer)
        {
            int kind = KindOf(layer);
            var derived = Cache;
            return derived.Arrays[kind] ??= ModuleLayout.For(this, layer);
        }

        /// <summary>
        /// For each module of <see cref="ModuleArray"/>, the index of its name in <see cref="LinearModuleNames"/>: the
        /// engine marks adapted modules as bits of these indexes rather than comparing names for every estimate.
        /// </summary>
        internal int[] ModuleNameIndexes(int layer)
        {
            int kind = KindOf(layer);
            var derived = Cache;
            if (derived.NameIndexes[kind] is int[] cached) return cached;
            var names = LinearModuleNames;
            if (names.Count > 64) throw new InvalidOperationException($"{Id} has {names.Count} linear module names; the engine marks at most 64.");
            var modules = ModuleArray(layer);
            var indexes = new int[modules.Length];
            for (int i = 0; i < modules.Length; i++)
            {
                for (int n = 0; n < names.Count; n++)
                {
                    if (string.Equals(names[n], modules[i].Name, StringComparison.OrdinalIgnoreCase)) indexes[i] = n;
                }
            }
            return derived.NameIndexes[kind] = indexes;
        }

        /// <summary>
        /// The distinct names, ignoring case, of the linear modules in the first block of each kind, in order: the names a
        /// LoRA target list may use.
        /// </summary>
        public IReadOnlyList<string> LinearModuleNames
        {
            get
            {
                var derived = Cache;
                if (derived.ModuleNames != null) return derived.ModuleNames;
                var names = new List<string>(12);
                for (int kind = 0; kind < BlockKinds; kind++)
                {
                    int layer = FirstLayerOfKind(kind, 0);
                    if (layer >= NumLayers) continue;
                    foreach (var module in LinearModules(layer))
                    {
                        if (!names.Contains(module.Name, StringComparer.OrdinalIgnoreCase)) names.Add(module.Name);
                    }
                }
                return derived.ModuleNames = names.AsReadOnly();
            }
        }

        /// <summary>
        /// Token, position and token-type embeddings, the embedding LayerNorm of an encoder, OPT's project_in and
        /// project_out when the token embedding is narrower than the hidden size, and Gemma 4's per-layer embeddings.
        /// </summary>
        public long EmbeddingParameters => checked(
            (long)VocabSize * TokenEmbeddingDim
            + (Positions == PositionKind.Learned ? (long)MaxPositions * HiddenSize : 0)
            + (long)TypeVocabSize * HiddenSize
            + (Encoder ? NormParameters : 0)
            + (TokenEmbeddingDim != HiddenSize ? 2 * TokenEmbeddingDim * HiddenSize : 0)
            + PerLayerEmbeddingParameters);

        /// <summary>
        /// The output head's own parameters: the projection unless tied to the embedding, its bias, and for an encoder
        /// the pooler and the MLM head's transform (dense and LayerNorm).
        /// </summary>
        public long HeadParameters => checked(
            ScalarHead ? TokenEmbeddingDim
            : (TiedEmbeddings ? 0 : (long)VocabSize * TokenEmbeddingDim) + (LmHeadBias ? VocabSize : 0)
              + (Encoder ? 2 * ((long)HiddenSize * HiddenSize + HiddenSize) + NormParameters : 0));

        /// <summary>Weights (and biases) of one norm over the hidden size.</summary>
        public long NormParameters => NormWeights(HiddenSize);

        /// <summary>Norm parameters in one block: the block norms, query/key norms and MLA's latent norms.</summary>
        public long LayerNormParameters => checked(
            NormsPerLayer * NormParameters
            + (QkNorm ? (QkNormOverHeads ? NormWeights(QDim) + NormWeights(KvDim) : 2 * NormWeights(HeadDim)) : 0)
            + (IsMla ? NormWeights(KvLoraRank) + (QLoraRank > 0 ? NormWeights(QLoraRank) : 0) : 0));

        public long LayerParameters(int layer)
        {
            int kind = KindOf(layer);
            var derived = Cache;
            if (derived.LayerParameters[kind] is long cached) return cached;
            long sum = LayerOtherParameters(layer);
            foreach (var m in ModuleArray(layer)) sum = checked(sum + m.Parameters);
            derived.LayerParameters[kind] = sum;
            return sum;
        }

        /// <summary>The norm after the last block, 0 where the model has none.</summary>
        public long FinalNormParameters => FinalNorm ? NormParameters : 0;

        public long TotalParameters
        {
            get
            {
                var derived = Cache;
                if (derived.Total is long cached) return cached;
                long sum = checked(EmbeddingParameters + HeadParameters + FinalNormParameters + VisionParameters + AudioParameters);
                for (int i = 0; i < NumLayers; i++) sum = checked(sum + LayerParameters(i));
                derived.Total = sum;
                return sum;
            }
        }

        /// <summary>Parameters one token passes through (MoE: routed experts per token plus shared ones).</summary>
        public long ActiveParameters
        {
            get
            {
                var derived = Cache;
                if (derived.Active is long cached) return cached;
                long sum = checked(EmbeddingParameters + HeadParameters + FinalNormParameters);
                for (int i = 0; i < NumLayers; i++)
                {
                    sum = checked(sum + LayerOtherParameters(i));
                    foreach (var m in LinearModules(i))
                    {
                        long each = m.Parameters / m.Count;
                        int used = m.Count > 1 && IsMoeLayer(i) ? Math.Min(m.Count, ExpertsPerToken) : m.Count;
                        sum = checked(sum + each * used);
                    }
                }
                derived.Active = sum;
                return sum;
            }
        }

        /// <summary>
        /// Values derived from the fields (module lists, their names and parameter counts), computed on first use. Setting any field
        /// but the metadata (Id, Aliases, Source, ParametersSource, PublishedParameters) drops them; copies made by
        /// <see cref="WithId"/> share them. Threads that race to fill one compute the same value.
        /// </summary>
        private sealed class Derived
        {
            public readonly LinearModule[]?[] Arrays = new LinearModule[]?[BlockKinds];
            public readonly int[]?[] NameIndexes = new int[]?[BlockKinds];
            public readonly IReadOnlyList<LinearModule>?[] Modules = new IReadOnlyList<LinearModule>?[BlockKinds];
            /// <summary>Counts are boxed: a reference is written whole, where a long? (or a long in a 32-bit process) may tear.</summary>
            public readonly object?[] LayerParameters = new object?[BlockKinds];
            public IReadOnlyList<string>? ModuleNames;
            public object? Total;
            public object? Active;
            public LinearModule[]? VisionModules;
        }

        private Derived? _derived;

        private Derived Cache => _derived ??= new Derived();

        /// <summary>A copy of this architecture under another id (an alias or a chat variant the user named).</summary>
        public ModelArchitecture WithId(string id)
        {
            var copy = (ModelArchitecture)MemberwiseClone();
            copy.Id = id;
            copy.Aliases = (string[])Aliases.Clone();
            return copy;
        }

        /// <summary>This architecture with a scalar score head in place of its LM head (a reward or value model).</summary>
        public ModelArchitecture WithScalarHead()
        {
            var copy = WithId(Id);
            copy.ScalarHead = true;
            return copy;
        }

        private long NormWeights(long width) => Norm switch
        {
            NormKind.LayerNorm => checked(2 * width),
            NormKind.ParameterFreeLayerNorm => 0,
            _ => width,
        };

        /// <summary>
        /// A Llama-3-like decoder of about the given size (1M to 100T parameters), for -Params. See
        /// <see cref="LlamaLikeShape"/> for how the shape is chosen.
        /// </summary>
        public static ModelArchitecture LlamaLike(long parameters) => LlamaLikeShape.For(parameters);
    }
}
