using System;
using VramPS.Engine.Parsing;

namespace VramPS.Transformation
{
    /// <summary>A finite number (a fraction, a coefficient), read in the invariant culture.</summary>
    [AttributeUsage(AttributeTargets.Property | AttributeTargets.Field)]
    public sealed class NumberAttribute : SettingTransformationAttribute
    {
        public override object? Convert(object? value) => SettingValue.Number(value);
    }
}
