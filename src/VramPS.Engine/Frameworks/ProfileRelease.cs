using System;
using System.Globalization;

namespace VramPS.Engine.Frameworks
{
    /// <summary>One release of a framework a profile names: its tag or commit, the commit and the commit's date.</summary>
    public sealed class ProfileRelease
    {
        public ProfileRelease(string name, string commit, string date)
        {
            Name = name;
            Commit = commit;
            Date = DateTime.ParseExact(date, "yyyy-MM-dd", CultureInfo.InvariantCulture);
        }

        /// <summary>The published version (v0.1.0), or the commit where the framework published none; empty for a checkout of a date.</summary>
        public string Name { get; }
        public string Commit { get; }
        /// <summary>The commit's date (committer date), which a checkout of that day has.</summary>
        public DateTime Date { get; }

        /// <summary>A checkout of a date, which names no commit.</summary>
        internal static ProfileRelease Checkout(DateTime date) => new ProfileRelease("", "", Day(date));

        internal static string Day(DateTime date) => date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

        public override string ToString() =>
            Commit.Length == 0 ? $"a checkout of {Day(Date)}" : Name == Commit ? $"{Commit} ({Day(Date)})" : $"{Name} ({Commit}, {Day(Date)})";
    }
}
