using System;
using System.IO;
using System.Linq;
using VramPS.Engine.Errors;
using VramPS.Engine.Gpus;
using Xunit;

namespace VramPS.Engine.Tests.Gpus
{
    /// <summary>Reading inventory files in JSON and CSV.</summary>
    public sealed class GpuInventoryTests : IDisposable
    {
        private readonly TempFolder _folder = new TempFolder();

        public void Dispose() => _folder.Dispose();

        private (string Name, int Count)[] Load(string fileName, string text) =>
            GpuInventory.Load(_folder.Write(fileName, text), GpuCatalog.Default).Select(i => (i.Gpu.Name, i.Count)).ToArray();

        private void LoadFails(string fileName, string text, params string[] fragments)
        {
            string path = _folder.Write(fileName, text);
            var e = Assert.Throws<InvalidDataFileException>(() => GpuInventory.Load(path, GpuCatalog.Default));
            Assert.Equal(path, e.Path);
            Assert.StartsWith(path + ": ", e.Message);
            foreach (string fragment in fragments) Assert.Contains(fragment, e.Message);
        }

        [Theory]
        [InlineData("[{\"gpu\": \"H100-SXM\", \"count\": 16}, {\"gpu\": \"4090\", \"count\": 2}]")]
        [InlineData("{\"inventory\": [{\"gpu\": \"H100\", \"count\": 16}, {\"gpu\": \"RTX 4090\", \"count\": 2}]}")]
        [InlineData("[\n  {\n    \"Gpu\": \"NVIDIA H100 80GB HBM3\",\n    \"Count\": 16\n  },\n  {\n    \"Gpu\": \"RTX-4090\",\n    \"Count\": 2\n  }\n]")]
        public void Json_arrays_and_inventory_objects_resolve_names_and_aliases(string json)
        {
            Assert.Equal(new[] { ("H100-SXM", 16), ("RTX-4090", 2) }, Load("inventory.json", json));
        }

        [Theory]
        [InlineData("Gpu,Count\nH100-SXM,16\n4090,2\n")]
        [InlineData("\uFEFFGPU , count\r\nH100,16\r\n\r\nRTX 4090 , 2")]
        [InlineData("Count,Gpu\n16,\"NVIDIA H100 80GB HBM3\"\n2,RTX-4090\n")]
        [InlineData("\"Gpu\",\"Count\"\n\"H100-SXM\",\"16\"\n\"4090\",\"2\"\n")]
        public void Csv_with_a_Gpu_Count_header_resolves_names_and_aliases(string csv)
        {
            Assert.Equal(new[] { ("H100-SXM", 16), ("RTX-4090", 2) }, Load("inventory.csv", csv));
        }

        [Fact]
        public void Content_not_extension_decides_the_format_and_repeated_gpus_are_kept()
        {
            Assert.Equal(new[] { ("A100-80GB", 8), ("A100-80GB", 4) }, Load("inventory.txt", "[{\"gpu\":\"A100\",\"count\":8},{\"gpu\":\"A100\",\"count\":4}]"));
            Assert.Equal(new[] { ("L4", 3) }, Load("inventory.json", "Gpu,Count\nL4,3\n"));
        }

        [Fact]
        public void A_quoted_csv_field_may_hold_commas_quotes_and_newlines()
        {
            string path = _folder.Write("inventory.csv", "Gpu,Count\n\"My \"\"fast\"\",\nbox\",1\n");
            var e = Assert.Throws<UnknownNameException>(() => GpuInventory.Load(path, GpuCatalog.Default));
            Assert.Equal("My \"fast\",\nbox", e.Value);
        }

        [Fact]
        public void An_unknown_gpu_is_UnknownNameException_with_the_closest_names()
        {
            string path = _folder.Write("inventory.csv", "Gpu,Count\nH100-SMX,4\n");
            var e = Assert.Throws<UnknownNameException>(() => GpuInventory.Load(path, GpuCatalog.Default));
            Assert.Equal("H100-SMX", e.Value);
            Assert.Equal("H100-SXM", e.Closest[0]);
            Assert.Equal(5, e.Closest.Count);
        }

        [Theory]
        [InlineData("0")]
        [InlineData("-1")]
        [InlineData("1.5")]
        [InlineData("16.0")]
        [InlineData("1000001")]
        [InlineData("99999999999999999999")]
        [InlineData("\"16\"")]
        [InlineData("null")]
        public void A_bad_json_count_names_the_file_row_and_field(string count)
        {
            LoadFails("inventory.json", "[{\"gpu\":\"L4\",\"count\":1},{\"gpu\":\"H100\",\"count\":" + count + "}]", "row 2: field 'count'");
        }

        [Theory]
        [InlineData("0")]
        [InlineData("-1")]
        [InlineData("1.5")]
        [InlineData("+3")]
        [InlineData("1e3")]
        [InlineData("")]
        [InlineData("sixteen")]
        [InlineData("1000001")]
        [InlineData("99999999999999999999")]
        public void A_bad_csv_count_names_the_file_row_line_and_field(string count)
        {
            LoadFails("inventory.csv", "Gpu,Count\nL4,1\n\nH100," + count + "\n", "row 2 (line 4): field 'Count'");
        }

        [Theory]
        [InlineData("Gpu,Count\n,4\n", "row 1 (line 2): field 'Gpu' must name a GPU")]
        [InlineData("Gpu,Count\nH100\n", "row 1 (line 2): has 1 fields; the header has 2")]
        [InlineData("Gpu,Count\nH100,4,x\n", "row 1 (line 2): has 3 fields")]
        [InlineData("Gpu;Count\nH100;4\n", "line 1: the header must name the columns Gpu and Count")]
        [InlineData("Gpu,Count,Site\nH100,4,A\n", "the header must name the columns Gpu and Count")]
        [InlineData("H100,16\n", "the header must name the columns Gpu and Count")]
        [InlineData("Gpu,Count\n\"H100,4\n", "line 2: a quoted field is not closed")]
        [InlineData("Gpu,Count\nH\"100,4\n", "line 2: a quote may only start a field")]
        [InlineData("Gpu,Count\n\"H100\"x,4\n", "line 2: text follows a closing quote")]
        [InlineData("Gpu,Count\n", "lists no GPUs")]
        [InlineData("  \n", "lists no GPUs")]
        public void Malformed_csv_is_refused_with_the_place(string csv, string fragment)
        {
            LoadFails("inventory.csv", csv, fragment);
        }

        [Theory]
        [InlineData("[]", "lists no GPUs")]
        [InlineData("{\"inventory\": []}", "lists no GPUs")]
        [InlineData("[{\"gpu\": \"H100\", \"count\": 1", "not valid JSON")]
        [InlineData("{\"gpus\": []}", "unknown field 'gpus'")]
        [InlineData("{}", "field 'inventory' is missing")]
        [InlineData("[\"H100\"]", "row 1: must be a JSON object")]
        [InlineData("[{\"gpu\": \"H100\"}]", "row 1: field 'count' is missing")]
        [InlineData("[{\"count\": 1}]", "row 1: field 'gpu' is missing")]
        [InlineData("[{\"gpu\": 100, \"count\": 1}]", "row 1: field 'gpu' must be a string")]
        [InlineData("[{\"gpu\": \" \", \"count\": 1}]", "row 1: field 'gpu' must name a GPU")]
        [InlineData("[{\"gpu\": \"H100\", \"count\": 1, \"site\": \"A\"}]", "row 1: unknown field 'site'")]
        public void Malformed_json_is_refused_with_the_place(string json, string fragment)
        {
            LoadFails("inventory.json", json, fragment);
        }

        [Fact]
        public void A_missing_file_is_refused()
        {
            string path = Path.Combine(_folder.Path, "none.csv");
            Assert.Equal(path, Assert.Throws<InvalidDataFileException>(() => GpuInventory.Load(path, GpuCatalog.Default)).Path);
        }

        [Fact]
        public void A_null_catalog_is_refused()
        {
            Assert.Throws<ArgumentNullException>(() => GpuInventory.Load(_folder.Write("i.csv", "Gpu,Count\nL4,1\n"), null!));
        }

        [Fact]
        public void Items_refuse_counts_below_one_and_a_null_gpu()
        {
            var gpu = GpuCatalog.Default.Get("L4");
            Assert.Equal(3, new InventoryItem(gpu, 3).Count);
            Assert.Throws<ArgumentOutOfRangeException>(() => new InventoryItem(gpu, 0));
            Assert.Throws<ArgumentNullException>(() => new InventoryItem(null!, 1));
        }
    }
}
