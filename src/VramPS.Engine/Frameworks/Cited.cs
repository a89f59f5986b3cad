using System.Linq;

namespace VramPS.Engine.Frameworks
{
    /// <summary>A behaviour's value as the list of behaviours shows it, and the source it was read from.</summary>
    internal interface ICited
    {
        object? Shown { get; }
        string Source { get; }
        string? Assumption { get; }
    }

    /// <summary>
    /// One behaviour of a framework: its value, the file or document it was read from, and, for a default the engine
    /// takes when the workload does not say, the words the estimate's Assumptions record.
    /// </summary>
    public readonly struct Cited<T> : ICited
    {
        public Cited(T value, string source, string? assumption = null)
        {
            Value = value;
            Source = source;
            Assumption = assumption;
        }

        public T Value { get; }
        public string Source { get; }
        public string? Assumption { get; }
        /// <summary>The value as the list of behaviours shows it: a list of values as one line ("LoRA, DoRA").</summary>
        object? ICited.Shown => Value is System.Collections.IEnumerable items && Value is not string
            ? Text.ReadableList.Names(items.Cast<object>().Select(item => item.ToString() ?? ""))
            : Value;

        /// <summary>The value and its source, as Format-List and Export-Csv show a profile: "- (source)" for a default left to the general rule.</summary>
        public override string ToString() => $"{((ICited)this).Shown ?? "-"} ({Source})";
    }
}
