using System;
using System.Collections.Generic;
using System.Linq;
using VramPS.Engine.Errors;

namespace VramPS.Engine.Models
{
    /// <summary>The models VramPS knows, from the embedded catalog (and user catalogs merged over it).</summary>
    public sealed class ModelCatalog
    {
        private static readonly Lazy<ModelCatalog> Embedded = new Lazy<ModelCatalog>(
            () => new ModelCatalog(CatalogJson.LoadEmbedded<ModelCatalogFile>("models.json").Models));

        private readonly Dictionary<string, ModelArchitecture> _byId;

        public ModelCatalog(IEnumerable<ModelArchitecture> models)
        {
            All = models.ToArray();
            _byId = new Dictionary<string, ModelArchitecture>(StringComparer.OrdinalIgnoreCase);
            foreach (var m in All)
            {
                _byId[m.Id] = m;
                foreach (string alias in m.Aliases) _byId[alias] = m;
            }
        }

        /// <summary>The embedded catalog, loaded once per process.</summary>
        public static ModelCatalog Default => Embedded.Value;

        public IReadOnlyList<ModelArchitecture> All { get; }

        /// <summary>The entry for a Hugging Face id (case-insensitive), or null.</summary>
        public ModelArchitecture? Find(string id) => _byId.TryGetValue(id.Trim(), out var m) ? m : null;

        /// <summary>The entry for an id, or UnknownNameException naming the parameter.</summary>
        public ModelArchitecture Get(string id, string parameter = "Model") =>
            Find(id) ?? throw new UnknownNameException(parameter, id, Array.Empty<string>());
    }

    internal sealed class ModelCatalogFile
    {
        public List<ModelArchitecture> Models { get; set; } = new List<ModelArchitecture>();
    }
}
