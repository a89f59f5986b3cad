using System.Globalization;

namespace VramPS.Formatting
{
    /// <summary>Large counts (parameters) as the views show them: 6.74B, 4.19M, 125K.</summary>
    public static class Count
    {
        public static string Short(long count)
        {
            var c = CultureInfo.CurrentCulture;
            if (count >= 1_000_000_000_000) return (count / 1e12).ToString("0.##", c) + "T";
            if (count >= 1_000_000_000) return (count / 1e9).ToString("0.##", c) + "B";
            if (count >= 1_000_000) return (count / 1e6).ToString("0.##", c) + "M";
            if (count >= 1_000) return (count / 1e3).ToString("0.##", c) + "K";
            return count.ToString(c);
        }
    }
}
