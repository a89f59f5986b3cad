using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using VramPS.Engine.Estimation;
using VramPS.Engine.Text;

namespace VramPS.Formatting
{
    /// <summary>Byte counts as the views show them: GiB with two decimals, TiB from 1024 GiB (see <see cref="ByteSize"/>).</summary>
    public static class Bytes
    {
        /// <summary>"12.34 GiB", "1.39 TiB".</summary>
        public static string Format(long bytes) => ByteSize.Format(bytes, CultureInfo.CurrentCulture);

        /// <summary>"22.18-26.07 GiB", or "900.00 GiB-1.10 TiB" where the ends differ in unit: an estimate's range.</summary>
        public static string Range(long low, long high)
        {
            string from = Format(low), to = Format(high);
            int space = from.LastIndexOf(' ');
            return from.Substring(space) == to.Substring(to.LastIndexOf(' ')) ? from.Substring(0, space) + "-" + to : from + "-" + to;
        }

        /// <summary>
        /// A table cell for Total with its range beneath, as percentages of it: "24.86 GiB" over "-11%/+5%" (the columns
        /// leave no room for the range in bytes; the list view gives it).
        /// </summary>
        public static string TotalWithRange(long total, long low, long high) =>
            Format(total) + "\n" + Percent(low, total) + "/" + Percent(high, total);

        private static string Percent(long value, long total) =>
            total == 0 ? "+0%" : Math.Round(100.0 * (value - total) / total).ToString("+0;-0", CultureInfo.CurrentCulture) + "%";

        /// <summary>One line per phase: "ForwardEnd 60.12 GiB".</summary>
        public static string Phases(IEnumerable<PhaseMemory>? phases) =>
            phases is null ? "" : string.Join("\n", phases.Select(p => p.Phase + " " + Format(p.Allocated)));
    }
}
