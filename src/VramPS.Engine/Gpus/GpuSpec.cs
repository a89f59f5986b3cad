using System;

namespace VramPS.Engine.Gpus
{
    /// <summary>One accelerator as the catalog describes it. Memory is what the driver reports as the device total.</summary>
    public sealed class GpuSpec
    {
        /// <summary>Short name users type: H100-SXM, A100-80GB, RTX-4090 ...</summary>
        public string Name { get; set; } = "";
        public string Vendor { get; set; } = "";
        /// <summary>Hopper, Ampere, Ada, Blackwell, Volta, Turing, CDNA3 ...</summary>
        public string Architecture { get; set; } = "";
        /// <summary>CUDA compute capability ("9.0") for NVIDIA, LLVM gfx target ("gfx942") for AMD; "" when not given.</summary>
        public string ComputeCapability { get; set; } = "";
        /// <summary>Device memory in bytes as nvidia-smi / rocm-smi report the total.</summary>
        public long MemoryBytes { get; set; }
        /// <summary>Where MemoryBytes comes from: a reported figure and its source, or the marketed capacity.</summary>
        public string MemoryNote { get; set; } = "";
        public bool SupportsBf16 { get; set; }
        /// <summary>Dense (no sparsity) 16-bit tensor TFLOPS: bf16 where supported, else fp16.</summary>
        public double DenseTflops16 { get; set; }
        /// <summary>Memory bandwidth in GB/s.</summary>
        public double MemoryBandwidthGBps { get; set; }
        /// <summary>CUDA/ROCm context and kernel images resident once a framework initializes, in bytes.</summary>
        public long ContextBytes { get; set; }
        /// <summary>Where ContextBytes comes from.</summary>
        public string ContextNote { get; set; } = "";
        /// <summary>Typical on-demand cloud price per GPU-hour in USD, 0 when not rented.</summary>
        public double PricePerHour { get; set; }
        public string PriceSource { get; set; } = "";
        public string Source { get; set; } = "";
        public string[] Aliases { get; set; } = Array.Empty<string>();

        internal GpuSpec WithAliases(string[] aliases)
        {
            var copy = (GpuSpec)MemberwiseClone();
            copy.Aliases = aliases;
            return copy;
        }
    }
}
