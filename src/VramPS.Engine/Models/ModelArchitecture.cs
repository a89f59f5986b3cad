using System;
using System.Collections.Generic;

namespace VramPS.Engine.Models
{
    /// <summary>
    /// The architecture fields a memory estimate needs, as a catalog entry or a Hugging Face config.json gives them.
    /// Parameter counts are derived from these fields, never stored; their arithmetic is checked, so absurd sizes from a
    /// file raise OverflowException (which <see cref="ArchitectureRules"/> turns into a refusal), never a wrapped count.
    /// </summary>
    public sealed class ModelArchitecture
    {
        public string Id { get; set; } = "";
        /// <summary>Hugging Face config model_type: llama, mistral, gpt_bigcode, gpt_neox, phi, falcon, bert ...</summary>
        public string ModelType { get; set; } = "llama";
        public int HiddenSize { get; set; }
        /// <summary>Width of a dense MLP (for Mixtral, which has no dense layer, the expert width).</summary>
        public int IntermediateSize { get; set; }
        public int NumLayers { get; set; }
        public int NumHeads { get; set; }
        public int NumKvHeads { get; set; }
        public int HeadDim { get; set; }
        public int VocabSize { get; set; }
        /// <summary>Width of the token embedding when it differs from the hidden size (OPT word_embed_proj_dim), 0 otherwise.</summary>
        public int EmbeddingDim { get; set; }
        public bool TiedEmbeddings { get; set; }
        public MlpKind Mlp { get; set; } = MlpKind.Gated;
        public string Activation { get; set; } = "silu";
        public NormKind Norm { get; set; } = NormKind.RmsNorm;
        public PositionKind Positions { get; set; } = PositionKind.Rope;
        /// <summary>Fraction of each head's dimensions that rotary embeddings rotate (Phi, GPT-NeoX rotary_pct).</summary>
        public double PartialRotaryFactor { get; set; } = 1.0;
        /// <summary>Rows of a learned position table (Positions = Learned; OPT adds its 2 offset rows here).</summary>
        public int MaxPositions { get; set; }
        /// <summary>Token-type embedding rows (BERT).</summary>
        public int TypeVocabSize { get; set; }
        public bool QkvBias { get; set; }
        public bool OutputBias { get; set; }
        public bool MlpBias { get; set; }
        public bool LmHeadBias { get; set; }
        /// <summary>Attention and MLP read the same normed input (GPT-J, NeoX parallel, Falcon, Phi).</summary>
        public bool ParallelBlock { get; set; }
        /// <summary>Norms per block (2 for pre-norm blocks, 1 for a shared parallel norm, 4 for Gemma 2/3 sandwich norms).</summary>
        public int NormsPerLayer { get; set; } = 2;
        /// <summary>A norm after the last block (false for BERT and for OPT-350m's post-norm blocks).</summary>
        public bool FinalNorm { get; set; } = true;
        /// <summary>RMSNorm on queries and keys per head (Qwen3, OLMo 2, Gemma 3).</summary>
        public bool QkNorm { get; set; }
        /// <summary>The query and key norms span all heads at once (OLMo 2) instead of one head.</summary>
        public bool QkNormOverHeads { get; set; }
        /// <summary>Encoder-only model (BERT): an embedding LayerNorm, a pooler and an MLM head instead of a causal LM head.</summary>
        public bool Encoder { get; set; }
        /// <summary>
        /// A bias-free score projection to one output instead of the LM head, as AutoModelForSequenceClassification builds
        /// reward and value models with num_labels=1 (LlamaForSequenceClassification.score, OPTForSequenceClassification.score).
        /// </summary>
        public bool ScalarHead { get; set; }

        public int Experts { get; set; }
        public int ExpertsPerToken { get; set; }
        public int MoeIntermediateSize { get; set; }
        public int SharedExperts { get; set; }
        public int SharedExpertIntermediateSize { get; set; }
        public bool SharedExpertGate { get; set; }
        /// <summary>Leading layers with a dense MLP in an MoE model (DeepSeek first_k_dense_replace).</summary>
        public int DenseLayers { get; set; }

        /// <summary>Multi-head latent attention (DeepSeek V2/V3) when KvLoraRank &gt; 0.</summary>
        public int QLoraRank { get; set; }
        public int KvLoraRank { get; set; }
        public int QkNopeHeadDim { get; set; }
        public int QkRopeHeadDim { get; set; }
        public int VHeadDim { get; set; }

        public double AttentionLogitSoftcap { get; set; }
        public double FinalLogitSoftcap { get; set; }
        public int SlidingWindow { get; set; }

        /// <summary>The count the model card or safetensors metadata publishes, for validation.</summary>
        public long PublishedParameters { get; set; }
        public string ParametersSource { get; set; } = "";
        public string Source { get; set; } = "";
        public string[] Aliases { get; set; } = Array.Empty<string>();

        public bool IsMoe => Experts > 0;
        public bool IsMla => KvLoraRank > 0;
        public long KvDim => checked((long)NumKvHeads * HeadDim);
        public long QDim => checked((long)NumHeads * HeadDim);
        /// <summary>Width of the token embedding and of the output head.</summary>
        public long TokenEmbeddingDim => EmbeddingDim > 0 ? EmbeddingDim : HiddenSize;

        /// <summary>True for a layer whose MLP is a mixture of experts.</summary>
        public bool IsMoeLayer(int layer) => IsMoe && layer >= DenseLayers;

        /// <summary>The linear modules of one block, named as Hugging Face names them for this model type.</summary>
        public IReadOnlyList<LinearModule> LinearModules(int layer) => ModuleLayout.For(this, layer);

        /// <summary>
        /// Token, position and token-type embeddings, the embedding LayerNorm of an encoder, and OPT's project_in and
        /// project_out when the token embedding is narrower than the hidden size.
        /// </summary>
        public long EmbeddingParameters => checked(
            (long)VocabSize * TokenEmbeddingDim
            + (Positions == PositionKind.Learned ? (long)MaxPositions * HiddenSize : 0)
            + (long)TypeVocabSize * HiddenSize
            + (Encoder ? NormParameters : 0)
            + (TokenEmbeddingDim != HiddenSize ? 2 * TokenEmbeddingDim * HiddenSize : 0));

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
            long sum = LayerNormParameters;
            foreach (var m in LinearModules(layer)) sum = checked(sum + m.Parameters);
            return sum;
        }

        /// <summary>The norm after the last block, 0 where the model has none.</summary>
        public long FinalNormParameters => FinalNorm ? NormParameters : 0;

        public long TotalParameters
        {
            get
            {
                long sum = checked(EmbeddingParameters + HeadParameters + FinalNormParameters);
                for (int i = 0; i < NumLayers; i++) sum = checked(sum + LayerParameters(i));
                return sum;
            }
        }

        /// <summary>Parameters one token passes through (MoE: routed experts per token plus shared ones).</summary>
        public long ActiveParameters
        {
            get
            {
                long sum = checked(EmbeddingParameters + HeadParameters + FinalNormParameters);
                for (int i = 0; i < NumLayers; i++)
                {
                    sum = checked(sum + LayerNormParameters);
                    foreach (var m in LinearModules(i))
                    {
                        long each = m.Parameters / m.Count;
                        int used = m.Count > 1 && IsMoeLayer(i) ? Math.Min(m.Count, ExpertsPerToken) : m.Count;
                        sum = checked(sum + each * used);
                    }
                }
                return sum;
            }
        }

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
