using System;
using System.Collections;
using System.Collections.Generic;
using System.Management.Automation;

namespace VramPS.Transformation
{
    /// <summary>
    /// Reads a list given as an array, as one comma-separated string ("q_proj,v_proj", as a CSV cell holds it), or as
    /// both; blank items are dropped and an empty list becomes null ("not given").
    /// </summary>
    [AttributeUsage(AttributeTargets.Property | AttributeTargets.Field)]
    public sealed class CommaListAttribute : ArgumentTransformationAttribute
    {
        public override object? Transform(EngineIntrinsics engineIntrinsics, object? inputData)
        {
            var items = new List<string>();
            Collect(inputData, items);
            return items.Count == 0 ? null : items.ToArray();
        }

        private static void Collect(object? input, List<string> items)
        {
            object? value = input is PSObject wrapped ? wrapped.BaseObject : input;
            switch (value)
            {
                case null:
                    return;
                case string text:
                    foreach (string part in text.Split(','))
                    {
                        string item = part.Trim();
                        if (item.Length > 0) items.Add(item);
                    }
                    return;
                case IEnumerable many:
                    foreach (object? each in many) Collect(each, items);
                    return;
                default:
                    Collect(value.ToString(), items);
                    return;
            }
        }
    }
}
