using System;
using System.Globalization;
using VramPS.Engine.Errors;

namespace VramPS.Transformation
{
    /// <summary>
    /// A library release (-TransformersVersion, -TorchVersion) as text, checked here by LibraryVersion (so a piped cell
    /// that is no release fails naming its row and column) and parsed when the workload is built. A number with one
    /// decimal digit is refused: PowerShell has already read 4.40 as the number 4.4, and releases 4.4 and 4.40 differ.
    /// </summary>
    [AttributeUsage(AttributeTargets.Property | AttributeTargets.Field)]
    public sealed class ReleaseAttribute : SettingTransformationAttribute
    {
        private const string Allowed = "a release as text, for example '4.46', '4.46.3', 'v2.1' or '1.10' (quoted: unquoted, 1.10 is the number 1.1)";

        public override object? Convert(object? value)
        {
            string? text = value switch
            {
                null => null,
                string s => s,
                double or float or decimal => Fraction((IFormattable)value, Allowed),
                IFormattable whole => whole.ToString(null, CultureInfo.InvariantCulture),
                _ => value.ToString(),
            };
            if (string.IsNullOrWhiteSpace(text)) return null;
            if (!Engine.Parsing.LibraryVersion.TryParse(text, out _))
                throw new InvalidSettingValueException(text!, "a release number (major.minor)", Allowed);
            return text;
        }

        /// <summary>
        /// The number as written where that is unambiguous; one decimal digit may be a dropped trailing zero, refused
        /// listing <paramref name="allowed"/> (-FrameworkVersion reads unquoted numbers the same way).
        /// </summary>
        internal static string Fraction(IFormattable number, string allowed)
        {
            string text = number.ToString(number is decimal ? null : "R", CultureInfo.InvariantCulture);
            int point = text.IndexOf('.');
            if (point >= 0 && text.Length - point - 1 == 1)
                throw new InvalidSettingValueException(text, $"a release it can tell apart from {text}0 (a number drops its trailing zero)", allowed);
            return text;
        }
    }
}
