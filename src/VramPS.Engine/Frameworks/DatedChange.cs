using System;
using VramPS.Engine.Estimation;

namespace VramPS.Engine.Frameworks
{
    /// <summary>
    /// A behaviour a framework had from one commit until another (or until today): the releases it covers, what it
    /// does in words, the source it was read from, the profile's behaviours it sets, and whether it moves a given
    /// recipe's estimate (so an estimate of another release can say what it would change).
    /// </summary>
    public sealed class DatedChange
    {
        internal DatedChange(ProfileRelease from, ProfileRelease? until, string change, string source,
            Func<FrameworkProfile, FrameworkProfile> apply, Func<ResolvedRecipe, bool> moves)
        {
            From = from;
            Until = until;
            Change = change;
            Source = source;
            Apply = apply;
            Moves = moves;
        }

        /// <summary>The commit that brought the behaviour in; a checkout of its date has it.</summary>
        public ProfileRelease From { get; }
        /// <summary>The commit that took it out (a checkout of its date no longer has it); null: still so.</summary>
        public ProfileRelease? Until { get; }
        /// <summary>What the framework does in these releases, as Assumptions and warnings say it.</summary>
        public string Change { get; }
        public string Source { get; }
        internal Func<FrameworkProfile, FrameworkProfile> Apply { get; }
        internal Func<ResolvedRecipe, bool> Moves { get; }

        /// <summary>Whether a checkout of this date has the behaviour.</summary>
        public bool Covers(DateTime date) => date >= From.Date && (Until is null || date < Until.Date);

        /// <summary>The releases it covers, in words.</summary>
        public string Span => Until is null ? $"from {From} on" : $"from {From} until {Until}";

        public override string ToString() => $"{Span}: {Change}";
    }
}
