using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Reflection;
using VramPS.Engine.Errors;
using VramPS.Engine.Files;
using VramPS.Engine.Gpus;
using VramPS.Engine.Text;

namespace VramPS.Engine.Models
{
    /// <summary>The models VramPS knows, from the embedded catalog (and user catalogs merged over it).</summary>
    public sealed class ModelCatalog
    {
        /// <summary>How errors name the catalog built into the engine.</summary>
        public const string EmbeddedName = "models.json (embedded catalog)";

        private const string EmbeddedResource = "VramPS.Engine.Catalogs.models.json";

        /// <summary>
        /// Endings of repositories that hold a pre-quantized copy of a model, with its architecture unchanged: Unsloth's
        /// bitsandbytes uploads (unsloth/llama-3-8b-bnb-4bit, -unsloth-bnb-4bit), GPTQ and AWQ exports (-GPTQ-Int4, -AWQ).
        /// Longest first, so the longest ending is removed.
        /// </summary>
        private static readonly string[] QuantizedSuffixes =
        {
            "-unsloth-bnb-4bit", "-GPTQ-Int4", "-GPTQ-Int8", "-bnb-4bit", "-bnb-8bit", "-GPTQ", "-AWQ", "-4bit", "-8bit",
        };

        /// <summary>Name segments that mark a tuned variant of a base model: Llama-2-7b-chat-hf, Qwen2.5-7B-Instruct, gemma-2-9b-it.</summary>
        private static readonly HashSet<string> VariantSegments = new HashSet<string>(StringComparer.OrdinalIgnoreCase) { "instruct", "chat", "it" };

        private static readonly Lazy<ModelCatalog> Embedded = new Lazy<ModelCatalog>(LoadEmbedded);

        private readonly Dictionary<string, ModelArchitecture> _byName;
        private readonly Dictionary<string, ModelArchitecture?> _byTail;

        /// <summary>A catalog of the given entries; where two share a name (id or alias), the later one wins.</summary>
        public ModelCatalog(IEnumerable<ModelArchitecture> models)
        {
            All = models.ToArray();
            _byName = new Dictionary<string, ModelArchitecture>(StringComparer.OrdinalIgnoreCase);
            foreach (var m in All)
            {
                foreach (string alias in m.Aliases) _byName[alias] = m;
                _byName[m.Id] = m;
            }
            _byTail = new Dictionary<string, ModelArchitecture?>(StringComparer.OrdinalIgnoreCase);
            foreach (var pair in _byName)
            {
                string tail = Tail(pair.Key);
                _byTail[tail] = _byTail.TryGetValue(tail, out var seen) && seen != null && !ReferenceEquals(seen, pair.Value) ? null : pair.Value;
            }
        }

        /// <summary>The embedded catalog, loaded and validated once per process.</summary>
        public static ModelCatalog Default => Embedded.Value;

        public IReadOnlyList<ModelArchitecture> All { get; }

        /// <summary>
        /// The entry for a Hugging Face id, ignoring case; an alias, or an id that differs from a known one only by an
        /// -Instruct, -chat or -it segment (meta-llama/Llama-2-7b-chat-hf, mistralai/Mixtral-8x7B-Instruct-v0.1), gives the
        /// base entry's architecture under the id asked for. A mirror under another organization
        /// (NousResearch/Llama-2-7b-hf) resolves by the name after '/' when exactly one entry carries it. A pre-quantized
        /// upload (unsloth/llama-3-8b-bnb-4bit, Qwen/Qwen2.5-7B-Instruct-GPTQ-Int4) resolves as the name without its
        /// quantization ending. Null when nothing matches.
        /// </summary>
        public ModelArchitecture? Find(string id)
        {
            string name = (id ?? "").Trim();
            if (name.Length == 0) return null;
            var found = FindExact(name);
            if (found != null) return found;
            foreach (string suffix in QuantizedSuffixes)
            {
                if (name.Length > suffix.Length && name.EndsWith(suffix, StringComparison.OrdinalIgnoreCase))
                    return FindExact(name.Substring(0, name.Length - suffix.Length))?.WithId(name);
            }
            return null;
        }

        private ModelArchitecture? FindExact(string name)
        {
            if (_byName.TryGetValue(name, out var model))
                return string.Equals(model.Id, name, StringComparison.OrdinalIgnoreCase) ? model : model.WithId(name);
            foreach (string baseName in BaseNames(name))
            {
                if (_byName.TryGetValue(baseName, out model)) return model.WithId(name);
            }
            foreach (string baseName in new[] { name }.Concat(BaseNames(name)))
            {
                if (_byTail.TryGetValue(Tail(baseName), out var mirrored) && mirrored != null) return mirrored.WithId(name);
            }
            return null;
        }

        /// <summary>
        /// The entry for an id (see <see cref="Find"/>), else the one entry whose id or alias the text matches by
        /// <see cref="Search"/>; UnknownNameException naming the parameter and the entries it matches, or the 5 closest names.
        /// </summary>
        public ModelArchitecture Get(string id, string parameter = "Model")
        {
            var found = Find(id);
            if (found != null) return found;
            var matches = Search(id);
            return matches.Count == 1 ? matches[0]
                : throw new UnknownNameException(parameter, id, matches.Count > 1 ? matches.Take(5).Select(m => m.Id).ToArray() : ClosestNames(id, 5));
        }

        /// <summary>
        /// Every place a model name is read looks it up here: the entry <see cref="Find"/> gives, else the entries whose id
        /// or an alias matches the text as a wildcard pattern (* and ?) or, without wildcards, contains it, ignoring case,
        /// in catalog order ("gemma" finds every Gemma).
        /// </summary>
        public IReadOnlyList<ModelArchitecture> Search(string text)
        {
            string name = (text ?? "").Trim();
            if (name.Length == 0) return Array.Empty<ModelArchitecture>();
            var found = Find(name);
            if (found != null) return new[] { found };
            string pattern = name.ToUpperInvariant();
            if (pattern.IndexOfAny(new[] { '*', '?' }) < 0) pattern = "*" + pattern + "*";
            return All.Where(m => new[] { m.Id }.Concat(m.Aliases).Any(n => Wildcard.IsMatch(n.ToUpperInvariant(), pattern))).ToArray();
        }

        /// <summary>
        /// The catalog names (ids and aliases) nearest to the given one by edit distance, ignoring case, measured on the
        /// whole id and on the part after '/' (whichever is closer), nearest first.
        /// </summary>
        public IReadOnlyList<string> ClosestNames(string id, int count)
        {
            if (count <= 0) return Array.Empty<string>();
            string query = (id ?? "").Trim();
            string queryTail = Tail(query);
            return All.SelectMany(m => new[] { m.Id }.Concat(m.Aliases))
                .Distinct(StringComparer.OrdinalIgnoreCase)
                .Select(name => new { Name = name, Distance = Math.Min(EditDistance.Between(query, name), EditDistance.Between(queryTail, Tail(name))) })
                .OrderBy(c => c.Distance)
                .ThenBy(c => c.Name, StringComparer.OrdinalIgnoreCase)
                .Select(c => c.Name)
                .Take(count)
                .ToArray();
        }

        /// <summary>Reads a user's catalog file (same schema and rules as the embedded one).</summary>
        public static ModelCatalog Load(string path) =>
            new ModelCatalog(ModelCatalogReader.Read(DataJson.Read(path), path));

        /// <summary>This catalog with the given entries added; an entry whose id is already here replaces it.</summary>
        public ModelCatalog MergedWith(ModelCatalog overrides)
        {
            if (overrides is null) throw new ArgumentNullException(nameof(overrides));
            var replaced = new HashSet<string>(overrides.All.Select(m => m.Id), StringComparer.OrdinalIgnoreCase);
            return new ModelCatalog(All.Where(m => !replaced.Contains(m.Id)).Concat(overrides.All));
        }

        private static IEnumerable<string> BaseNames(string name)
        {
            int slash = name.LastIndexOf('/');
            string owner = name.Substring(0, slash + 1);
            string[] segments = name.Substring(slash + 1).Split('-');
            for (int i = 1; i < segments.Length; i++)
            {
                if (VariantSegments.Contains(segments[i]))
                    yield return owner + string.Join("-", segments.Where((_, k) => k != i));
            }
        }

        private static string Tail(string name) => name.Substring(name.LastIndexOf('/') + 1);

        private static ModelCatalog LoadEmbedded()
        {
            var assembly = typeof(ModelCatalog).GetTypeInfo().Assembly;
            using (var stream = assembly.GetManifestResourceStream(EmbeddedResource)
                                ?? throw new InvalidOperationException($"The engine lacks its embedded resource {EmbeddedResource}."))
            using (var reader = new StreamReader(stream))
            {
                var document = DataJson.Parse(EmbeddedName, reader.ReadToEnd());
                return new ModelCatalog(ModelCatalogReader.Read(document, EmbeddedName));
            }
        }
    }
}
