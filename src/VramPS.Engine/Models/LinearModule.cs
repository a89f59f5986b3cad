namespace VramPS.Engine.Models
{
    /// <summary>
    /// One linear module of a transformer block as Hugging Face names it (q_proj, query_key_value, c_attn ...):
    /// what a LoRA target list selects and what quantization replaces.
    /// </summary>
    public sealed class LinearModule
    {
        public LinearModule(string name, long inFeatures, long outFeatures, int count, bool hasBias, LinearRole role)
        {
            Name = name;
            InFeatures = inFeatures;
            OutFeatures = outFeatures;
            Count = count;
            HasBias = hasBias;
            Role = role;
        }

        /// <summary>The Hugging Face module name (the last part of its path).</summary>
        public string Name { get; }
        public long InFeatures { get; }
        public long OutFeatures { get; }
        /// <summary>How many copies a layer holds (MoE experts), 1 otherwise.</summary>
        public int Count { get; }
        public bool HasBias { get; }
        public LinearRole Role { get; }

        /// <summary>
        /// Megatron-Core builds this module into one linear with the module before it: q, k and v into linear_qkv, gate
        /// and up into linear_fc1, a Gated DeltaNet's input projections into in_proj (a profile's
        /// OneAdapterPerFusedLinear reads it).
        /// </summary>
        internal bool JoinsPrevious { get; init; }

        /// <summary>Weights and biases of all copies.</summary>
        public long Parameters => checked(Count * (InFeatures * OutFeatures + (HasBias ? OutFeatures : 0)));
    }
}
