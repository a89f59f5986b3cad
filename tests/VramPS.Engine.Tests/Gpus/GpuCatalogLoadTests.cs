using System;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Runtime.InteropServices;
using System.Text;
using VramPS.Engine.Errors;
using VramPS.Engine.Gpus;
using Xunit;

namespace VramPS.Engine.Tests.Gpus
{
    /// <summary>Reading user catalog files: the file rules and the validation every entry goes through.</summary>
    public sealed class GpuCatalogLoadTests : IDisposable
    {
        private const string ValidEntry =
            "\"name\": \"Lab-H100\", \"aliases\": [\"labh\"], \"vendor\": \"NVIDIA\", \"architecture\": \"Hopper\", " +
            "\"memoryBytes\": 85520809984, \"supportsBf16\": true, \"denseTflops16\": 989, \"memoryBandwidthGBps\": 3350, " +
            "\"contextBytes\": 641728512";

        private readonly TempFolder _folder = new TempFolder();

        public void Dispose() => _folder.Dispose();

        private static string Catalog(string entry) => "{\"gpus\": [{" + entry + "}]}";

        /// <summary>The valid entry with <paramref name="field"/> removed, then set to <paramref name="json"/> unless that is "".</summary>
        private static string With(string field, string json)
        {
            var kept = ValidEntry.Split(new[] { ", " }, StringSplitOptions.None)
                .Where(f => !f.StartsWith("\"" + field + "\"", StringComparison.Ordinal));
            string entry = string.Join(", ", kept);
            return json.Length == 0 ? entry : entry + $", \"{field}\": {json}";
        }

        private InvalidDataFileException LoadFails(string text, params string[] fragments)
        {
            string path = _folder.Write("catalog.json", text);
            var e = Assert.Throws<InvalidDataFileException>(() => GpuCatalog.Load(path));
            Assert.Equal(path, e.Path);
            Assert.StartsWith(path + ": ", e.Message);
            foreach (string fragment in fragments) Assert.Contains(fragment, e.Message);
            return e;
        }

        [Fact]
        public void A_valid_file_loads_with_optional_fields_defaulted()
        {
            string path = _folder.Write("catalog.json", Catalog(ValidEntry));
            var gpu = Assert.Single(GpuCatalog.Load(path).All);
            Assert.Equal("Lab-H100", gpu.Name);
            Assert.Equal(new[] { "labh" }, gpu.Aliases);
            Assert.Equal(85520809984, gpu.MemoryBytes);
            Assert.Null(gpu.PricePerHour);
            Assert.Equal("", gpu.Source);
        }

        [Fact]
        public void Field_names_are_case_insensitive_and_a_bom_and_comments_are_accepted()
        {
            string text = "\uFEFF// lab GPUs\n" + Catalog(ValidEntry.Replace("\"memoryBytes\"", "\"MemoryBytes\""));
            string path = _folder.Write("catalog.json", text);
            Assert.Equal(85520809984, GpuCatalog.Load(path).All[0].MemoryBytes);
        }

        [Fact]
        public void An_empty_gpus_array_is_a_valid_empty_catalog()
        {
            Assert.Empty(GpuCatalog.Load(_folder.Write("catalog.json", "{\"gpus\": []}")).All);
        }

        [Theory]
        [InlineData("{\"gpus\": [", "not valid JSON")]
        [InlineData("{\"gpus\": [{\"name\": \"X\"", "not valid JSON")]
        [InlineData("gpus: H100", "not valid JSON")]
        [InlineData("{\"gpus\": []} {}", "Additional text")]
        [InlineData("{\"gpus\": [], \"gpus\": []}", "not valid JSON")]
        [InlineData("[]", "the top level: must be a JSON object, not an array")]
        [InlineData("{}", "the top level: field 'gpus' is missing")]
        [InlineData("{\"gpus\": {}}", "field 'gpus' must be an array")]
        [InlineData("{\"gpus\": [], \"extra\": 1}", "unknown field 'extra'")]
        [InlineData("{\"gpus\": [1]}", "gpus[0]: must be a JSON object, not integer 1")]
        [InlineData("{\"gpus\": [null]}", "gpus[0]: must be a JSON object, not null")]
        public void Malformed_or_mistyped_structure_is_refused(string text, string fragment)
        {
            LoadFails(text, fragment);
        }

        [Fact]
        public void Deeply_nested_json_is_refused_before_it_is_built()
        {
            string text = "{\"gpus\": " + new string('[', 10_000) + new string(']', 10_000) + "}";
            LoadFails(text, "not valid JSON", "MaxDepth");
        }

        [Theory]
        [InlineData("name", "", "gpus[0]: field 'name' is missing")]
        [InlineData("vendor", "", "gpus[0] (Lab-H100): field 'vendor' is missing")]
        [InlineData("memoryBytes", "", "gpus[0] (Lab-H100): field 'memoryBytes' is missing")]
        [InlineData("supportsBf16", "", "field 'supportsBf16' is missing")]
        [InlineData("denseTflops16", "", "field 'denseTflops16' is missing")]
        [InlineData("contextBytes", "", "field 'contextBytes' is missing")]
        [InlineData("name", "\"\"", "field 'name' must be 1 to 64 characters")]
        [InlineData("name", "\" H100\"", "field 'name' must be 1 to 64 characters")]
        [InlineData("name", "\"H*\"", "field 'name' must not contain")]
        [InlineData("name", "42", "field 'name' must be a string, not integer 42")]
        [InlineData("aliases", "\"labh\"", "field 'aliases' must be an array of strings")]
        [InlineData("aliases", "[\"ok\", 5]", "field 'aliases' item 1 must be a string")]
        [InlineData("aliases", "[\"a,b\"]", "field 'aliases' must not contain")]
        [InlineData("aliases", "[\"lab h100\"]", "field 'aliases' repeats \"lab h100\"")]
        [InlineData("vendor", "\"  \"", "field 'vendor' must not be empty")]
        [InlineData("architecture", "null", "field 'architecture' must be a string, not null")]
        [InlineData("memoryBytes", "\"80GB\"", "field 'memoryBytes' must be a whole number, not the string \"80GB\"")]
        [InlineData("memoryBytes", "8.5e10", "field 'memoryBytes' must be a whole number")]
        [InlineData("memoryBytes", "0", "field 'memoryBytes' must be between 1 and")]
        [InlineData("memoryBytes", "-1", "field 'memoryBytes' must be between 1 and")]
        [InlineData("memoryBytes", "10000000000000000000000000", "field 'memoryBytes' is out of range")]
        [InlineData("memoryBytes", "2251799813685249", "field 'memoryBytes' must be between 1 and")]
        [InlineData("supportsBf16", "\"yes\"", "field 'supportsBf16' must be true or false")]
        [InlineData("denseTflops16", "-5", "field 'denseTflops16' must be greater than 0")]
        [InlineData("denseTflops16", "0", "field 'denseTflops16' must be greater than 0")]
        [InlineData("denseTflops16", "NaN", "field 'denseTflops16' must be a finite number")]
        [InlineData("denseTflops16", "Infinity", "field 'denseTflops16' must be a finite number")]
        [InlineData("denseTflops16", "1000000000000000000000000000000", "field 'denseTflops16' must be greater than 0 and at most")]
        [InlineData("denseTflops16", "[989]", "field 'denseTflops16' must be a number, not an array")]
        [InlineData("memoryBandwidthGBps", "1e300", "field 'memoryBandwidthGBps' must be greater than 0 and at most")]
        [InlineData("contextBytes", "-1", "field 'contextBytes' must be at least 0")]
        [InlineData("contextBytes", "85520809984", "field 'contextBytes' must be at least 0 and less than memoryBytes")]
        [InlineData("pricePerHour", "-0.5", "field 'pricePerHour' must be between 0 and")]
        [InlineData("pricePerHour", "true", "field 'pricePerHour' must be a number, not boolean")]
        [InlineData("source", "{}", "field 'source' must be a string, not an object")]
        [InlineData("memoryByte", "1", "gpus[0]: unknown field 'memoryByte'")]
        public void A_missing_mistyped_or_nonsense_field_names_the_entry_and_the_field(string field, string json, string fragment)
        {
            LoadFails(Catalog(With(field, json)), fragment);
        }

        [Fact]
        public void A_field_given_twice_in_different_case_is_refused()
        {
            LoadFails(Catalog(ValidEntry + ", \"Name\": \"Other\""), "gpus[0]: field 'Name' is given more than once");
        }

        [Fact]
        public void A_name_used_twice_across_entries_names_both_entries()
        {
            string second = ValidEntry.Replace("\"labh\"", "\"other\"");
            LoadFails("{\"gpus\": [{" + ValidEntry + "}, {" + second + "}]}",
                "gpus[1] (Lab-H100): field 'name' repeats \"Lab-H100\", already used by gpus[0] (Lab-H100)");
        }

        [Fact]
        public void An_alias_that_is_another_entrys_name_after_normalization_is_refused()
        {
            string second = ValidEntry.Replace("\"Lab-H100\"", "\"Other\"").Replace("\"labh\"", "\"lab_h100\"");
            LoadFails("{\"gpus\": [{" + ValidEntry + "}, {" + second + "}]}", "gpus[1] (Other): field 'aliases' repeats \"lab_h100\"");
        }

        [Fact]
        public void A_missing_file_is_refused()
        {
            string path = Path.Combine(_folder.Path, "absent.json");
            var e = Assert.Throws<InvalidDataFileException>(() => GpuCatalog.Load(path));
            Assert.Equal(path, e.Path);
            Assert.Contains("file not found", e.Message);
        }

        [Theory]
        [InlineData(null)]
        [InlineData("")]
        [InlineData("   ")]
        public void No_path_is_refused(string? path)
        {
            var e = Assert.Throws<InvalidDataFileException>(() => GpuCatalog.Load(path!));
            Assert.Contains("no file path", e.Message);
        }

        [Fact]
        public void A_directory_is_refused()
        {
            var e = Assert.Throws<InvalidDataFileException>(() => GpuCatalog.Load(_folder.Path));
            Assert.Contains("is a directory", e.Message);
        }

        [Fact]
        public void An_empty_file_is_refused()
        {
            LoadFails("", "is empty or not a regular file");
        }

        [Fact]
        public void A_file_over_16_MiB_is_refused_unread()
        {
            string path = _folder.WriteBytes("big.json", Encoding.ASCII.GetBytes(new string(' ', 16 * 1024 * 1024 + 1)));
            var e = Assert.Throws<InvalidDataFileException>(() => GpuCatalog.Load(path));
            Assert.Contains("larger than 16 MiB", e.Message);
        }

        [Fact]
        public void A_file_that_is_not_utf8_is_refused()
        {
            string path = _folder.WriteBytes("latin1.json", new byte[] { (byte)'{', 0xE9, 0xFF, (byte)'}' });
            var e = Assert.Throws<InvalidDataFileException>(() => GpuCatalog.Load(path));
            Assert.Contains("not UTF-8", e.Message);
        }

        [Fact]
        public void Devices_and_pipes_are_refused_without_being_read()
        {
            if (!RuntimeInformation.IsOSPlatform(OSPlatform.Linux)) return;
            Assert.Contains("not a regular file", Assert.Throws<InvalidDataFileException>(() => GpuCatalog.Load("/dev/zero")).Message);

            string fifo = Path.Combine(_folder.Path, "pipe.json");
            using (var mkfifo = Process.Start(new ProcessStartInfo("mkfifo", fifo) { UseShellExecute = false }))
            {
                mkfifo!.WaitForExit();
                if (mkfifo.ExitCode != 0) return;
            }
            Assert.Contains("not a regular file", Assert.Throws<InvalidDataFileException>(() => GpuCatalog.Load(fifo)).Message);
        }
    }
}
