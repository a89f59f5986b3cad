using System;
using System.Management.Automation;
using VramPS.Engine.Parsing;

namespace VramPS.Transformation
{
    /// <summary>A switch read from a CSV cell or piped property: True/False, yes/no, 1/0 or a bool; blank is not given.</summary>
    [AttributeUsage(AttributeTargets.Property | AttributeTargets.Field)]
    public sealed class SwitchValueAttribute : SettingTransformationAttribute
    {
        public override object? Convert(object? value)
        {
            bool? on = value is SwitchParameter given ? given.IsPresent : SettingValue.Switch(value);
            return on is null ? null : new SwitchParameter(on.Value);
        }
    }
}
