using System;
using VramPS.Engine;
using VramPS.Engine.Errors;

namespace VramPS.Transformation
{
    /// <summary>A framework's release: a published version (0.4.0, v0.4.0) or a checkout's commit date (yyyy-MM-dd); blank is "not given".</summary>
    [AttributeUsage(AttributeTargets.Property | AttributeTargets.Field)]
    public sealed class FrameworkVersionTextAttribute : SettingTransformationAttribute
    {
        public override object? Convert(object? value)
        {
            if (value is null || value is string blank && string.IsNullOrWhiteSpace(blank)) return null;
            string text = value is DateTime date ? date.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture) : value.ToString() ?? "";
            return FrameworkVersion.TryParse(text, out _) ? text.Trim() : throw new InvalidSettingValueException(value, "a framework release", FrameworkVersion.Forms);
        }
    }
}
