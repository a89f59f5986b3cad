using System;
using VramPS.Engine.Parsing;

namespace VramPS.Transformation
{
    /// <summary>
    /// A member of an enum by name, case, '-', '_' and spaces ignored, or by a synonym (EnumSpellings). A [Flags] enum
    /// takes a comma list or an array of names ("ChunkedLoss,FusedKernels": PowerShell's own conversion to a Nullable
    /// flags enum rejects arrays); with List, the parameter takes an array of members the same way.
    /// </summary>
    [AttributeUsage(AttributeTargets.Property | AttributeTargets.Field)]
    public sealed class EnumNameAttribute : SettingTransformationAttribute
    {
        public EnumNameAttribute(Type enumType)
        {
            EnumType = enumType;
        }

        public Type EnumType { get; }

        /// <summary>Whether the parameter takes several members (an array).</summary>
        public bool List { get; set; }

        public override object? Convert(object? value)
        {
            if (List) return SettingValue.EnumMembers(EnumType, value);
            if (EnumType.IsDefined(typeof(FlagsAttribute), false)) return SettingValue.Flags(EnumType, value);
            return SettingValue.EnumMember(EnumType, value is object[] one && one.Length == 1 ? one[0] : value);
        }
    }
}
