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
        /// Reserved = allocated plus what the allocator cannot hand back between phases: blocks freed by the
        /// activation and logits churn that do not fit the next requests. The churn's share follows the caching
        /// allocator's behaviour of splitting and keeping segments of the largest transient tensors.
        /// </summary>
        public static long Reserved(long allocated, long churn, int tensorsAlive)
        {
            long rounding = tensorsAlive * (BlockRounding / 2);
            long fragmentation = churn / 10;
            return Checked.Sum(allocated, rounding, fragmentation);
        }

        public static long Context(GpuSpec? gpu) => gpu is null || gpu.ContextBytes <= 0 ? DefaultContextBytes : gpu.ContextBytes;

        /// <summary>NCCL communicators and their buffers once a process group is up.</summary>
        public static long Nccl(int gpuCount) => gpuCount > 1 ? 512L << 20 : 0;
    }
}
