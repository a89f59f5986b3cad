using System;
using VramPS.Engine.Errors;

namespace VramPS.Engine.Parsing
{
    /// <summary>
    /// Parses parameter counts as users write them: 7B, 6.7B, 125M, 1.5T, 7e9, 7000000000 (suffixes K, M, B, T in either
    /// case, spaces allowed around the number and the suffix). Any other text is an InvalidWorkloadException for "Params";
    /// nothing else is ever thrown. The scan allocates nothing unless it fails.
    /// </summary>
    public static class ParameterSize
    {
        /// <summary>The smallest count accepted: below it the text is far more likely a typo than a model.</summary>
        public const double Min = 1e6;

        /// <summary>The largest count accepted: beyond any model that exists, small enough that byte sums cannot overflow.</summary>
        public const double Max = 1e14;

        /// <summary>Significant digits kept; later fraction digits cannot change a count of at most 15 digits.</summary>
        private const int MaxSignificantDigits = 18;

        /// <summary>Exponent digits stop counting here; the scale stays far from overflow whatever the text length.</summary>
        private const long ExponentLimit = 1_000_000_000_000;

        public static long Parse(string? text)
        {
            if (text is null) throw Invalid(text);
            int i = SkipSpaces(text, 0);

            long mantissa = 0;
            int significant = 0, digits = 0;
            long scale = 0;
            for (; i < text.Length && IsDigit(text[i]); i++, digits++)
                Accumulate(text[i], ref mantissa, ref significant, ref scale, fraction: false);
            if (i < text.Length && text[i] == '.')
            {
                int fractionDigits = 0;
                for (i++; i < text.Length && IsDigit(text[i]); i++, fractionDigits++)
                    Accumulate(text[i], ref mantissa, ref significant, ref scale, fraction: true);
                if (fractionDigits == 0) throw Invalid(text);
                digits += fractionDigits;
            }
            if (digits == 0) throw Invalid(text);

            if (i < text.Length && (text[i] == 'e' || text[i] == 'E'))
            {
                i++;
                bool negative = i < text.Length && text[i] == '-';
                if (i < text.Length && (text[i] == '+' || text[i] == '-')) i++;
                long exponent = 0;
                int exponentDigits = 0;
                for (; i < text.Length && IsDigit(text[i]); i++, exponentDigits++)
                    exponent = Math.Min(exponent * 10 + (text[i] - '0'), ExponentLimit);
                if (exponentDigits == 0) throw Invalid(text);
                scale += negative ? -exponent : exponent;
            }

            i = SkipSpaces(text, i);
            if (i < text.Length)
            {
                int suffix = SuffixExponent(text[i]);
                if (suffix < 0) throw Invalid(text);
                scale += suffix;
                i = SkipSpaces(text, i + 1);
            }
            if (i != text.Length) throw Invalid(text);

            double value = mantissa * Math.Pow(10, scale);
            if (!(value >= Min && value <= Max)) throw Invalid(text);
            return (long)Math.Round(value);
        }

        /// <summary>Adds one digit; leading zeros are not significant, digits past the limit only shift the scale.</summary>
        private static void Accumulate(char digit, ref long mantissa, ref int significant, ref long scale, bool fraction)
        {
            if (mantissa == 0 && digit == '0')
            {
                if (fraction) scale--;
                return;
            }
            if (significant < MaxSignificantDigits)
            {
                mantissa = mantissa * 10 + (digit - '0');
                significant++;
                if (fraction) scale--;
            }
            else if (!fraction)
            {
                scale++;
            }
        }

        private static int SuffixExponent(char c) => char.ToUpperInvariant(c) switch
        {
            'K' => 3,
            'M' => 6,
            'B' => 9,
            'T' => 12,
            _ => -1,
        };

        private static bool IsDigit(char c) => c >= '0' && c <= '9';

        private static int SkipSpaces(string text, int i)
        {
            while (i < text.Length && char.IsWhiteSpace(text[i])) i++;
            return i;
        }

        private static InvalidWorkloadException Invalid(string? text) => new InvalidWorkloadException("Params",
            $"-Params {Show(text)} is not a parameter count. Use a number with an optional K, M, B or T suffix " +
            "('7B', '6.7B', '125M', '1.5T', '7e9', '7000000000'), between 1M and 100T.");

        private static string Show(string? text) =>
            text is null ? "(null)" : text.Length <= 40 ? $"'{text}'" : $"'{text.Substring(0, 40)}...'";
    }
}
