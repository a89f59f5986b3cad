using System;

namespace VramPS.Engine.Estimation
{
    /// <summary>
    /// Host RAM one node needs: what each of its ranks keeps on the host (offloaded optimizer states, gradients and
    /// parameters, offloaded activations; pinned, as DeepSpeed's and FSDP's offload allocate them) plus each rank's
    /// data-loader share, times the ranks on the node.
    /// </summary>
    internal static class HostMemory
    {
        /// <summary>
        /// A micro-batch's input_ids, labels and attention_mask as int64, held by the loader and again in the pinned
        /// copy it makes for the host-to-device transfer (pin_memory, the Trainer's default).
        /// </summary>
        public const double LoaderBytesPerToken = 3 * 8 * 2;

        public static long PerNode(long offloadedPerRank, ResolvedRecipe r)
        {
            int ranks = Math.Min(r.GpuCount, r.GpusPerNode);
            double loader = LoaderBytesPerToken * r.BatchSize * r.SequenceLength;
            return Checked.Bytes(ranks * (offloadedPerRank + loader));
        }

        public static int Nodes(ResolvedRecipe r) => (r.GpuCount + r.GpusPerNode - 1) / r.GpusPerNode;
    }
}
