using System.Collections.Generic;
using System.Linq;
using System.Text.RegularExpressions;
using VramPS.Engine.Gpus;
using Xunit;

namespace VramPS.Engine.Tests.Gpus
{
    /// <summary>The data in the embedded catalog: complete, consistent, and pinned to hand-checked figures.</summary>
    public sealed class EmbeddedGpuCatalogTests
    {
        private const long MiB = 1024 * 1024;

        /// <summary>bf16 tensor support by architecture: none before Ampere (NVIDIA) or CDNA2 (AMD).</summary>
        private static readonly Dictionary<string, bool> Bf16ByArchitecture = new Dictionary<string, bool>
        {
            ["Volta"] = false,
            ["Turing"] = false,
            ["Ampere"] = true,
            ["Ada"] = true,
            ["Hopper"] = true,
            ["Blackwell"] = true,
            ["CDNA2"] = true,
            ["CDNA3"] = true,
        };

        public static IEnumerable<object[]> Names => GpuCatalog.Default.All.Select(g => new object[] { g.Name });

        [Fact]
        public void Loads_through_the_same_validation_as_user_catalogs_and_holds_at_least_30_gpus()
        {
            Assert.True(GpuCatalog.Default.All.Count >= 30, $"{GpuCatalog.Default.All.Count} GPUs");
        }

        [Theory]
        [MemberData(nameof(Names))]
        public void Every_entry_is_complete_and_plausible(string name)
        {
            var gpu = GpuCatalog.Default.Get(name);
            Assert.InRange(gpu.MemoryBytes, 8L * 1024 * MiB, 512L * 1024 * MiB);
            Assert.InRange(gpu.ContextBytes, 1, gpu.MemoryBytes / 8);
            Assert.InRange(gpu.DenseTflops16, 10, 5000);
            Assert.InRange(gpu.MemoryBandwidthGBps, 100, 20000);
            Assert.True(gpu.PricePerHour is null or > 0);
            Assert.NotEmpty(gpu.Vendor);
            Assert.NotEmpty(gpu.ComputeCapability);
            Assert.NotEmpty(gpu.MemoryNote);
            Assert.NotEmpty(gpu.ContextNote);
            Assert.StartsWith("https://", gpu.Source);
        }

        [Theory]
        [MemberData(nameof(Names))]
        public void Bf16_support_matches_the_architecture_generation(string name)
        {
            var gpu = GpuCatalog.Default.Get(name);
            Assert.True(Bf16ByArchitecture.ContainsKey(gpu.Architecture), $"unknown architecture {gpu.Architecture}");
            Assert.Equal(Bf16ByArchitecture[gpu.Architecture], gpu.SupportsBf16);
        }

        [Theory]
        [MemberData(nameof(Names))]
        public void A_price_names_a_dated_source_and_no_price_says_why(string name)
        {
            var gpu = GpuCatalog.Default.Get(name);
            if (gpu.PricePerHour > 0) Assert.Matches(new Regex(@"\b20\d\d-\d\d-\d\d\b"), gpu.PriceSource);
            else Assert.Matches(new Regex(@"^[A-Za-z]\w* .{20,}"), gpu.PriceSource);
        }

        [Fact]
        public void Names_and_aliases_are_unique_across_the_catalog()
        {
            var keys = GpuCatalog.Default.All.SelectMany(g => new[] { g.Name }.Concat(g.Aliases)).Select(GpuNameKey.Of).ToList();
            Assert.Equal(keys.Count, keys.Distinct().Count());
        }

        [Theory]
        // nvidia-smi memory.total, thamada/nvidia-smi gls/H100SXMx8_smi.py and modal-labs/modal-client#2797.
        [InlineData("H100-SXM", 81559)]
        // thamada/nvidia-smi gls/A100SXMx4_smi.py; modal-labs/modal-client#2797.
        [InlineData("A100-80GB", 81920)]
        // modal-labs/modal-client#2797.
        [InlineData("A100-40GB", 40960)]
        [InlineData("T4", 15360)]
        // thamada/nvidia-smi gls/RTX4090_smi.py.
        [InlineData("RTX-4090", 24564)]
        // thamada/nvidia-smi gls/L4_smi.py.
        [InlineData("L4", 23034)]
        // skypilot-org/skypilot-catalog catalogs/v8/vast/vms.csv (Vast.ai hosts' nvidia-smi totals).
        [InlineData("H200", 143771)]
        // NVIDIA/TensorRT-LLM#10278 (nvidia-smi on 8x B200).
        [InlineData("B200", 183359)]
        // thamada/nvidia-smi gls/H100NVLx2_smi.py.
        [InlineData("H100-NVL", 95830)]
        public void Memory_is_the_reported_nvidia_smi_total(string name, long mib)
        {
            Assert.Equal(mib * MiB, GpuCatalog.Default.Get(name).MemoryBytes);
        }

        [Fact]
        public void Mi300x_memory_is_the_rocm_smi_total()
        {
            // rocm-smi VRAM Total Memory; hipDeviceProp 196592 MiB in thamada/nvidia-smi gls/MI300X_x4_deviceQuery.py.
            Assert.Equal(196592 * MiB, GpuCatalog.Default.Get("MI300X").MemoryBytes);
        }

        [Theory]
        // NVIDIA spec sheets list sparse figures; dense is half (H100 SXM BF16 1,979 with sparsity).
        [InlineData("H100-SXM", 989, 3350)]
        [InlineData("A100-80GB", 312, 2039)]
        [InlineData("L40S", 362.05, 864)]
        [InlineData("T4", 65, 320)]
        // AMD lists dense: MI300X BF16 1,307.4 TFLOPS, 5.3 TB/s.
        [InlineData("MI300X", 1307.4, 5300)]
        public void Tensor_rate_and_bandwidth_follow_the_spec_sheet(string name, double tflops, double bandwidth)
        {
            var gpu = GpuCatalog.Default.Get(name);
            Assert.Equal(tflops, gpu.DenseTflops16);
            Assert.Equal(bandwidth, gpu.MemoryBandwidthGBps);
        }

        [Theory]
        [InlineData("H100", "H100-SXM")]
        [InlineData("NVIDIA H100 80GB HBM3", "H100-SXM")]
        [InlineData("A100", "A100-80GB")]
        [InlineData("NVIDIA A100-SXM4-40GB", "A100-40GB")]
        [InlineData("4090", "RTX-4090")]
        [InlineData("RTX 4090", "RTX-4090")]
        [InlineData("NVIDIA GeForce RTX 3090", "RTX-3090")]
        [InlineData("Tesla T4", "T4")]
        [InlineData("V100", "V100-16GB")]
        [InlineData("AMD Instinct MI300X", "MI300X")]
        [InlineData("GH200", "GH200-96GB")]
        public void Common_spellings_and_nvidia_smi_names_find_their_entry(string typed, string expected)
        {
            Assert.Equal(expected, GpuCatalog.Default.Get(typed).Name);
        }
    }
}
