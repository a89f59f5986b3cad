using System.Collections.Generic;
using System.Linq;
using VramPS.Engine.Gpus;

namespace VramPS.Completion
{
    /// <summary>Completes -Gpu with the names of the GPU catalog.</summary>
    public sealed class GpuNameCompleter : NameCompleter
    {
        protected override IEnumerable<string> Names => GpuCatalog.Default.All.Select(g => g.Name);
    }
}
