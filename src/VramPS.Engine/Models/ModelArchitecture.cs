using System;
using System.Collections.Generic;

namespace VramPS.Engine.Models
{
    /// <summary>
    /// The architecture fields a memory estimate needs, as a catalog entry or a Hugging Face config.json gives them.
    /// Parameter counts are derived from these fields, never stored.
    /// </summary>
    public sealed class ModelArchitecture
    {
        public string Id { get; set; } = "";
        /// <summary>Hugging Face config model_type: llama, mistral, gpt_bigcode, gpt_neox, phi, falcon, bert ...</summary>
        public string ModelType { get; set; } = "llama";
        public int HiddenSize { get; set; }
        public int IntermediateSize { get; set; }
        public int NumLayers { get; set; }
        public int NumHeads { get; set; }
        public int NumKvHeads { get; set; }
        public int HeadDim { get; set; }
        public int VocabSize { get; set; }
        public bool TiedEmbeddings { get; set; }
        public MlpKind Mlp { get; set; } = MlpKind.Gated;
        public string Activation { get; set; } = "silu";
        public NormKind Norm { get; set; } = NormKind.RmsNorm;
        public PositionKind Positions { get; set; } = PositionKind.Rope;
        /// <summary>Rows of a learned position table (Positions = Learned).</summary>
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
        /// <summary>RMSNorm on queries and keys per head (Qwen3, OLMo 2, Gemma 3).</summary>
        public bool QkNorm { get; set; }
        /// <summary>Encoder-only model (BERT): a pooler and an MLM head instead of a causal LM head.</summary>
        public bool Encoder { get; set; }

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
        public long KvDim => (long)NumKvHeads * HeadDim;
        public long QDim => (long)NumHeads * HeadDim;

        /// <summary>True for a layer whose MLP is a mixture of experts.</summary>
        public bool IsMoeLayer(int layer) => IsMoe && layer >= DenseLayers;

        /// <summary>The linear modules of one block, named as Hugging Face names them for this model type.</summary>
        public IReadOnlyList<LinearModule> LinearModules(int layer) => ModuleLayout.For(this, layer);

        /// <summary>Token, position and token-type embeddings.</summary>
        public long EmbeddingParameters =>
            (long)VocabSize * HiddenSize + (long)MaxPositions * HiddenSize + (long)TypeVocabSize * HiddenSize
            + (Encoder ? 2L * HiddenSize : 0);

        /// <summary>The output head's own parameters (0 when tied to the embedding, bias aside).</summary>
        public long HeadParameters =>
            (TiedEmbeddings ? 0 : (long)VocabSize * HiddenSize) + (LmHeadBias ? VocabSize : 0)
            + (Encoder ? (long)HiddenSize * HiddenSize + HiddenSize + NormParameters + HiddenSize * (long)HiddenSize + HiddenSize : 0);

        /// <summary>Weights (and biases) of one norm.</summary>
        public long NormParameters => Norm == NormKind.LayerNorm ? 2L * HiddenSize : HiddenSize;

        /// <summary>Norm parameters in one block (per-head q/k norms included).</summary>
        public long LayerNormParameters => NormsPerLayer * NormParameters + (QkNorm ? 2L * HeadDim : 0);

        public long LayerParameters(int layer)
        {
            long sum = LayerNormParameters;
            foreach (var m in LinearModules(layer)) sum += m.Parameters;
            return sum;
        }

        /// <summary>The final norm (encoders normalize the embeddings instead).</summary>
        public long FinalNormParameters => NormParameters;

        public long TotalParameters
        {
            get
            {
                long sum = EmbeddingParameters + HeadParameters + FinalNormParameters;
                for (int i = 0; i < NumLayers; i++) sum += LayerParameters(i);
                return sum;
            }
        }

        /// <summary>Parameters one token passes through (MoE: routed experts per token plus shared ones).</summary>
        public long ActiveParameters
        {
            get
            {
                long sum = EmbeddingParameters + HeadParameters + FinalNormParameters;
                for (int i = 0; i < NumLayers; i++)
                {
                    sum += LayerNormParameters;
                    foreach (var m in LinearModules(i))
                    {
                        long each = m.Parameters / m.Count;
                        int used = m.Count > 1 && IsMoeLayer(i) ? Math.Min(m.Count, ExpertsPerToken) : m.Count;
                        sum += each * used;
                    }
                }
                return sum;
            }
        }

        /// <summary>
        /// A Llama-like decoder of about the given size, for -Params: hidden size from the Llama family's aspect
        /// ratio, SwiGLU MLP 8/3 wide, GQA with 8 KV heads above 10B, 128k vocabulary.
        /// </summary>
        public static ModelArchitecture LlamaLike(long parameters)
        {
            const int vocab = 128256;
            int layers = parameters < 2e9 ? 16 : parameters < 5e9 ? 28 : parameters < 20e9 ? 32 : parameters < 50e9 ? 48 : parameters < 100e9 ? 80 : 126;
            const int kvHeads = 8;
            // Solve layers*(h*h*(2 + 2*kv/heads) + 3*h*i) + 2*vocab*h = P with i = 3.5h, head_dim 128, by bisection on h.
            double lo = 128, hi = 65536;
            for (int k = 0; k < 60; k++)
            {
                double h = (lo + hi) / 2;
                double heads = h / 128;
                double perLayer = h * h * 2 + 2 * h * Math.Min(kvHeads, heads) * 128 + 3 * h * 3.5 * h;
                if (layers * perLayer + 2.0 * vocab * h > parameters) hi = h; else lo = h;
            }
            int hidden = Math.Max(128, (int)Math.Round(lo / 128) * 128);
            int numHeads = hidden / 128;
            return new ModelArchitecture
            {
                Id = $"llama-like-{parameters / 1e9:0.###}B",
                ModelType = "llama",
                HiddenSize = hidden,
                IntermediateSize = (int)Math.Round(hidden * 3.5 / 256) * 256,
                NumLayers = layers,
                NumHeads = numHeads,
                NumKvHeads = Math.Min(kvHeads, numHeads),
                HeadDim = 128,
                VocabSize = vocab,
                Source = "Llama-like architecture derived from the requested parameter count",
            };
        }
    }
}
