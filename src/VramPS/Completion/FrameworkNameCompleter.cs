using System.Collections;
using System.Collections.Generic;
using VramPS.Engine;

namespace VramPS.Completion
{
    /// <summary>Completes -Framework with the trainer names as the validation CSV spells them.</summary>
    public sealed class FrameworkNameCompleter : NameCompleter
    {
        protected override IEnumerable<string> Names(IDictionary fakeBoundParameters) => FrameworkNames.All;
    }
}
