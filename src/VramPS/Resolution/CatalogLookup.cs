using System.Linq;
using VramPS.Engine.Errors;
using VramPS.Engine.Gpus;
using VramPS.Engine.Models;

namespace VramPS.Resolution
{
    /// <summary>Catalog look-ups whose UnknownNameException always carries the closest names.</summary>
    internal static class CatalogLookup
    {
        public static ModelArchitecture Model(string id)
        {
            try
            {
                return ModelCatalog.Default.Get(id);
            }
            catch (UnknownNameException e) when (e.Closest.Count == 0)
            {
                throw new UnknownNameException(e.Parameter, e.Value,
                    NameSuggestions.Closest(id, ModelCatalog.Default.All.Select(m => m.Id)));
            }
        }

        public static GpuSpec Gpu(string name)
        {
            try
            {
                return GpuCatalog.Default.Get(name);
            }
            catch (UnknownNameException e) when (e.Closest.Count == 0)
            {
                throw new UnknownNameException(e.Parameter, e.Value,
                    NameSuggestions.Closest(name, GpuCatalog.Default.All.Select(g => g.Name)));
            }
        }
    }
}
