using System;
using System.Management.Automation;

namespace VramPS.Transformation
{
    /// <summary>
    /// Turns an empty or blank string (an empty CSV cell) into null, so a nullable parameter reads it as "not given"
    /// instead of failing to convert it (enums) or silently taking 0 (numbers).
    /// </summary>
    [AttributeUsage(AttributeTargets.Property | AttributeTargets.Field)]
    public sealed class EmptyAsNullAttribute : ArgumentTransformationAttribute
    {
        public override object? Transform(EngineIntrinsics engineIntrinsics, object? inputData)
        {
            object? value = inputData is PSObject wrapped ? wrapped.BaseObject : inputData;
            return value is string text && string.IsNullOrWhiteSpace(text) ? null : inputData;
        }
    }
}
