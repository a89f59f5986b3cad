using System;
using VramPS.Engine.Parsing;

namespace VramPS.Transformation
{
    /// <summary>A length in tokens: a whole number or thousands written as 4k, 32k, 128k (k = 1024).</summary>
    [AttributeUsage(AttributeTargets.Property | AttributeTargets.Field)]
    public sealed class TokenLengthAttribute : SettingTransformationAttribute
    {
        public override object? Convert(object? value) => SettingValue.TokenLength(value);
    }
}
