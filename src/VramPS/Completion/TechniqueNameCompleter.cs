using System;
using System.Collections;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation.Language;
using VramPS.Engine;

namespace VramPS.Completion
{
    /// <summary>
    /// Completes -Techniques, a comma list of flags, with the techniques not yet in the list: after
    /// "-Techniques ChunkedLoss," it offers the others, not ChunkedLoss again, nor None.
    /// </summary>
    public sealed class TechniqueNameCompleter : NameCompleter
    {
        protected override IEnumerable<string> Names(IDictionary fakeBoundParameters) => Enum.GetNames(typeof(Techniques));

        /// <summary>The names in the argument that follows -Techniques (however abbreviated) on the command line.</summary>
        protected override IEnumerable<string> Given(CommandAst commandAst, string parameterName)
        {
            var elements = commandAst.CommandElements;
            for (int i = 0; i < elements.Count - 1; i++)
            {
                if (elements[i] is CommandParameterAst named && named.Argument is null
                    && parameterName.StartsWith(named.ParameterName, StringComparison.OrdinalIgnoreCase))
                {
                    var given = elements[i + 1].FindAll(a => a is StringConstantExpressionAst, true)
                        .Select(a => ((StringConstantExpressionAst)a).Value).ToList();
                    // None means no technique: not offered beside one already listed.
                    if (given.Any(n => Enum.GetNames(typeof(Techniques)).Contains(n, StringComparer.OrdinalIgnoreCase)))
                        given.Add(nameof(Techniques.None));
                    return given;
                }
            }
            return Enumerable.Empty<string>();
        }
    }
}
