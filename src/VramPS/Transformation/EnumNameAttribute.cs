using System;
using VramPS.Engine.Parsing;

namespace VramPS.Transformation
{
    /// <summary>
    /// A member of an enum by name, case, '-', '_' and spaces ignored, or by a synonym (EnumSpellings); with List, an
    /// array of members from a comma list or an array.
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

        public override object? Convert(object? value) =>
            List ? SettingValue.EnumMembers(EnumType, value) : SettingValue.EnumMember(EnumType, value is object[] one && one.Length == 1 ? one[0] : value);
    }
}
