using System.Collections;
using System.Collections.Generic;
using System.Linq;
using VramPS.Engine.Models;

namespace VramPS.Completion
{
    /// <summary>Completes -Model and -RewardModel with the Hugging Face ids of the model catalog (with -ModelCatalogPath merged in).</summary>
    public sealed class ModelNameCompleter : NameCompleter
    {
        protected override IEnumerable<string> Names(IDictionary fakeBoundParameters) => CompletionCatalogs.Models(fakeBoundParameters).All.Select(m => m.Id);
    }
}
