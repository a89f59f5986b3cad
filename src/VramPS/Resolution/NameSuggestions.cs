using System;
using System.Collections.Generic;
using System.Linq;

namespace VramPS.Resolution
{
    /// <summary>
    /// The catalog names closest to a mistyped one, for error messages: names that contain it first, then by edit
    /// distance. Stands in for ModelCatalog.ClosestNames and GpuCatalog.ClosestNames where a catalog has none.
    /// </summary>
    internal static class NameSuggestions
    {
        public const int Count = 3;

        public static IReadOnlyList<string> Closest(string value, IEnumerable<string> names)
        {
            string wanted = value.Trim().ToLowerInvariant();
            return names.Distinct(StringComparer.OrdinalIgnoreCase)
                .Select(n => new { Name = n, Lower = n.ToLowerInvariant() })
                .OrderBy(n => wanted.Length > 0 && n.Lower.Contains(wanted) ? 0 : 1)
                .ThenBy(n => Distance(wanted, n.Lower))
                .ThenBy(n => n.Name, StringComparer.OrdinalIgnoreCase)
                .Take(Count)
                .Select(n => n.Name)
                .ToArray();
        }

        private static int Distance(string a, string b)
        {
            var previous = new int[b.Length + 1];
            var current = new int[b.Length + 1];
            for (int j = 0; j <= b.Length; j++) previous[j] = j;
            for (int i = 1; i <= a.Length; i++)
            {
                current[0] = i;
                for (int j = 1; j <= b.Length; j++)
                {
                    int substitute = previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1);
                    current[j] = Math.Min(substitute, Math.Min(previous[j], current[j - 1]) + 1);
                }
                var swap = previous;
                previous = current;
                current = swap;
            }
            return previous[b.Length];
        }
    }
}
