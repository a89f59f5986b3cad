using System;
using System.Globalization;
using System.Text.RegularExpressions;
using VramPS.Engine.Errors;

namespace VramPS.Engine
{
    /// <summary>
    /// A framework's release as a workload names it: a version the framework published (0.4.0, v0.4.0) or, where it
    /// publishes none or the run used a checkout, the date of the checkout's commit (yyyy-MM-dd).
    /// </summary>
    public sealed class FrameworkVersion : IEquatable<FrameworkVersion>
    {
        /// <summary>The forms an error lists.</summary>
        public const string Forms = "a published release such as 0.4.0 or v0.4.0, or the date of the checkout's commit as yyyy-MM-dd, such as 2025-06-11";

        private static readonly Regex Number = new Regex(@"^[vV]?(\d{1,4})(?:\.(\d{1,4}))?(?:\.(\d{1,4}))?$", RegexOptions.CultureInvariant);

        private FrameworkVersion(Version? release, DateTime? date)
        {
            Release = release;
            Date = date;
        }

        /// <summary>The published release, major.minor.patch (missing parts 0); null for a date.</summary>
        public Version? Release { get; }
        /// <summary>The checkout's commit date; null for a published release.</summary>
        public DateTime? Date { get; }

        /// <summary>Reads one of the <see cref="Forms"/>; false for anything else.</summary>
        public static bool TryParse(string? text, out FrameworkVersion? version)
        {
            string value = (text ?? "").Trim();
            version = null;
            if (DateTime.TryParseExact(value, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var date))
            {
                version = new FrameworkVersion(null, date);
                return true;
            }
            var m = Number.Match(value);
            if (!m.Success) return false;
            int Part(int i) => m.Groups[i].Success ? int.Parse(m.Groups[i].Value, CultureInfo.InvariantCulture) : 0;
            version = new FrameworkVersion(new Version(Part(1), Part(2), Part(3)), null);
            return true;
        }

        /// <summary>Reads one of the <see cref="Forms"/>; anything else fails naming the parameter.</summary>
        public static FrameworkVersion Parse(string? text, string parameter) =>
            TryParse(text, out var version) ? version!
                : throw new InvalidWorkloadException(parameter, $"-{parameter} '{text}' is not a framework release. Use {Forms}.");

        public bool Equals(FrameworkVersion? other) => other != null && Equals(Release, other.Release) && Date == other.Date;
        public override bool Equals(object? obj) => Equals(obj as FrameworkVersion);
        public override int GetHashCode() => Release?.GetHashCode() ?? Date.GetHashCode();
        public override string ToString() => Date?.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture) ?? Release!.ToString(3);
    }
}
