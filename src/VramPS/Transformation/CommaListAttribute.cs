using System;
using System.Linq;
using VramPS.Engine.Parsing;

namespace VramPS.Transformation
{
    /// <summary>
    /// Reads a list given as an array, as one comma-separated string ("q_proj,v_proj", as a CSV cell holds it), or as
    /// both; blank items are dropped and an empty list becomes null ("not given").
    /// </summary>
    [AttributeUsage(AttributeTargets.Property | AttributeTargets.Field)]
    public sealed class CommaListAttribute : SettingTransformationAttribute
    {
        public override object? Convert(object? value)
        {
            string[] items = SettingValue.Items(value).Select(item => item.ToString()!.Trim()).Where(item => item.Length > 0).ToArray();
            return items.Length == 0 ? null : items;
        }
    }
}
