using System.Collections;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using System.Management.Automation.Language;

namespace VramPS.Completion
{
    /// <summary>Completes a parameter from a list of names: every name the typed word matches as a wildcard prefix, case-insensitively.</summary>
    public abstract class NameCompleter : IArgumentCompleter
    {
        private static readonly char[] NeedQuotes = { ' ', '\t', '\'', '"', '$', '@', '(', ')', '{', '}', ';', ',', '&', '|', '<', '>', '#', '`' };

        /// <summary>The names to offer, in the order to offer them.</summary>
        protected abstract IEnumerable<string> Names { get; }

        public IEnumerable<CompletionResult> CompleteArgument(string commandName, string parameterName, string wordToComplete,
            CommandAst commandAst, IDictionary fakeBoundParameters)
        {
            string word = (wordToComplete ?? "").Trim('\'', '"');
            var pattern = WildcardPattern.Get(word + "*", WildcardOptions.IgnoreCase | WildcardOptions.CultureInvariant);
            return Names.Where(n => pattern.IsMatch(n))
                .Select(n => new CompletionResult(Quote(n), n, CompletionResultType.ParameterValue, n));
        }

        private static string Quote(string name) =>
            name.IndexOfAny(NeedQuotes) < 0 ? name : "'" + name.Replace("'", "''") + "'";
    }
}
