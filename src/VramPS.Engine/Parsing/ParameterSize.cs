using System;
using System.Globalization;
using System.Text.RegularExpressions;
using VramPS.Engine.Errors;

namespace VramPS.Engine.Parsing
{
    /// <summary>Parses parameter counts as users write them: 7B, 6.7B, 125M, 1.5T, 7e9, 7000000000.</summary>
    public static class ParameterSize
    {
        /// <summary>The largest count accepted: beyond any model that exists, small enough that byte arithmetic cannot overflow.</summary>
        public const double Max = 1e14;

        private static readonly Regex Pattern = new Regex(
            @"^\s*(?<n>[0-9]+(\.[0-9]+)?([eE][+]?[0-9]+)?)\s*(?<u>[kKmMbBtT])?\s*$", RegexOptions.CultureInvariant);

        public static long Parse(string text)
        {
            var m = Pattern.Match(text ?? "");
            if (!m.Success || !double.TryParse(m.Groups["n"].Value, NumberStyles.Float, CultureInfo.InvariantCulture, out double n))
                throw Invalid(text);
            double scale = m.Groups["u"].Success ? char.ToUpperInvariant(m.Groups["u"].Value[0]) switch
            {
                'K' => 1e3,
                'M' => 1e6,
                'B' => 1e9,
                _ => 1e12,
            } : 1;
            double value = n * scale;
            if (double.IsInfinity(value) || value < 1e6 || value > Max) throw Invalid(text);
            return (long)Math.Round(value);
        }

        private static InvalidWorkloadException Invalid(string? text) => new InvalidWorkloadException("Params",
            $"-Params '{text}' is not a parameter count. Use a number with an optional K, M, B or T suffix " +
            "('7B', '6.7B', '125M', '1.5T', '7e9', '7000000000'), between 1M and 100T.");
    }
}
