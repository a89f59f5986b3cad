using VramPS.Engine.Gpus;

namespace VramPS.Engine.Estimation
{
    /// <summary>From allocated bytes to what the caching allocator reserves and what the device shows.</summary>
    internal static class RuntimeMemory
    {
        /// <summary>CUDA context and kernels measured on a V100 in transformers' "model training anatomy" guide (no lazy loading).</summary>
        public const long DefaultContextBytes = 1343L << 20;

        /// <summary>The caching allocator rounds large blocks up to 2 MiB and keeps whole segments.</summary>
        private const long BlockRounding = 2L << 20;

        /// <summary>
        /// Reserved = allocated plus what the allocator cannot hand back between phases: half a 2 MiB block of
        /// rounding per layer's tensors, a tenth of the activation and logits churn (freed blocks split for smaller
        /// requests; an estimate, not a measured constant), and, under FSDP, the unsharded units it gathers on its
        /// own stream, whose blocks stay in that stream's pool of the caching allocator.
        /// </summary>
        public static long Reserved(long allocated, long churn, int tensorsAlive, long otherStreamPool)
        {
            long rounding = tensorsAlive * (BlockRounding / 2);
            long fragmentation = churn / 10;
            return Checked.Sum(allocated, rounding, fragmentation, otherStreamPool);
        }

        public static long Context(GpuSpec? gpu) => gpu is null || gpu.ContextBytes <= 0 ? DefaultContextBytes : gpu.ContextBytes;

        /// <summary>NCCL communicators and their buffers once a process group is up.</summary>
        public static long Nccl(int gpuCount) => gpuCount > 1 ? 512L << 20 : 0;
    }
}
