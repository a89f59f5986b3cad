using System.Collections.Generic;
using Newtonsoft.Json.Linq;
using VramPS.Engine.Errors;
using VramPS.Engine.Files;

namespace VramPS.Engine.Gpus
{
    /// <summary>
    /// Reads and validates the text of a GPU catalog file (<c>{"gpus": [...]}</c>). The embedded catalog and user
    /// catalogs go through the same checks; docs/gpu-catalog.md describes every field.
    /// </summary>
    internal static class GpuCatalogReader
    {
        /// <summary>1 PiB: far above any accelerator, low enough that byte sums cannot overflow.</summary>
        public const long MaxMemoryBytes = 1L << 50;
        public const double MaxTflops = 1e5;
        public const double MaxBandwidthGBps = 1e6;
        public const double MaxPricePerHour = 1e4;
        public const int MaxNameLength = 64;

        private static readonly string[] RootFields = { "gpus" };

        private static readonly string[] EntryFields =
        {
            "name", "aliases", "vendor", "architecture", "computeCapability", "memoryBytes", "memoryNote", "supportsBf16",
            "denseTflops16", "memoryBandwidthGBps", "contextBytes", "contextNote", "pricePerHour", "priceSource", "source",
        };

        public static List<GpuSpec> Read(string path, string text)
        {
            var root = JsonEntry.Open(path, "the top level", DataJson.Parse(path, text), RootFields);
            var gpus = root.RequiredArray("gpus");
            var result = new List<GpuSpec>(gpus.Count);
            var owners = new Dictionary<string, string>();
            for (int i = 0; i < gpus.Count; i++)
            {
                var entry = JsonEntry.Open(path, $"gpus[{i}]", gpus[i], EntryFields);
                var gpu = ReadEntry(entry);
                Claim(owners, entry, "name", gpu.Name);
                foreach (string alias in gpu.Aliases) Claim(owners, entry, "aliases", alias);
                result.Add(gpu);
            }
            return result;
        }

        private static GpuSpec ReadEntry(JsonEntry entry)
        {
            string name = Name(entry, "name", entry.RequiredString("name"));
            entry.NameAs(name);
            var aliases = entry.OptionalStringArray("aliases");
            foreach (string alias in aliases) Name(entry, "aliases", alias);

            var gpu = new GpuSpec
            {
                Name = name,
                Aliases = aliases,
                Vendor = Text(entry, "vendor", entry.RequiredString("vendor")),
                Architecture = Text(entry, "architecture", entry.RequiredString("architecture")),
                ComputeCapability = entry.OptionalString("computeCapability"),
                MemoryBytes = entry.RequiredInteger("memoryBytes"),
                MemoryNote = entry.OptionalString("memoryNote"),
                SupportsBf16 = entry.RequiredBoolean("supportsBf16"),
                DenseTflops16 = entry.RequiredNumber("denseTflops16"),
                MemoryBandwidthGBps = entry.RequiredNumber("memoryBandwidthGBps"),
                ContextBytes = entry.RequiredInteger("contextBytes"),
                ContextNote = entry.OptionalString("contextNote"),
                PriceSource = entry.OptionalString("priceSource"),
                Source = entry.OptionalString("source"),
            };

            if (gpu.MemoryBytes <= 0 || gpu.MemoryBytes > MaxMemoryBytes)
                throw entry.Fail("memoryBytes", $"must be between 1 and {MaxMemoryBytes} bytes (got {gpu.MemoryBytes}).");
            if (gpu.ContextBytes < 0 || gpu.ContextBytes >= gpu.MemoryBytes)
                throw entry.Fail("contextBytes", $"must be at least 0 and less than memoryBytes (got {gpu.ContextBytes}).");
            InRange(entry, "denseTflops16", gpu.DenseTflops16, MaxTflops);
            InRange(entry, "memoryBandwidthGBps", gpu.MemoryBandwidthGBps, MaxBandwidthGBps);
            double price = entry.OptionalNumber("pricePerHour", 0);
            if (!(price >= 0 && price <= MaxPricePerHour))
                throw entry.Fail("pricePerHour", $"must be between 0 and {MaxPricePerHour} USD (got {price}).");
            if (price > 0) gpu.PricePerHour = price;
            return gpu;
        }

        private static void InRange(JsonEntry entry, string field, double value, double max)
        {
            if (!(value > 0 && value <= max))
                throw entry.Fail(field, $"must be greater than 0 and at most {max} (got {value}).");
        }

        private static string Text(JsonEntry entry, string field, string value)
        {
            if (value.Trim().Length == 0) throw entry.Fail(field, "must not be empty.");
            return value;
        }

        /// <summary>A name or alias users can type: 1 to 64 characters, no wildcards, commas, quotes or controls.</summary>
        private static string Name(JsonEntry entry, string field, string value)
        {
            if (value.Length == 0 || value.Length > MaxNameLength || value.Trim() != value || GpuNameKey.Of(value).Length == 0)
            {
                throw entry.Fail(field,
                    $"must be 1 to {MaxNameLength} characters without surrounding spaces (got \"{JsonEntry.Shorten(value)}\").");
            }
            foreach (char c in value)
            {
                if (c == '*' || c == '?' || c == ',' || c == '"' || char.IsControl(c))
                    throw entry.Fail(field, $"must not contain '*', '?', ',', '\"' or control characters (got \"{value}\").");
            }
            return value;
        }

        private static void Claim(Dictionary<string, string> owners, JsonEntry entry, string field, string name)
        {
            string key = GpuNameKey.Of(name);
            if (owners.TryGetValue(key, out string? owner))
                throw entry.Fail(field, $"repeats \"{name}\", already used by {owner}; names and aliases must be unique.");
            owners[key] = entry.Label;
        }
    }
}
