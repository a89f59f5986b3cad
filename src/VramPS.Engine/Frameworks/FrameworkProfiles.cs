using System;
using System.Collections.Generic;
using System.Linq;

namespace VramPS.Engine.Frameworks
{
    /// <summary>The framework profiles VramPS knows, in the order names are listed; one per <see cref="Engine.Framework"/>.</summary>
    public static class FrameworkProfiles
    {
        public static IReadOnlyList<FrameworkProfile> All { get; } = Array.AsReadOnly(new[]
        {
            Profiles.HfTrainer.Profile,
            Profiles.Torchtune.Profile,
            Profiles.Litgpt.Profile,
            Profiles.Peft.Profile,
            Profiles.Axolotl.Profile,
            Profiles.LlamaFactory.Profile,
            Profiles.FsdpQlora.Profile,
            Profiles.FmsAcceleration.Profile,
            Profiles.Unsloth.Profile,
            Profiles.MegatronLM.Profile,
            Profiles.MegatronSwift.Profile,
            Profiles.DeepSpeed.Profile,
            Profiles.Torchtitan.Profile,
            Profiles.MsSwift.Profile,
            Profiles.DeepSpeedChat.Profile,
            Profiles.Verl.Profile,
            Profiles.OpenRlhf.Profile,
            Profiles.NeMo.Profile,
        });

        private static readonly FrameworkProfile[] ByFramework = All.OrderBy(p => (int)p.Framework).ToArray();

        /// <summary>The profile of a framework: an array index, cheap enough for every estimate.</summary>
        public static FrameworkProfile Of(Framework framework) =>
            (uint)framework < (uint)ByFramework.Length && ByFramework[(int)framework].Framework == framework
                ? ByFramework[(int)framework]
                : throw new ArgumentOutOfRangeException(nameof(framework), framework, "Not a framework VramPS knows.");

        /// <summary>The names of the profiles whose behaviour holds, as a sentence lists them ("A, B or C").</summary>
        internal static string NamesWhere(Func<FrameworkProfile, bool> holds)
        {
            var names = All.Where(holds).Select(p => p.Name).ToArray();
            return names.Length == 1 ? names[0] : string.Join(", ", names, 0, names.Length - 1) + " or " + names[names.Length - 1];
        }
    }
}
