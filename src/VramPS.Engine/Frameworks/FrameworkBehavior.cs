namespace VramPS.Engine.Frameworks
{
    /// <summary>One row of Get-VramFramework's behaviour list: what the framework does and where that was read.</summary>
    public sealed class FrameworkBehavior
    {
        internal FrameworkBehavior(string framework, string name, object? value, string source, string? assumption)
        {
            Framework = framework;
            Name = name;
            Value = value;
            Source = source;
            Assumption = assumption;
        }

        public string Framework { get; }
        public string Name { get; }
        /// <summary>The value; null for a default left to the general rule, or no transformers release.</summary>
        public object? Value { get; }
        public string Source { get; }
        /// <summary>What an estimate's Assumptions say when it takes this default; null for a behaviour that is no default.</summary>
        public string? Assumption { get; }

        public override string ToString() => $"{Name} = {Value ?? "-"}";
    }
}
