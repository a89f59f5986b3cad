using System;
using System.Collections.Generic;
using System.Linq;
using VramPS.Engine.Errors;
using VramPS.Engine.Frameworks;
using VramPS.Engine.Parsing;

namespace VramPS.Engine
{
    /// <summary>Framework names as users and the validation CSV spell them (HF-Trainer, LLaMA-Factory ...), from the profiles.</summary>
    public static class FrameworkNames
    {
        /// <summary>Every accepted spelling, in catalog order.</summary>
        public static IReadOnlyList<string> All { get; } = FrameworkProfiles.All.Select(p => p.Name).ToArray();

        /// <summary>The names, each followed by its synonyms in parentheses: "..., NeMo (Megatron-Bridge)".</summary>
        private static string Allowed { get; } = string.Join(", ", FrameworkProfiles.All.Select(p =>
            p.Synonyms.Count == 0 ? p.Name : $"{p.Name} ({string.Join(", ", p.Synonyms)})"));

        public static string ToName(Framework framework) => FrameworkProfiles.Of(framework).Name;

        /// <summary>
        /// Reads -Framework's text by the remark grammar (<see cref="Remarks"/>): a name, or NAME+LOOP where LOOP is the
        /// framework whose training loop NAME's profile cites it runs under (Unsloth+HF-Trainer); each remark and the
        /// reading of a NAME+LOOP come back as notes for the estimate's Assumptions.
        /// </summary>
        public static FrameworkName Read(string value)
        {
            var text = Remarks.Split(value, "Framework");
            var notes = text.Notes.Select(n => Remarks.Assumption("Framework", n)).ToList();
            string[] parts = text.Value.Split('+');
            if (parts.Length == 1 && Find(text.Value) is Framework named) return new FrameworkName(named, notes);
            var loops = FrameworkProfiles.All.Where(p => p.RunsUnder.Value != null)
                .Select(p => $"{p.Name}+{ToName(p.RunsUnder.Value!.Value)}").ToArray();
            if (parts.Length == 2)
            {
                var framework = Find(parts[0].Trim());
                var loop = Find(parts[1].Trim());
                if (framework != null && loop != null && FrameworkProfiles.Of(framework.Value).RunsUnder.Value == loop)
                {
                    var profile = FrameworkProfiles.Of(framework.Value);
                    notes.Add($"-Framework {profile.Name}+{ToName(loop.Value)} is {profile.Name}: {profile.RunsUnder.Source}");
                    return new FrameworkName(framework.Value, notes);
                }
            }
            throw new InvalidWorkloadException("Framework",
                $"-Framework '{value}' is not known. Allowed: {Allowed}; a framework with the loop it runs under: {string.Join(", ", loops)}; each may carry a remark in parentheses.");
        }

        /// <summary>Parses a name case-insensitively; the enum identifier (HfTrainer) is accepted too.</summary>
        public static Framework Parse(string value) => Find(value)
            ?? throw new InvalidWorkloadException("Framework", $"-Framework '{value}' is not known. Allowed: {Allowed}.");

        private static Framework? Find(string value)
        {
            foreach (var p in FrameworkProfiles.All)
            {
                if (string.Equals(p.Name, value, StringComparison.OrdinalIgnoreCase)
                    || string.Equals(p.Framework.ToString(), value, StringComparison.OrdinalIgnoreCase)
                    || p.Synonyms.Any(s => string.Equals(s, value, StringComparison.OrdinalIgnoreCase)))
                {
                    return p.Framework;
                }
            }
            return null;
        }
    }

    /// <summary>A framework read from -Framework's text, and what the text said beyond its name (for Assumptions).</summary>
    public sealed class FrameworkName
    {
        public FrameworkName(Framework framework, IReadOnlyList<string> notes)
        {
            Framework = framework;
            Notes = notes;
        }

        public Framework Framework { get; }
        public IReadOnlyList<string> Notes { get; }
    }
}
