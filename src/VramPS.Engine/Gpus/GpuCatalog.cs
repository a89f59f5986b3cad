using System;
using System.Collections.Generic;
using System.Linq;
using VramPS.Engine.Errors;

namespace VramPS.Engine.Gpus
{
    /// <summary>The accelerators VramPS knows, from the embedded catalog (and user catalogs merged over it).</summary>
    public sealed class GpuCatalog
    {
        private static readonly Lazy<GpuCatalog> Embedded = new Lazy<GpuCatalog>(
            () => new GpuCatalog(CatalogJson.LoadEmbedded<GpuCatalogFile>("gpus.json").Gpus));

        private readonly Dictionary<string, GpuSpec> _byName;

        public GpuCatalog(IEnumerable<GpuSpec> gpus)
        {
            All = gpus.ToArray();
            _byName = new Dictionary<string, GpuSpec>(StringComparer.OrdinalIgnoreCase);
            foreach (var g in All)
            {
                _byName[g.Name] = g;
                foreach (string alias in g.Aliases) _byName[alias] = g;
            }
        }

        /// <summary>The embedded catalog, loaded once per process.</summary>
        public static GpuCatalog Default => Embedded.Value;

        public IReadOnlyList<GpuSpec> All { get; }

        public GpuSpec? Find(string name) => _byName.TryGetValue(name.Trim(), out var g) ? g : null;

        public GpuSpec Get(string name, string parameter = "Gpu") =>
            Find(name) ?? throw new UnknownNameException(parameter, name, Array.Empty<string>());
    }

    internal sealed class GpuCatalogFile
    {
        public List<GpuSpec> Gpus { get; set; } = new List<GpuSpec>();
    }
}
