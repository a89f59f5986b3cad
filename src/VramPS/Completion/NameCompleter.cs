using System;
using System.Collections;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using System.Management.Automation.Language;

namespace VramPS.Completion
{
    /// <summary>
    /// Completes a parameter from a list of names: every name that contains the typed word (or matches it as a wildcard
    /// pattern), case-insensitively, those that start with it first, as the catalogs' Search finds names.
    /// </summary>
    public abstract class NameCompleter : IArgumentCompleter
    {
        private static readonly char[] NeedQuotes = { ' ', '\t', '\'', '"', '$', '@', '(', ')', '{', '}', ';', ',', '&', '|', '<', '>', '#', '`' };

        /// <summary>The names to offer, in the order to offer them, given the parameters already on the command line.</summary>
        protected abstract IEnumerable<string> Names(IDictionary fakeBoundParameters);

        public IEnumerable<CompletionResult> CompleteArgument(string commandName, string parameterName, string wordToComplete,
            CommandAst commandAst, IDictionary fakeBoundParameters)
        {
            string word = (wordToComplete ?? "").Trim('\'', '"');
            const WildcardOptions options = WildcardOptions.IgnoreCase | WildcardOptions.CultureInvariant;
            var prefix = WildcardPattern.Get(word + "*", options);
            var anywhere = WildcardPattern.Get("*" + word + "*", options);
            var names = Names(fakeBoundParameters).Distinct(StringComparer.OrdinalIgnoreCase).ToArray();
            return names.Where(prefix.IsMatch).Concat(names.Where(n => !prefix.IsMatch(n) && anywhere.IsMatch(n)))
                .Select(n => new CompletionResult(Quote(n), n, CompletionResultType.ParameterValue, n));
        }

        private static string Quote(string name) =>
            name.IndexOfAny(NeedQuotes) < 0 ? name : "'" + name.Replace("'", "''") + "'";
    }
}
