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

        /// <summary>One line per phase: "ForwardEnd 60.12 GiB".</summary>
        public static string Phases(IEnumerable<PhaseMemory>? phases) =>
            phases is null ? "" : string.Join("\n", phases.Select(p => p.Phase + " " + Format(p.Allocated)));
    }
}
