using System;
using System.Collections.Generic;
using System.Globalization;

namespace VramPS.Engine.Configs
{
    /// <summary>
    /// One value of a config file, YAML or JSON alike: a mapping (keys in file order), a list or a scalar. A scalar
    /// keeps its text and whether it was plain, and is typed when read, the way the trainers' YAML loaders (PyYAML's
    /// safe_load, YAML 1.1) type it: null/~/empty, true/false/yes/no/on/off, integers, floats. Each node knows its key
    /// path (fsdp_config.fsdp_offload_params) for messages and provenance.
    /// </summary>
    public sealed class ConfigNode
    {
        private static readonly HashSet<string> Nulls = new HashSet<string>(StringComparer.Ordinal) { "", "~", "null", "Null", "NULL" };
        private static readonly HashSet<string> Trues = new HashSet<string>(StringComparer.OrdinalIgnoreCase) { "true", "yes", "on", "y" };
        private static readonly HashSet<string> Falses = new HashSet<string>(StringComparer.OrdinalIgnoreCase) { "false", "no", "off", "n" };

        private readonly List<KeyValuePair<string, ConfigNode>>? _entries;
        private readonly List<ConfigNode>? _items;

        private ConfigNode(string path, List<KeyValuePair<string, ConfigNode>>? entries, List<ConfigNode>? items, string? text, bool plain)
        {
            Path = path;
            _entries = entries;
            _items = items;
            Text = text;
            Plain = plain;
        }

        public static ConfigNode Map(string path, List<KeyValuePair<string, ConfigNode>> entries) => new ConfigNode(path, entries, null, null, false);

        public static ConfigNode List(string path, List<ConfigNode> items) => new ConfigNode(path, null, items, null, false);

        public static ConfigNode Scalar(string path, string text, bool plain) => new ConfigNode(path, null, null, text, plain);

        /// <summary>The dotted key path from the document root; "" for the root.</summary>
        public string Path { get; }

        public bool IsMap => _entries != null;

        public bool IsList => _items != null;

        public bool IsScalar => Text != null;

        /// <summary>A scalar's text as written; null for a mapping or list.</summary>
        public string? Text { get; }

        /// <summary>Whether a scalar was written unquoted (and so may be null, a boolean or a number).</summary>
        public bool Plain { get; }

        public IReadOnlyList<KeyValuePair<string, ConfigNode>> Entries => _entries ?? new List<KeyValuePair<string, ConfigNode>>();

        public IReadOnlyList<ConfigNode> Items => _items ?? new List<ConfigNode>();

        /// <summary>Whether this is a null: a plain null scalar.</summary>
        public bool IsNull => Text != null && Plain && Nulls.Contains(Text);

        public ConfigNode? this[string key]
        {
            get
            {
                if (_entries == null) return null;
                foreach (var entry in _entries)
                {
                    if (entry.Key == key) return entry.Value;
                }
                return null;
            }
        }

        /// <summary>A boolean as PyYAML types it (true/false, yes/no, on/off) or as text "true"/"false"; null otherwise.</summary>
        public bool? AsBool()
        {
            if (Text == null || IsNull) return null;
            if (Trues.Contains(Text)) return true;
            if (Falses.Contains(Text)) return false;
            return null;
        }

        /// <summary>An integer (a float with no fraction counts; underscores as PyYAML allows); null otherwise.</summary>
        public long? AsLong()
        {
            if (Text == null || IsNull) return null;
            string t = Text.Replace("_", "");
            if (long.TryParse(t, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out long value)) return value;
            double? d = AsDouble();
            return d != null && Math.Floor(d.Value) == d.Value && Math.Abs(d.Value) < 9e15 ? (long)d.Value : (long?)null;
        }

        public double? AsDouble()
        {
            if (Text == null || IsNull) return null;
            return double.TryParse(Text.Replace("_", ""), NumberStyles.Float, CultureInfo.InvariantCulture, out double value)
                && !double.IsNaN(value) && !double.IsInfinity(value) ? value : (double?)null;
        }

        /// <summary>How the value reads in a message: the scalar's text, or {…} / […] for a mapping or list.</summary>
        public string Display => Text ?? (IsMap ? "{…}" : "[…]");
    }
}
