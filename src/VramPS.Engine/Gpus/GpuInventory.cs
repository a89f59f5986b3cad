using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using Newtonsoft.Json.Linq;
using VramPS.Engine.Errors;
using VramPS.Engine.Files;

namespace VramPS.Engine.Gpus
{
    /// <summary>
    /// Reads the GPUs a team has for capacity planning. JSON (<c>[{"gpu":"H100-SXM","count":16}]</c> or
    /// <c>{"inventory":[...]}</c>) when the file starts with [ or {, otherwise CSV with the header <c>Gpu,Count</c>.
    /// Field and column names are case-insensitive; rows keep file order and repeated GPUs are not merged.
    /// </summary>
    public static class GpuInventory
    {
        public const int MaxCount = 1_000_000;

        private static readonly string[] RootFields = { "inventory" };
        private static readonly string[] ItemFields = { "gpu", "count" };
        private static readonly string[] Columns = { "Gpu", "Count" };

        /// <summary>
        /// The inventory in a file. A malformed file or a bad count is an InvalidDataFileException naming the file, the
        /// row and the field; a GPU the catalog does not know is an UnknownNameException listing the closest names.
        /// </summary>
        public static IReadOnlyList<InventoryItem> Load(string path, GpuCatalog catalog)
        {
            if (catalog is null) throw new ArgumentNullException(nameof(catalog));
            string text = DataFile.ReadText(path);
            var rows = StartsLikeJson(text) ? ReadJson(path, text) : ReadCsv(path, text);
            if (rows.Count == 0) throw new InvalidDataFileException(path, "lists no GPUs.");
            return rows.Select(row => new InventoryItem(catalog.Get(row.Gpu, "Gpu"), row.Count)).ToArray();
        }

        private static bool StartsLikeJson(string text)
        {
            foreach (char c in text)
            {
                if (!char.IsWhiteSpace(c)) return c == '[' || c == '{';
            }
            return false;
        }

        private static List<(string Gpu, int Count)> ReadJson(string path, string text)
        {
            var root = DataJson.Parse(path, text);
            var items = root is JObject
                ? JsonEntry.Open(path, "the top level", root, RootFields).RequiredArray("inventory")
                : (JArray)root;
            var rows = new List<(string, int)>(items.Count);
            for (int i = 0; i < items.Count; i++)
            {
                var item = JsonEntry.Open(path, $"row {i + 1}", items[i], ItemFields);
                string gpu = item.RequiredString("gpu").Trim();
                if (gpu.Length == 0) throw item.Fail("gpu", "must name a GPU.");
                long count = item.RequiredInteger("count");
                if (count < 1 || count > MaxCount) throw item.Fail("count", CountRule($"{count}"));
                rows.Add((gpu, (int)count));
            }
            return rows;
        }

        private static List<(string Gpu, int Count)> ReadCsv(string path, string text)
        {
            var records = CsvRecords.Parse(path, text);
            if (records.Count == 0) throw new InvalidDataFileException(path, "lists no GPUs.");
            var header = records[0].Fields.Select(f => f.Trim()).ToArray();
            int gpuColumn = Array.FindIndex(header, h => h.Equals("Gpu", StringComparison.OrdinalIgnoreCase));
            int countColumn = Array.FindIndex(header, h => h.Equals("Count", StringComparison.OrdinalIgnoreCase));
            if (header.Length != Columns.Length || gpuColumn < 0 || countColumn < 0)
            {
                throw new InvalidDataFileException(path, $"line {records[0].Line}: the header must name the columns " +
                    $"{string.Join(" and ", Columns)} (got \"{JsonEntry.Shorten(string.Join(",", header))}\").");
            }

            var rows = new List<(string, int)>(records.Count - 1);
            for (int r = 1; r < records.Count; r++)
            {
                var record = records[r];
                string row = $"row {r} (line {record.Line})";
                if (record.Fields.Count != header.Length)
                {
                    throw new InvalidDataFileException(path,
                        $"{row}: has {record.Fields.Count} fields; the header has {header.Length}.");
                }
                string gpu = record.Fields[gpuColumn].Trim();
                if (gpu.Length == 0) throw new InvalidDataFileException(path, $"{row}: field 'Gpu' must name a GPU.");
                string count = record.Fields[countColumn].Trim();
                bool whole = int.TryParse(count, NumberStyles.None, CultureInfo.InvariantCulture, out int value);
                if (!whole || value < 1 || value > MaxCount)
                    throw new InvalidDataFileException(path, $"{row}: field 'Count' {CountRule($"\"{JsonEntry.Shorten(count)}\"")}");
                rows.Add((gpu, value));
            }
            return rows;
        }

        private static string CountRule(string got) => $"must be a whole number from 1 to {MaxCount} (got {got}).";
    }
}
