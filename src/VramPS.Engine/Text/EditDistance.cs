using System;

namespace VramPS.Engine.Text
{
    /// <summary>
    /// Levenshtein distance between two names, ignoring case (insertions, deletions and substitutions each cost 1);
    /// what the catalogs use to suggest the closest names to one they do not know.
    /// </summary>
    internal static class EditDistance
    {
        /// <summary>Text beyond this length is not compared: no catalog name is anywhere near it, and it bounds the work.</summary>
        public const int MaxCompared = 128;

        public static int Between(string a, string b)
        {
            int n = Math.Min(a.Length, MaxCompared), m = Math.Min(b.Length, MaxCompared);
            var previous = new int[m + 1];
            var current = new int[m + 1];
            for (int j = 0; j <= m; j++) previous[j] = j;
            for (int i = 1; i <= n; i++)
            {
                current[0] = i;
                char ai = char.ToLowerInvariant(a[i - 1]);
                for (int j = 1; j <= m; j++)
                {
                    int substitution = previous[j - 1] + (ai == char.ToLowerInvariant(b[j - 1]) ? 0 : 1);
                    current[j] = Math.Min(substitution, Math.Min(previous[j], current[j - 1]) + 1);
                }
                var swap = previous;
                previous = current;
                current = swap;
            }
            return previous[m];
        }
    }
}
