using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using VramPS.Engine.Estimation;

namespace VramPS.Formatting
{
    /// <summary>Byte counts as the views show them: GiB (2^30 bytes) with two decimals.</summary>
    public static class GiB
    {
        public const long Bytes = 1L << 30;

        /// <summary>The byte count in GiB.</summary>
        public static double FromBytes(long bytes) => bytes / (double)Bytes;

        /// <summary>"12.34" for a table cell under a GiB header.</summary>
        public static string Number(long bytes) => FromBytes(bytes).ToString("0.00", CultureInfo.CurrentCulture);

        /// <summary>"12.34 GiB".</summary>
        public static string Format(long bytes) => Number(bytes) + " GiB";

        /// <summary>"12.34-14.56 GiB": an estimate's range.</summary>
        public static string Range(long low, long high) => Number(low) + "-" + Number(high) + " GiB";

        /// <summary>One line per phase: "ForwardEnd 60.12 GiB".</summary>
        public static string Phases(IEnumerable<PhaseMemory>? phases) =>
            phases is null ? "" : string.Join("\n", phases.Select(p => p.Phase + " " + Format(p.Allocated)));
    }
}
