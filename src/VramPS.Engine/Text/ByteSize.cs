using System;
using System.Globalization;

namespace VramPS.Engine.Text
{
    /// <summary>
    /// Byte counts in words: GiB with two decimals below 1024 GiB, then TiB, then PiB, so no figure needs more than
    /// eleven characters ("1023.99 GiB"; a long's largest value is 8192 PiB) and a view column of that width never cuts one.
    /// </summary>
    public static class ByteSize
    {
        /// <summary>The widest text Format returns for a non-negative count; a negative one adds its sign.</summary>
        public const int Width = 11;

        private static readonly string[] Units = { "GiB", "TiB", "PiB" };

        public static string Format(long bytes, IFormatProvider? culture = null)
        {
            double value = bytes / (double)(1L << 30);
            int unit = 0;
            while (unit < Units.Length - 1 && Math.Round(Math.Abs(value), 2) >= 1024)
            {
                value /= 1024;
                unit++;
            }
            return value.ToString("0.00", culture ?? CultureInfo.InvariantCulture) + " " + Units[unit];
        }
    }
}
