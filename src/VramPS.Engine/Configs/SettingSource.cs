using System.Collections.Generic;
using System.Linq;

namespace VramPS.Engine.Configs
{
    /// <summary>Where one setting of an imported run came from: a key of a file, or a trainer default and its citation.</summary>
    public sealed class SettingSource
    {
        internal SettingSource(string parameter, object value, string origin)
        {
            Parameter = parameter;
            Value = value;
            Origin = origin;
        }

        /// <summary>The Get-TrainingMemory parameter the setting binds to.</summary>
        public string Parameter { get; }

        public object Value { get; }

        /// <summary>"qlora.yml: micro_batch_size", or "default: ..." with the trainer source it was read from.</summary>
        public string Origin { get; }

        public override string ToString() =>
            $"{Parameter} = {(Value is string[] list ? string.Join(",", list) : Value)} <- {Origin}";
    }

    /// <summary>
    /// The provenance of every setting of an imported run, one line per setting. Not a collection, so Format-List
    /// shows all of its lines (its ToString) rather than the first few items.
    /// </summary>
    public sealed class ConfigSource
    {
        internal ConfigSource(IReadOnlyList<SettingSource> settings)
        {
            Settings = settings;
        }

        public IReadOnlyList<SettingSource> Settings { get; }

        /// <summary>The source of one parameter; null when the config left it to Get-TrainingMemory.</summary>
        public SettingSource? For(string parameter) => Settings.FirstOrDefault(s => s.Parameter == parameter);

        public override string ToString() => string.Join("\n", Settings.Select(s => s.ToString()));
    }
}
