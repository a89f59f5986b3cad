using System.Collections;
using System.Collections.Generic;
using System.Linq;
using VramPS.Engine.Gpus;

namespace VramPS.Completion
{
    /// <summary>Completes -Gpu with the names of the GPU catalog (with -GpuCatalogPath merged in).</summary>
    public sealed class GpuNameCompleter : NameCompleter
    {
        protected override IEnumerable<string> Names(IDictionary fakeBoundParameters) => CompletionCatalogs.Gpus(fakeBoundParameters).All.Select(g => g.Name);
    }
}
