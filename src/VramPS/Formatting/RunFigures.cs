using System.Globalization;

namespace VramPS.Formatting
{
    /// <summary>Time and money as the plan views show them.</summary>
    public static class RunFigures
    {
        /// <summary>"12.3" hours.</summary>
        public static string Hours(double hours) => hours.ToString(hours < 10 ? "0.00" : "0.0", CultureInfo.CurrentCulture);

        /// <summary>"1,191.80" USD, or empty when there is no price.</summary>
        public static string Cost(double? usd) => usd is double value ? value.ToString("N2", CultureInfo.CurrentCulture) : "";

        /// <summary>"1.33x".</summary>
        public static string Factor(double factor) => factor.ToString("0.00", CultureInfo.CurrentCulture) + "x";
    }
}
