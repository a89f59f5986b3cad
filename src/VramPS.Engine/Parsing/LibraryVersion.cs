using System;
using System.Globalization;
using VramPS.Engine.Errors;

namespace VramPS.Engine.Parsing
{
    /// <summary>Parses a library release as users write it: 4.46, 4.46.3, v4.50.0, 5.</summary>
    public static class LibraryVersion
    {
        public static Version Parse(string? text, string parameter) => TryParse(text, out var version)
            ? version
            : throw new InvalidWorkloadException(parameter,
                $"-{parameter} '{text}' is not a release number. Use major.minor, for example '4.46', '4.46.3' or '5.0'.");

        /// <summary>The release as major.minor, or false where the text is none.</summary>
        public static bool TryParse(string? text, out Version version)
        {
            string value = (text ?? "").Trim();
            if (value.StartsWith("v", StringComparison.OrdinalIgnoreCase)) value = value.Substring(1);
            if (int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out int major) && major > 0 && major < 100)
            {
                version = new Version(major, 0);
                return true;
            }
            if (Version.TryParse(value, out var parsed) && parsed.Major > 0 && parsed.Major < 100)
            {
                version = new Version(parsed.Major, parsed.Minor);
                return true;
            }
            version = new Version(0, 0);
            return false;
        }
    }
}
