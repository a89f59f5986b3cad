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

        /// <summary>Names this parameter already holds on the command line, not offered again: none unless a list parameter says.</summary>
        protected virtual IEnumerable<string> Given(CommandAst commandAst, string parameterName) => Enumerable.Empty<string>();

        public IEnumerable<CompletionResult> CompleteArgument(string commandName, string parameterName, string wordToComplete,
            CommandAst commandAst, IDictionary fakeBoundParameters)
        {
            string word = (wordToComplete ?? "").Trim('\'', '"');
            const WildcardOptions options = WildcardOptions.IgnoreCase | WildcardOptions.CultureInvariant;
            var prefix = WildcardPattern.Get(word + "*", options);
            var anywhere = WildcardPattern.Get("*" + word + "*", options);
            var given = new HashSet<string>(Given(commandAst, parameterName), StringComparer.OrdinalIgnoreCase);
            var names = Names(fakeBoundParameters).Where(n => !given.Contains(n)).Distinct(StringComparer.OrdinalIgnoreCase).ToArray();
            return names.Where(prefix.IsMatch).Concat(names.Where(n => !prefix.IsMatch(n) && anywhere.IsMatch(n)))
                .Select(n => new CompletionResult(Quote(n), n, CompletionResultType.ParameterValue, n));
        }

        private static string Quote(string name) =>
            name.IndexOfAny(NeedQuotes) < 0 ? name : "'" + name.Replace("'", "''") + "'";
    }
}
