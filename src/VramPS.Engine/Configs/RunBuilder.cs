using System.Collections.Generic;
using System.Linq;
using System.Reflection;

namespace VramPS.Engine.Configs
{
    /// <summary>
    /// What the readers fill in: each setting of the run with its origin, the warnings (a setting only the launcher
    /// or the user can give) and the keys that select something VramPS cannot estimate. Shared by every reader, so a
    /// referenced file (a DeepSpeed JSON) adds to the same run.
    /// </summary>
    public sealed class RunBuilder
    {
        private readonly Dictionary<string, object> _values = new Dictionary<string, object>();
        private readonly List<SettingSource> _sources = new List<SettingSource>();
        private readonly List<string> _warnings = new List<string>();
        private readonly List<UnsupportedSetting> _unsupported = new List<UnsupportedSetting>();

        /// <summary>The trainer whose defaults fill what the file leaves out, as provenance names it.</summary>
        public string Trainer { get; set; } = "";

        public IReadOnlyList<string> Warnings => _warnings;

        public IReadOnlyList<UnsupportedSetting> Unsupported => _unsupported;

        public bool Has(string parameter) => _values.ContainsKey(parameter);

        public object? Value(string parameter) => _values.TryGetValue(parameter, out var v) ? v : null;

        /// <summary>A setting read from a key of a file; replaces an earlier value of the same parameter.</summary>
        public void Set(string parameter, object value, ConfigDocument file, string key) =>
            Record(parameter, value, file.Origin(key));

        /// <summary>The trainer's default for a setting the files leave out; <paramref name="citation"/> names the source file.</summary>
        public void Default(string parameter, object value, string citation)
        {
            if (!Has(parameter)) Record(parameter, value, $"{Trainer} default ({citation})");
        }

        /// <summary>A setting derived from several keys or from the model name; the origin says how.</summary>
        public void Derived(string parameter, object value, string origin) => Record(parameter, value, origin);

        /// <summary>A setting the file does not fix: a warning that names the parameter to give.</summary>
        public void Missing(string parameter, string why)
        {
            if (!Has(parameter)) _warnings.Add($"{why}; give -{parameter} to Get-TrainingMemory, or VramPS uses its default.");
        }

        public void Warn(string message) => _warnings.Add(message);

        /// <summary>The origin recorded for a parameter, or null.</summary>
        public string? Origin(string parameter) => _sources.Find(s => s.Parameter == parameter)?.Origin;

        /// <summary>A key that selects what VramPS cannot estimate; the run is refused with all of them named.</summary>
        public void Refuse(string key, string value, string what) => _unsupported.Add(new UnsupportedSetting(key, value, what));

        internal TrainingConfigRun Build(string file, ConfigFormat format)
        {
            var order = typeof(TrainingConfigRun).GetProperties(BindingFlags.Instance | BindingFlags.Public | BindingFlags.NonPublic).Select(p => p.Name).ToList();
            var sources = _sources.OrderBy(s => order.IndexOf(s.Parameter)).ToArray();
            return new TrainingConfigRun(file, format, new Dictionary<string, object>(_values), new ConfigSource(sources));
        }

        private void Record(string parameter, object value, string origin)
        {
            _values[parameter] = value;
            _sources.RemoveAll(s => s.Parameter == parameter);
            _sources.Add(new SettingSource(parameter, value, origin));
        }
    }
}
