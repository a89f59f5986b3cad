using System.Collections.Generic;
using VramPS.Engine.Text;

namespace VramPS.Engine.Gpus
{
    /// <summary>
    /// One accelerator as the catalog describes it. Memory is what the driver reports as the device total. Entries are
    /// made by the catalog reader only and never change, so every runspace can share them; no public constructor also
    /// keeps PowerShell from trying to build one out of each object piped to a -GpuSpec parameter.
    /// </summary>
    public sealed class GpuSpec
    {
        internal GpuSpec()
        {
        }

        /// <summary>Short name users type: H100-SXM, A100-80GB, RTX-4090 ...</summary>
        public string Name { get; internal set; } = "";
        public string Vendor { get; internal set; } = "";
        /// <summary>Hopper, Ampere, Ada, Blackwell, Volta, Turing, CDNA3 ...</summary>
        public string Architecture { get; internal set; } = "";
        /// <summary>CUDA compute capability ("9.0") for NVIDIA, LLVM gfx target ("gfx942") for AMD; "" when not given.</summary>
        public string ComputeCapability { get; internal set; } = "";
        /// <summary>Device memory in bytes as nvidia-smi / rocm-smi report the total.</summary>
        public long MemoryBytes { get; internal set; }
        /// <summary>Where MemoryBytes comes from: a reported figure and its source, or the marketed capacity.</summary>
        public string MemoryNote { get; internal set; } = "";
        public bool SupportsBf16 { get; internal set; }
        /// <summary>Dense (no sparsity) 16-bit tensor TFLOPS: bf16 where supported, else fp16.</summary>
        public double DenseTflops16 { get; internal set; }
        /// <summary>Memory bandwidth in GB/s.</summary>
        public double MemoryBandwidthGBps { get; internal set; }
        /// <summary>CUDA/ROCm context and kernel images resident once a framework initializes, in bytes.</summary>
        public long ContextBytes { get; internal set; }
        /// <summary>Where ContextBytes comes from.</summary>
        public string ContextNote { get; internal set; } = "";
        /// <summary>Typical on-demand cloud price per GPU-hour in USD; null when the catalog gives none (a price of 0).</summary>
        public double? PricePerHour { get; internal set; }
        /// <summary>Who charges PricePerHour and when it was read, or why there is no price.</summary>
        public string PriceSource { get; internal set; } = "";
        public string Source { get; internal set; } = "";
        public IReadOnlyList<string> Aliases { get => _aliases; internal set => _aliases = ReadableList.Names(value); }
        private IReadOnlyList<string> _aliases = ReadableList.Names(null);

        /// <summary>The name, as a cell of Export-Csv shows a GPU held by another result.</summary>
        public override string ToString() => Name;

        internal GpuSpec WithAliases(string[] aliases)
        {
            var copy = (GpuSpec)MemberwiseClone();
            copy.Aliases = aliases;
            return copy;
        }
    }
}
