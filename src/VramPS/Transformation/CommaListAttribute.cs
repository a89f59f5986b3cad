using System;
using System.Collections;
using System.Linq;
using VramPS.Engine.Errors;
using VramPS.Engine.Parsing;

namespace VramPS.Transformation
{
    /// <summary>
    /// Reads a list given as an array, as one comma-separated string ("q_proj,v_proj", as a CSV cell holds it), or as
    /// both; blank items are dropped and a blank value becomes null ("not given"), but a value of separators alone
    /// (",") names nothing and is refused rather than read as not given.
    /// </summary>
    [AttributeUsage(AttributeTargets.Property | AttributeTargets.Field)]
    public sealed class CommaListAttribute : SettingTransformationAttribute
    {
        public override object? Convert(object? value)
        {
            string[] items = SettingValue.Items(value).Select(item => item.ToString()!.Trim()).Where(item => item.Length > 0).ToArray();
            string raw = value is IEnumerable many && !(value is string) ? string.Join(",", many.Cast<object?>().Select(o => o?.ToString())) : value?.ToString() ?? "";
            if (items.Length == 0 && raw.Trim().Length > 0)
                throw new InvalidSettingValueException(raw, "a list of names", "names separated by commas, such as q_proj,v_proj");
            return items.Length == 0 ? null : items;
        }
    }
}
