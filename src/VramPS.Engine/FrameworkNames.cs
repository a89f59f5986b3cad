using System;
using System.Collections.Generic;
using System.Linq;
using VramPS.Engine.Errors;
using VramPS.Engine.Frameworks;

namespace VramPS.Engine
{
    /// <summary>Framework names as users and the validation CSV spell them (HF-Trainer, LLaMA-Factory ...), from the profiles.</summary>
    public static class FrameworkNames
    {
        /// <summary>Every accepted spelling, in catalog order.</summary>
        public static IReadOnlyList<string> All { get; } = FrameworkProfiles.All.Select(p => p.Name).ToArray();

        public static string ToName(Framework framework) => FrameworkProfiles.Of(framework).Name;

        /// <summary>Parses a name case-insensitively; the enum identifier (HfTrainer) is accepted too.</summary>
        public static Framework Parse(string value)
        {
            foreach (var p in FrameworkProfiles.All)
            {
                if (string.Equals(p.Name, value, StringComparison.OrdinalIgnoreCase)
                    || string.Equals(p.Framework.ToString(), value, StringComparison.OrdinalIgnoreCase))
                {
                    return p.Framework;
                }
            }
            throw new InvalidWorkloadException("Framework",
                $"-Framework '{value}' is not known. Allowed: {string.Join(", ", All)}.");
        }
    }
}
