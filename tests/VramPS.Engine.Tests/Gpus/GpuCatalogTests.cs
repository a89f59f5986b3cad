using System;
using System.Linq;
using VramPS.Engine.Errors;
using VramPS.Engine.Gpus;
using Xunit;

namespace VramPS.Engine.Tests.Gpus
{
    /// <summary>Looking GPUs up: Find, Get, Match, ClosestNames and merging user entries over the embedded ones.</summary>
    public sealed class GpuCatalogTests
    {
        private static readonly GpuCatalog Catalog = GpuCatalog.Default;

        private static GpuSpec Gpu(string name, params string[] aliases) => new GpuSpec
        {
            Name = name, Aliases = aliases, Vendor = "Test", Architecture = "Hopper", MemoryBytes = 1L << 36,
            SupportsBf16 = true, DenseTflops16 = 100, MemoryBandwidthGBps = 1000, ContextBytes = 1 << 29,
        };

        private static string[] Names(System.Collections.Generic.IEnumerable<GpuSpec> gpus) => gpus.Select(g => g.Name).ToArray();

        [Theory]
        [InlineData("H100-SXM")]
        [InlineData("h100-sxm")]
        [InlineData("H100 SXM")]
        [InlineData("h100_sxm")]
        [InlineData("  H100-SXM  ")]
        [InlineData("H100SXM")]
        public void Find_ignores_case_spaces_hyphens_and_underscores(string typed)
        {
            Assert.Equal("H100-SXM", Catalog.Find(typed)?.Name);
        }

        [Theory]
        [InlineData(null)]
        [InlineData("")]
        [InlineData("   ")]
        [InlineData("H1000")]
        [InlineData("H100*")]
        public void Find_returns_null_for_anything_not_in_the_catalog(string? typed)
        {
            Assert.Null(Catalog.Find(typed));
        }

        [Fact]
        public void Get_of_an_unknown_name_throws_UnknownNameException_with_the_five_closest_names()
        {
            var e = Assert.Throws<UnknownNameException>(() => Catalog.Get("H100-SMX", "TargetGpu"));
            Assert.Equal("TargetGpu", e.Parameter);
            Assert.Equal("H100-SMX", e.Value);
            Assert.Equal(5, e.Closest.Count);
            Assert.Equal("H100-SXM", e.Closest[0]);
            Assert.Contains("-TargetGpu 'H100-SMX'", e.Message);
            Assert.Contains("H100-SXM", e.Message);
        }

        [Fact]
        public void Get_of_null_throws_UnknownNameException_naming_the_default_parameter()
        {
            var e = Assert.Throws<UnknownNameException>(() => Catalog.Get(null));
            Assert.Equal("Gpu", e.Parameter);
            Assert.Equal("", e.Value);
        }

        [Theory]
        [InlineData("H100*", "H100-SXM", "H100-PCIe", "H100-NVL")]
        [InlineData("*4090", "RTX-4090")]
        [InlineData("RTX-40?0", "RTX-4090", "RTX-4080")]
        [InlineData("rtx 40*", "RTX-4090", "RTX-4080")]
        [InlineData("MI3*", "MI300X", "MI325X")]
        [InlineData("Tesla*", "T4", "V100-16GB", "V100-32GB")]
        [InlineData("h1??-sxm", "H100-SXM")]
        [InlineData("*H200*", "H200", "GH200-96GB", "GH200-144GB")]
        [InlineData("A10", "A10")]
        [InlineData("A10?", "A100-80GB", "A10G")]
        [InlineData("")]
        [InlineData("nothing*")]
        public void Match_finds_names_and_aliases_by_wildcard_in_catalog_order(string pattern, params string[] expected)
        {
            Assert.Equal(expected, Names(Catalog.Match(pattern)));
        }

        [Fact]
        public void Match_star_returns_every_entry_once()
        {
            Assert.Equal(Names(Catalog.All), Names(Catalog.Match("*")));
            Assert.Equal(Names(Catalog.All), Names(Catalog.Match("**")));
        }

        [Fact]
        public void Match_of_null_throws_ArgumentNullException()
        {
            Assert.Throws<ArgumentNullException>(() => Catalog.Match(null!));
        }

        [Theory]
        [InlineData("H10-SXM", "H100-SXM")]
        [InlineData("RTX-409", "RTX-4090")]
        [InlineData("MI300", "MI300X")]
        [InlineData("a100 80", "A100-80GB")]
        [InlineData("GH20", "GH200-96GB")]
        public void ClosestNames_puts_the_nearest_name_or_alias_first(string typed, string nearest)
        {
            Assert.Equal(nearest, Catalog.ClosestNames(typed, 3)[0]);
        }

        [Fact]
        public void ClosestNames_returns_at_most_count_distinct_entry_names()
        {
            Assert.Empty(Catalog.ClosestNames("H100", 0));
            Assert.Empty(Catalog.ClosestNames("H100", -2));
            Assert.Equal(5, Catalog.ClosestNames(null, 5).Count);
            var all = Catalog.ClosestNames("x", 1000);
            Assert.Equal(Catalog.All.Count, all.Count);
            Assert.Equal(all.Count, all.Distinct().Count());
        }

        [Fact]
        public void ClosestNames_of_a_huge_string_is_quick()
        {
            Assert.Equal(5, Catalog.ClosestNames(new string('H', 1_000_000), 5).Count);
        }

        [Fact]
        public void Names_beat_aliases_and_later_aliases_beat_earlier_ones()
        {
            var catalog = new GpuCatalog(new[] { Gpu("Alpha", "Shared"), Gpu("Beta", "Alpha", "Shared") });
            Assert.Equal("Alpha", catalog.Find("alpha")!.Name);
            Assert.Equal("Beta", catalog.Find("shared")!.Name);
        }

        [Fact]
        public void MergedWith_replaces_by_name_in_place_and_keeps_the_replaced_aliases()
        {
            var user = Gpu("H100-SXM");
            user.PricePerHour = 1.23;
            var merged = Catalog.MergedWith(new GpuCatalog(new[] { user }));

            Assert.Equal(Names(Catalog.All), Names(merged.All));
            Assert.Equal(1.23, merged.Get("H100-SXM").PricePerHour);
            Assert.Equal(1.23, merged.Get("H100").PricePerHour);
            Assert.Equal(1.23, merged.Get("NVIDIA H100 80GB HBM3").PricePerHour);
            Assert.Empty(user.Aliases);
            Assert.NotEqual(1.23, Catalog.Get("H100").PricePerHour);
        }

        [Fact]
        public void MergedWith_appends_new_entries_and_gives_them_the_aliases_they_claim()
        {
            var merged = Catalog.MergedWith(new GpuCatalog(new[] { Gpu("Lab-Box", "4090") }));

            Assert.Equal(Catalog.All.Count + 1, merged.All.Count);
            Assert.Equal("Lab-Box", merged.All.Last().Name);
            Assert.Equal("Lab-Box", merged.Get("4090").Name);
            Assert.Equal("RTX-4090", merged.Get("RTX-4090").Name);
            Assert.Equal(new[] { "RTX-4090", "Lab-Box" }, Names(merged.Match("*4090")));
            Assert.DoesNotContain("4090", merged.Get("RTX-4090").Aliases);
        }

        [Fact]
        public void MergedWith_null_throws_ArgumentNullException()
        {
            Assert.Throws<ArgumentNullException>(() => Catalog.MergedWith(null!));
        }

        [Fact]
        public void The_constructor_refuses_null_lists_and_null_entries()
        {
            Assert.Throws<ArgumentNullException>(() => new GpuCatalog(null!));
            Assert.Throws<ArgumentException>(() => new GpuCatalog(new[] { Gpu("A"), null! }));
        }
    }
}
