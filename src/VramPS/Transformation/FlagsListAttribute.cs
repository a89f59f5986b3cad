using System;
using VramPS.Engine.Parsing;

namespace VramPS.Transformation
{
    /// <summary>
    /// Reads a [Flags] enum from a comma list ("ChunkedLoss,FusedKernels"), an array of names or a value, each name as
    /// EnumName reads it, for a nullable parameter (PowerShell's own conversion to Nullable of a flags enum rejects
    /// arrays); blank is null.
    /// </summary>
    [AttributeUsage(AttributeTargets.Property | AttributeTargets.Field)]
    public sealed class FlagsListAttribute : SettingTransformationAttribute
    {
        public FlagsListAttribute(Type enumType)
        {
            EnumType = enumType;
        }

        public Type EnumType { get; }

        public override object? Convert(object? value) => SettingValue.Flags(EnumType, value);
    }
}
