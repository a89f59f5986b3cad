using System;
using System.Globalization;
using VramPS.Engine.Errors;

namespace VramPS.Engine.Parsing
{
    /// <summary>Parses a library release as users write it: 4.46, 4.46.3, v4.50.0, 5.</summary>
    public static class LibraryVersion
    {
        public static Version Parse(string? text, string parameter)
        {
            string value = (text ?? "").Trim();
            if (value.StartsWith("v", StringComparison.OrdinalIgnoreCase)) value = value.Substring(1);
            if (int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out int major) && major > 0 && major < 100)
                return new Version(major, 0);
            if (Version.TryParse(value, out var version) && version.Major > 0 && version.Major < 100)
                return new Version(version.Major, version.Minor);
            throw new InvalidWorkloadException(parameter,
                $"-{parameter} '{text}' is not a release number. Use major.minor, for example '4.46', '4.46.3' or '5.0'.");
        }
    }
}
