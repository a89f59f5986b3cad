using System.Collections.Generic;
using System.Linq;
using VramPS.Engine.Errors;

namespace VramPS.Engine.Configs
{
    /// <summary>
    /// A config selects something VramPS cannot estimate yet (DoRA, GaLore, a vision model): the run is refused rather
    /// than estimated as plain LoRA or AdamW. Names every such key with its value and what it selects.
    /// </summary>
    public sealed class UnsupportedSettingException : VramException
    {
        public UnsupportedSettingException(string path, IReadOnlyList<UnsupportedSetting> settings)
            : base($"{path}: VramPS cannot estimate {string.Join("; ", settings.Select(s => s.ToString()))} yet, and will not estimate the run as if the " +
                   (settings.Count == 1 ? "key" : "keys") + " were absent. Remove " + (settings.Count == 1 ? "it" : "them") +
                   " from a copy of the config to estimate the nearest run VramPS models.")
        {
            Path = path;
            Settings = settings;
        }

        public string Path { get; }

        public IReadOnlyList<UnsupportedSetting> Settings { get; }
    }

    /// <summary>One key a config sets to something VramPS does not model.</summary>
    public sealed class UnsupportedSetting
    {
        public UnsupportedSetting(string key, string value, string what)
        {
            Key = key;
            Value = value;
            What = what;
        }

        public string Key { get; }

        public string Value { get; }

        public string What { get; }

        public override string ToString() => $"{What} ({Key}: {Value})";
    }
}
