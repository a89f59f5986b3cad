using System;
using System.Management.Automation;

namespace VramPS.Transformation
{
    /// <summary>
    /// Reads a [Flags] enum from a comma list ("ChunkedLoss,FusedKernels"), an array of names or a value, for a
    /// nullable parameter (PowerShell's own conversion to Nullable of a flags enum rejects arrays); blank is null.
    /// </summary>
    [AttributeUsage(AttributeTargets.Property | AttributeTargets.Field)]
    public sealed class FlagsListAttribute : ArgumentTransformationAttribute
    {
        public FlagsListAttribute(Type enumType)
        {
            EnumType = enumType;
        }

        public Type EnumType { get; }

        public override object? Transform(EngineIntrinsics engineIntrinsics, object? inputData)
        {
            object? value = inputData is PSObject wrapped ? wrapped.BaseObject : inputData;
            if (value is null || value is string text && string.IsNullOrWhiteSpace(text)) return null;
            try
            {
                return LanguagePrimitives.ConvertTo(value, EnumType);
            }
            catch (PSInvalidCastException e)
            {
                throw new ArgumentTransformationMetadataException(
                    $"'{value}' is not a list of {EnumType.Name}. Allowed: {string.Join(", ", Enum.GetNames(EnumType))}.", e);
            }
        }
    }
}
