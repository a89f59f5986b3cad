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
        object? ICited.Shown => Value;

        /// <summary>The value and its source, as Format-List shows a profile: "- (source)" for a default left to the general rule.</summary>
        public override string ToString() => $"{(object?)Value ?? "-"} ({Source})";
    }
}
