using System;
using VramPS.Engine.Parsing;

namespace VramPS.Transformation
{
    /// <summary>A count (batch size, GPUs, degrees): a whole number, never rounded or clamped.</summary>
    [AttributeUsage(AttributeTargets.Property | AttributeTargets.Field)]
    public sealed class WholeNumberAttribute : SettingTransformationAttribute
    {
        public override object? Convert(object? value) => SettingValue.WholeNumber(value);
    }
}
