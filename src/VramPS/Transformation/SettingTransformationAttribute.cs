using System;
using System.Management.Automation;
using VramPS.Engine.Errors;

namespace VramPS.Transformation
{
    /// <summary>
    /// Reads one workload setting the same way wherever it comes from: the argument PowerShell binds to the parameter,
    /// and the CSV cell or piped property the cmdlet reads for it (WorkloadCommandBase.Pipeline). Blank is null ("not
    /// given"); a value that is not exactly one value of the setting fails with the allowed values.
    /// </summary>
    [AttributeUsage(AttributeTargets.Property | AttributeTargets.Field)]
    public abstract class SettingTransformationAttribute : ArgumentTransformationAttribute
    {
        /// <summary>The setting's value for an unwrapped input; throws InvalidSettingValueException for anything else.</summary>
        public abstract object? Convert(object? value);

        public override object? Transform(EngineIntrinsics engineIntrinsics, object? inputData)
        {
            try
            {
                return Convert(Unwrap(inputData));
            }
            catch (InvalidSettingValueException e)
            {
                throw new ArgumentTransformationMetadataException(e.Message, e);
            }
        }

        /// <summary>The object under a PSObject, and each item of an array unwrapped the same way.</summary>
        public static object? Unwrap(object? value)
        {
            object? bare = value is PSObject wrapped ? wrapped.BaseObject : value;
            if (bare is object[] items)
            {
                var copy = new object?[items.Length];
                for (int i = 0; i < items.Length; i++) copy[i] = Unwrap(items[i]);
                return copy;
            }
            return bare;
        }
    }
}
