namespace VramPS.Engine.Frameworks
{
    /// <summary>What -Checkpointing Selective means in a framework.</summary>
    public enum SelectiveRecompute
    {
        /// <summary>No selective mode: -Checkpointing Selective is refused.</summary>
        None,
        /// <summary>Megatron-LM's --recompute-granularity selective: the core attention runs again in backward, the rest is kept.</summary>
        CoreAttention,
        /// <summary>
        /// torchtitan's op-level selective checkpointing: each block is checkpointed, but the outputs of the ops on its
        /// save list (every other matmul, the attention kernel) are kept; backward recomputes the rest.
        /// </summary>
        OpLevel,
    }
}
