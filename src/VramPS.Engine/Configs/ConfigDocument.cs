using System;
using System.Collections.Generic;
using System.Linq;
using VramPS.Engine.Errors;

namespace VramPS.Engine.Configs
{
    /// <summary>
    /// A parsed config file and the keys its reader has accounted for. Every typed getter marks the key as read;
    /// <see cref="Ignore"/> marks keys known to the trainer but irrelevant to memory (learning rate, datasets, logging);
    /// whatever is left is an unknown key. Values of the wrong type are an <see cref="InvalidDataFileException"/>
    /// naming the file, the key and what is allowed.
    /// </summary>
    public sealed class ConfigDocument
    {
        private readonly HashSet<string> _handled = new HashSet<string>(StringComparer.Ordinal);
        private readonly List<string> _patterns = new List<string>();

        internal ConfigDocument(string path, ConfigNode root)
        {
            Path = path;
            Root = root;
            Name = System.IO.Path.GetFileName(path);
            _prefix = root.Path.Length == 0 ? "" : root.Path + ".";
        }

        /// <summary>The key path of <see cref="Root"/> and a dot, for a section read as a document of its own (an inline DeepSpeed config).</summary>
        private readonly string _prefix;

        /// <summary>The full path of the file.</summary>
        public string Path { get; }

        /// <summary>The file's name, as provenance shows it.</summary>
        public string Name { get; }

        public ConfigNode Root { get; }

        /// <summary>The node at a dotted key path (marked as read), or null when absent or null.</summary>
        public ConfigNode? Node(string key)
        {
            _handled.Add(_prefix + key);
            ConfigNode? node = Root;
            foreach (string part in key.Split('.'))
            {
                node = node?[part];
                if (node == null) return null;
            }
            return node.IsNull ? null : node;
        }

        public bool Has(string key) => Node(key) != null;

        public string? Text(string key)
        {
            var node = Node(key);
            if (node == null) return null;
            if (!node.IsScalar) throw Invalid(key, node, "a single value");
            return node.Text;
        }

        public bool? Bool(string key)
        {
            var node = Node(key);
            if (node == null) return null;
            return node.AsBool() ?? throw Invalid(key, node, "true or false");
        }

        /// <summary>A whole number of 1 or more (a batch size, a rank, a count).</summary>
        public int? Count(string key)
        {
            var node = Node(key);
            if (node == null) return null;
            long? value = node.AsLong();
            if (value == null || value < 1 || value > int.MaxValue) throw Invalid(key, node, "a whole number of 1 or more");
            return (int)value.Value;
        }

        /// <summary>A list of names, given as a YAML list or one comma-separated string.</summary>
        public string[]? Names(string key)
        {
            var node = Node(key);
            if (node == null) return null;
            if (node.IsScalar) return node.Text!.Split(',').Select(s => s.Trim()).Where(s => s.Length > 0).ToArray();
            if (node.IsList && node.Items.All(i => i.IsScalar)) return node.Items.Select(i => i.Text!.Trim()).ToArray();
            throw Invalid(key, node, "a list of names");
        }

        /// <summary>Marks keys as known and irrelevant to memory. A pattern may end in '*' (wandb_*), or name a whole section.</summary>
        public void Ignore(params string[] patterns)
        {
            foreach (string p in patterns) _patterns.Add(_prefix + p);
        }

        /// <summary>The key paths nobody read or ignored, in file order; a section nobody looked into counts as one key.</summary>
        public IReadOnlyList<string> UnknownKeys()
        {
            var unknown = new List<string>();
            Collect(Root, unknown);
            return unknown;
        }

        private void Collect(ConfigNode map, List<string> unknown)
        {
            foreach (var entry in map.Entries)
            {
                string path = entry.Value.Path;
                if (_handled.Contains(path) || IsIgnored(path)) continue;
                bool lookedInto = _handled.Any(h => h.StartsWith(path + ".", StringComparison.Ordinal))
                                  || _patterns.Any(p => p.StartsWith(path + ".", StringComparison.Ordinal));
                if (entry.Value.IsMap && lookedInto) Collect(entry.Value, unknown);
                else unknown.Add(path);
            }
        }

        private bool IsIgnored(string path) => _patterns.Any(p =>
            p.EndsWith("*", StringComparison.Ordinal)
                ? path.StartsWith(p.Substring(0, p.Length - 1), StringComparison.Ordinal)
                : p == path);

        /// <summary>How provenance names a key of this file: "qlora.yml: micro_batch_size".</summary>
        internal string Origin(string key) => $"{Name}: {_prefix}{key}";

        internal InvalidDataFileException Invalid(string key, ConfigNode node, string allowed) =>
            new InvalidDataFileException(Path, $"the key '{_prefix}{key}' is '{node.Display}'; expected {allowed}.");
    }
}
