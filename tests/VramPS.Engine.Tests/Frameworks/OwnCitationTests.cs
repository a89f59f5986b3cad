using System.Collections.Generic;
using System.Linq;
using VramPS.Engine.Frameworks;
using VramPS.Engine.Frameworks.Profiles;
using Xunit;

namespace VramPS.Engine.Tests.Frameworks
{
    /// <summary>
    /// torchtune and torchtitan derive their profiles `with { }` from another's, so a behaviour they do not restate keeps
    /// that profile's citation: Get-VramFramework would then show a Trainer, peft or TRL source (or, for torchtitan, a
    /// torchtune one) as what the framework was read from. Every behaviour of theirs must cite its own source, or say in
    /// its own words why it does not apply.
    /// </summary>
    public class OwnCitationTests
    {
        /// <summary>
        /// Behaviours whose citation may equal the base's because the same code decides them in both, each with why.
        /// None so far: every torchtune and torchtitan behaviour is read from its own source or marked not applicable.
        /// </summary>
        private static readonly IReadOnlyDictionary<string, string> SharedCode = new Dictionary<string, string>();

        private static Dictionary<string, string> Sources(FrameworkProfile p) => p.Behaviors.ToDictionary(b => b.Name, b => b.Source);

        public static TheoryData<string, string> Derivations => new TheoryData<string, string>
        {
            { "torchtune", "HF-Trainer" },
            { "torchtitan", "HF-Trainer" },
            { "torchtitan", "torchtune" },
        };

        [Theory]
        [MemberData(nameof(Derivations))]
        public void No_behaviour_keeps_the_citation_of_the_profile_it_derives_from(string framework, string baseName)
        {
            var own = Sources(FrameworkProfiles.All.Single(p => p.Name == framework));
            var inherited = Sources(FrameworkProfiles.All.Single(p => p.Name == baseName));
            var same = own.Where(b => inherited[b.Key] == b.Value && !SharedCode.ContainsKey(b.Key)).Select(b => $"{b.Key}: {b.Value}").ToArray();
            Assert.True(same.Length == 0, $"{framework} cites {baseName}'s source for: {string.Join("; ", same)}");
        }

        [Fact]
        public void The_check_sees_every_behaviour_and_would_catch_an_inherited_one()
        {
            // A profile derived without restating anything shares every citation with its base: the comparison above
            // must report all of them, or it could not fail.
            var copy = HfTrainer.Profile with { Name = "copy" };
            var hf = Sources(HfTrainer.Profile);
            Assert.Equal(hf.Count, Sources(copy).Count(b => hf[b.Key] == b.Value));
            Assert.Equal(typeof(FrameworkProfile).GetProperties().Count(p => p.PropertyType.IsGenericType && p.PropertyType.GetGenericTypeDefinition() == typeof(Cited<>)), hf.Count);
        }
    }
}
