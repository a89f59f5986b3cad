using System;
using System.Collections.Generic;
using System.Linq;
using VramPS.Engine.Errors;
using VramPS.Engine.Estimation;

namespace VramPS.Engine.Frameworks
{
    /// <summary>
    /// The releases a profile covers: the baseline its behaviours were read at (what applies when the workload names no
    /// release), the earliest release it covers, the versions the framework published, and the behaviours that changed
    /// between releases. A named release (-FrameworkVersion) applies each change that covers its date to the profile.
    /// </summary>
    public sealed class ReleaseHistory
    {
        public const string Parameter = nameof(Workload.FrameworkVersion);

        internal ReleaseHistory(ProfileRelease baseline, ProfileRelease earliest, IReadOnlyList<ProfileRelease> published, IReadOnlyList<DatedChange> changes)
        {
            Baseline = baseline;
            Earliest = earliest;
            Published = published;
            Changes = changes;
        }

        /// <summary>The release whose behaviours the profile states, taken when the workload names none.</summary>
        public ProfileRelease Baseline { get; }
        /// <summary>The earliest release the profile covers: before it, its behaviours were not read.</summary>
        public ProfileRelease Earliest { get; }
        /// <summary>The versions the framework published (its git tags), oldest first.</summary>
        public IReadOnlyList<ProfileRelease> Published { get; }
        /// <summary>The behaviours that changed between releases, oldest first.</summary>
        public IReadOnlyList<DatedChange> Changes { get; }

        /// <summary>
        /// The profile as of the named release, its assumption recorded; with none, the baseline (the profile as it
        /// stands). Refuses a version the framework did not publish, a date before the earliest covered release and a date in the future.
        /// </summary>
        internal static FrameworkProfile AsOf(FrameworkProfile profile, FrameworkVersion? given, List<string> assumptions)
        {
            if (profile.Releases is null)
            {
                if (given is null) return profile;
                throw new InvalidWorkloadException(Parameter,
                    $"-{Parameter} {given}: VramPS's {profile.Name} profile lists no releases (it documents {profile.Versions}), so it cannot take one. Leave -{Parameter} out, or give it for {FrameworkProfiles.NamesWhere(p => p.Releases != null)}.");
            }
            return profile.Releases.Apply(profile, given, assumptions);
        }

        private FrameworkProfile Apply(FrameworkProfile profile, FrameworkVersion? given, List<string> assumptions)
        {
            if (given is null)
            {
                assumptions.Add($"{profile.Name} as of {Baseline}, the release its profile was read at (no -{Parameter})");
                return profile;
            }
            var release = ReleaseOf(profile, given);
            var applied = Changes.Where(c => c.Covers(release.Date)).ToArray();
            assumptions.Add($"{profile.Name} as of {release} (-{Parameter} {given})"
                + string.Concat(applied.Select(c => $"; {c.Change} ({c.Span}: {c.Source})")));
            return applied.Aggregate(profile, (p, c) => c.Apply(p));
        }

        /// <summary>The earliest change that makes <paramref name="holds"/> true of <paramref name="profile"/> (the profile as of the release asked, which fails it); null where none does.</summary>
        internal DatedChange? FirstChangeWhere(FrameworkProfile profile, Func<FrameworkProfile, bool> holds) =>
            Changes.Where(c => holds(c.Apply(profile))).OrderBy(c => c.From.Date).FirstOrDefault();

        /// <summary>The changes a later release than the baseline (or than the change that lets the baseline run it, RunsFrom) brings to this recipe's mechanisms.</summary>
        internal DatedChange[] LaterChanges(ResolvedRecipe r) => Changes.Where(c => c.From.Date > (r.RunsFrom?.From.Date.AddDays(-1) ?? Baseline.Date) && c.Moves(r)).ToArray();

        /// <summary>
        /// One warning for each later change (<see cref="LaterChanges"/>) that moves the estimate's Total: the workload
        /// estimated as of the change's first commit. A change to a term the peak does not hold (the logits, where the
        /// optimizer step binds) is no warning.
        /// </summary>
        internal IEnumerable<string> LaterWarnings(IEnumerable<DatedChange> later, string profile, Workload w, long total) => later
            .Where(c => MemoryEstimator.Estimate(AsOf(w, c)).Total != total)
            .Select(c => $"no -{Parameter}: the estimate takes {profile} as of {Baseline}; {c.Span} {c.Change}. Give -{Parameter} for the release the run used.");

        private static Workload AsOf(Workload w, DatedChange c)
        {
            var later = w.Clone();
            later.FrameworkVersion = FrameworkVersion.Parse(ProfileRelease.Day(c.From.Date), Parameter);
            return later;
        }

        public override string ToString() =>
            $"baseline {Baseline}, covered from {Earliest}; " + string.Join("; ", Changes.Select(c => c.Span));

        private ProfileRelease ReleaseOf(FrameworkProfile profile, FrameworkVersion given)
        {
            string allowed = $"Use {FrameworkVersion.Forms}: {profile.Name}'s published releases are {string.Join(", ", Published.Select(p => p.Name))}, and its profile covers checkouts from {ProfileRelease.Day(Earliest.Date)} on.";
            if (given.Date is DateTime date)
            {
                if (date < Earliest.Date)
                    throw new InvalidWorkloadException(Parameter,
                        $"-{Parameter} {given} is before {Earliest}, the earliest {profile.Name} release its profile covers. {allowed}");
                // A day's grace: a checkout made east of UTC can be dated tomorrow in UTC.
                if (date > DateTime.UtcNow.Date.AddDays(1))
                    throw new InvalidWorkloadException(Parameter,
                        $"-{Parameter} {given} is in the future: no checkout has that date. {allowed}");
                return ProfileRelease.Checkout(date);
            }
            return Published.FirstOrDefault(p => Equals(FrameworkVersion.Parse(p.Name, Parameter), given))
                ?? throw new InvalidWorkloadException(Parameter, $"-{Parameter} {given} is no release {profile.Name} published. {allowed}");
        }
    }
}
