using System;
using System.Globalization;

namespace VramPS.Formatting
{
    /// <summary>
    /// Time and money as the plan views show them. Large figures trade decimals for a K, M, B or T suffix, so hours
    /// never need more than 7 characters and costs 9 (below a thousand trillion).
    /// </summary>
    public static class RunFigures
    {
        /// <summary>"1.25", "123.4", "12.35K" hours; empty when there is none.</summary>
        public static string Hours(double? hours) => hours is double h ? (Math.Abs(h) < 1e4 ? h.ToString(Math.Abs(h) < 10 ? "0.00" : "0.0", Culture) : Scaled(h)) : "";

        /// <summary>"1,191.80", "123.46K" USD; empty when there is no price.</summary>
        public static string Cost(double? usd) => usd is double value ? (Math.Abs(value) < 1e5 ? value.ToString("N2", Culture) : Scaled(value)) : "";

        /// <summary>"1.33x".</summary>
        public static string Factor(double factor) => factor.ToString("0.00", Culture) + "x";

        private static CultureInfo Culture => CultureInfo.CurrentCulture;

        private static string Scaled(double value)
        {
            string[] suffixes = { "K", "M", "B", "T" };
            int i = -1;
            while (i < suffixes.Length - 1 && Math.Abs(value) >= 999.995)
            {
                value /= 1000;
                i++;
            }
            return value.ToString(value >= 1e4 ? "0" : "0.00", Culture) + suffixes[i];
        }
    }
}
