namespace VramPS.Engine.Frameworks
{
    /// <summary>The code that computes a causal-LM loss from the head's output; each holds logits differently.</summary>
    public enum LossPath
    {
        /// <summary>transformers' model and loss functions, by release (upcast, shift and log-softmax copies).</summary>
        Transformers,
        /// <summary>litgpt's chunked head and per-chunk cross-entropy.</summary>
        Litgpt,
        /// <summary>The whole output cast to fp32 before cross_entropy (torchtitan, torchtune); with -Techniques ChunkedLoss, torchtune's CEWithChunkedOutputLoss.</summary>
        Fp32Upcast,
        /// <summary>Megatron-Core's vocabulary-parallel cross-entropy (fp32 softmax in place).</summary>
        Megatron,
        /// <summary>
        /// Unsloth's fused loss with -Techniques ChunkedLoss: the head runs chunk by chunk inside the loss, which keeps the
        /// hidden states' gradient; without ChunkedLoss, transformers' loss path.
        /// </summary>
        UnslothFused,
    }
}
