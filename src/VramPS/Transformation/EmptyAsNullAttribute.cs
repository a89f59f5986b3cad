using System;

namespace VramPS.Transformation
{
    /// <summary>
    /// Turns an empty or blank string (an empty CSV cell) into null, so a text parameter reads it as "not given"; any
    /// other value passes unchanged.
    /// </summary>
    [AttributeUsage(AttributeTargets.Property | AttributeTargets.Field)]
    public sealed class EmptyAsNullAttribute : SettingTransformationAttribute
    {
        public override object? Convert(object? value) => value is string text && string.IsNullOrWhiteSpace(text) ? null : value?.ToString();
    }
}
