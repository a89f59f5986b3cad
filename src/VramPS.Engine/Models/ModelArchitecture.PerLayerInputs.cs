namespace VramPS.Engine.Models
{
    /// <summary>
    /// Gemma 4's per-layer embeddings (PLE; transformers models/gemma4 Gemma4TextModel and Gemma4TextDecoderLayer): a second
    /// token embedding, embed_tokens_per_layer, of perLayerVocabSize x (numLayers x perLayerInputSize), which
    /// per_layer_model_projection (hidden -> numLayers x perLayerInputSize) and per_layer_projection_norm combine with the
    /// hidden state; each block gates its slice in (per_layer_input_gate, per_layer_projection, post_per_layer_input_norm).
    /// </summary>
    public sealed partial class ModelArchitecture
    {
        /// <summary>Width of each block's slice of the per-layer embedding (hidden_size_per_layer_input); 0: none.</summary>
        public int PerLayerInputSize { get; internal set { field = value; _derived = null; } }
        /// <summary>Rows of the per-layer embedding (vocab_size_per_layer_input).</summary>
        public int PerLayerVocabSize { get; internal set { field = value; _derived = null; } }

        public bool HasPerLayerInputs => PerLayerInputSize > 0;

        /// <summary>The per-layer embedding table alone: an nn.Embedding, which stays 16-bit under 4-bit loading.</summary>
        public long PerLayerEmbeddingTable => checked((long)PerLayerVocabSize * NumLayers * PerLayerInputSize);

        /// <summary>The table, per_layer_model_projection and per_layer_projection_norm (the model's share of PLE).</summary>
        public long PerLayerEmbeddingParameters => HasPerLayerInputs
            ? checked(PerLayerEmbeddingTable + (long)HiddenSize * NumLayers * PerLayerInputSize + NormWeights(PerLayerInputSize))
            : 0;

        /// <summary>One block's share: per_layer_input_gate (hidden -> slice), per_layer_projection (slice -> hidden) and its norm.</summary>
        public long PerLayerInputParameters => HasPerLayerInputs
            ? checked(2L * HiddenSize * PerLayerInputSize + NormParameters)
            : 0;
    }
}
