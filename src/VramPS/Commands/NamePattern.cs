using System.Management.Automation;
using VramPS.Engine.Errors;

namespace VramPS.Commands
{
    /// <summary>A name filter as a PowerShell wildcard pattern, checked before it is used.</summary>
    internal static class NamePattern
    {
        /// <summary>
        /// The pattern for <paramref name="value"/>, ignoring case; an unclosed bracket, which WildcardPattern only
        /// reports with an untyped WildcardPatternException when it first matches, is an InvalidWorkloadException naming
        /// the parameter.
        /// </summary>
        public static WildcardPattern Get(string value, string parameter)
        {
            var pattern = WildcardPattern.Get(value, WildcardOptions.IgnoreCase | WildcardOptions.CultureInvariant);
            try
            {
                pattern.IsMatch(string.Empty);
            }
            catch (WildcardPatternException e)
            {
                throw new InvalidWorkloadException(parameter,
                    $"-{parameter} '{value}' is not a valid wildcard pattern ({e.Message}). Use * and ?, put a set in [ ], or escape [ and ] with a backtick.");
            }
            return pattern;
        }
    }
}
