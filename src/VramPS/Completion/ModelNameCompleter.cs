using System.Collections.Generic;
using System.Linq;
using VramPS.Engine.Models;

namespace VramPS.Completion
{
    /// <summary>Completes -Model with the Hugging Face ids of the model catalog.</summary>
    public sealed class ModelNameCompleter : NameCompleter
    {
        protected override IEnumerable<string> Names => ModelCatalog.Default.All.Select(m => m.Id);
    }
}
