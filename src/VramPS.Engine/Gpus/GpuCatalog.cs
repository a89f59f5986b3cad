using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Reflection;
using VramPS.Engine.Errors;
using VramPS.Engine.Files;
using VramPS.Engine.Text;

namespace VramPS.Engine.Gpus
{
    /// <summary>
    /// The accelerators VramPS knows, from the embedded catalog and user catalogs merged over it. Names and aliases are
    /// compared case-insensitively with spaces, hyphens and underscores ignored ("rtx 4090" finds RTX-4090); where a
    /// name and an alias coincide, the name wins.
    /// </summary>
    public sealed class GpuCatalog
    {
        /// <summary>How errors in the embedded catalog name the file.</summary>
        public const string EmbeddedPath = "embedded gpus.json";

        private const string EmbeddedResource = "VramPS.Engine.Catalogs.gpus.json";

        private static readonly Lazy<GpuCatalog> Embedded = new Lazy<GpuCatalog>(
            () => new GpuCatalog(GpuCatalogReader.Read(EmbeddedPath, ReadEmbeddedText())));

        private readonly Dictionary<string, GpuSpec> _byKey = new Dictionary<string, GpuSpec>(StringComparer.Ordinal);
        /// <summary>Per entry of <see cref="All"/>: the key of its name, then those of its aliases.</summary>
        private readonly string[][] _keys;

        public GpuCatalog(IEnumerable<GpuSpec> gpus)
        {
            if (gpus is null) throw new ArgumentNullException(nameof(gpus));
            All = gpus.ToArray();
            if (All.Any(g => g is null)) throw new ArgumentException("The list of GPUs contains null.", nameof(gpus));
            _keys = All.Select(g => new[] { g.Name }.Concat(g.Aliases).Select(GpuNameKey.Of).ToArray()).ToArray();
            for (int i = 0; i < All.Count; i++)
            {
                foreach (string alias in _keys[i].Skip(1)) _byKey[alias] = All[i];
            }
            for (int i = 0; i < All.Count; i++) _byKey[_keys[i][0]] = All[i];
        }

        /// <summary>The embedded catalog, loaded and validated once per process.</summary>
        public static GpuCatalog Default => Embedded.Value;

        public IReadOnlyList<GpuSpec> All { get; }

        /// <summary>Reads and validates a user catalog file; any problem is an InvalidDataFileException naming the file.</summary>
        public static GpuCatalog Load(string path) =>
            new GpuCatalog(GpuCatalogReader.Read(path, DataFile.ReadText(path)));

        /// <summary>The entry with this name or alias, or null.</summary>
        public GpuSpec? Find(string? name)
        {
            if (name is null) return null;
            return _byKey.TryGetValue(GpuNameKey.Of(name), out var gpu) ? gpu : null;
        }

        /// <summary>
        /// The entry with this name or alias, else the one entry <see cref="Search"/> finds; UnknownNameException naming
        /// the parameter and the entries the name matches, or the 5 closest names.
        /// </summary>
        public GpuSpec Get(string? name, string parameter = "Gpu")
        {
            var found = Find(name);
            if (found != null) return found;
            var matches = Search(name ?? "");
            return matches.Count == 1 ? matches[0]
                : throw new UnknownNameException(parameter, name ?? "", matches.Count > 1 ? matches.Take(5).Select(g => g.Name).ToArray() : ClosestNames(name, 5));
        }

        /// <summary>
        /// Every place a GPU name is read looks it up here: the entry with this name or alias, else the entries whose name
        /// or an alias matches it as a wildcard pattern or, without wildcards, contains it ("4090", "rtx 40*"), in catalog order.
        /// </summary>
        public IReadOnlyList<GpuSpec> Search(string text)
        {
            if (string.IsNullOrWhiteSpace(text)) return Array.Empty<GpuSpec>();
            var found = Find(text);
            if (found != null) return new[] { found };
            return Match(IsPattern(text) ? text : "*" + text + "*").ToArray();
        }

        /// <summary>Whether a GPU name is a pattern: GPU names know * and ? only, so [ and ] are plain text.</summary>
        public static bool IsPattern(string text) => text.IndexOfAny(new[] { '*', '?' }) >= 0;

        /// <summary>
        /// What else a name that found <paramref name="chosen"/> could mean: the other entries whose name or an alias
        /// contains it ("A100" is an alias of A100-80GB, and A100-40GB and A100-80GB-PCIe contain it too); empty when the
        /// name is the chosen entry's own.
        /// </summary>
        public IReadOnlyList<GpuSpec> AlsoMatching(string name, GpuSpec chosen) =>
            GpuNameKey.Of(name) == GpuNameKey.Of(chosen.Name)
                ? Array.Empty<GpuSpec>()
                : Match("*" + name + "*").Where(g => g.Name != chosen.Name).ToArray();

        /// <summary>
        /// Entries whose name or an alias matches a pattern with * (any run) and ? (any one character), in catalog order.
        /// </summary>
        public IEnumerable<GpuSpec> Match(string pattern)
        {
            if (pattern is null) throw new ArgumentNullException(nameof(pattern));
            string key = GpuNameKey.Of(pattern);
            return All.Where((gpu, i) => _keys[i].Any(k => Wildcard.IsMatch(k, key)));
        }

        /// <summary>Up to <paramref name="count"/> entry names, nearest first by edit distance to the name or any alias.</summary>
        public IReadOnlyList<string> ClosestNames(string? name, int count)
        {
            if (count <= 0) return Array.Empty<string>();
            string key = GpuNameKey.Of(name ?? "");
            return All
                .Select((gpu, i) => (gpu.Name, Distance: _keys[i].Min(k => EditDistance.Between(key, k)), Index: i))
                .OrderBy(c => c.Distance)
                .ThenBy(c => c.Index)
                .Take(count)
                .Select(c => c.Name)
                .ToArray();
        }

        /// <summary>
        /// This catalog with <paramref name="overrides"/> laid over it: an override whose name matches an entry replaces
        /// that entry in place (the replaced entry's aliases now find the override), other overrides are added at the end,
        /// and aliases of this catalog that an override uses as a name or alias are given up to it.
        /// </summary>
        public GpuCatalog MergedWith(GpuCatalog overrides)
        {
            if (overrides is null) throw new ArgumentNullException(nameof(overrides));
            var claimed = new HashSet<string>(overrides._keys.SelectMany(k => k), StringComparer.Ordinal);
            var replacements = new Dictionary<string, GpuSpec>(StringComparer.Ordinal);
            for (int i = 0; i < overrides.All.Count; i++) replacements[overrides._keys[i][0]] = overrides.All[i];

            var merged = new List<GpuSpec>(All.Count + overrides.All.Count);
            var replaced = new HashSet<string>(StringComparer.Ordinal);
            for (int i = 0; i < All.Count; i++)
            {
                var kept = All[i].Aliases.Where((alias, a) => !claimed.Contains(_keys[i][a + 1])).ToArray();
                if (replacements.TryGetValue(_keys[i][0], out var replacement))
                {
                    merged.Add(replacement.WithAliases(replacement.Aliases.Concat(kept).ToArray()));
                    replaced.Add(_keys[i][0]);
                }
                else
                {
                    merged.Add(kept.Length == All[i].Aliases.Count ? All[i] : All[i].WithAliases(kept));
                }
            }
            merged.AddRange(overrides.All.Where((gpu, i) => !replaced.Contains(overrides._keys[i][0])));
            return new GpuCatalog(merged);
        }

        private static string ReadEmbeddedText()
        {
            var assembly = typeof(GpuCatalog).GetTypeInfo().Assembly;
            using (var stream = assembly.GetManifestResourceStream(EmbeddedResource))
            {
                if (stream is null) throw new InvalidDataFileException(EmbeddedPath, "is missing from the engine assembly.");
                using (var reader = new StreamReader(stream))
                {
                    return reader.ReadToEnd();
                }
            }
        }
    }
}
