using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Security.Cryptography;
using Xunit;

namespace VramPS.Engine.Tests.Fuzz
{
    /// <summary>
    /// Runs inputs through a fuzz target and collects findings: an exception other than the target's clean refusals, a
    /// result that breaks its checks, or an input that takes more than two seconds. Each finding's input is saved under
    /// <see cref="FuzzSettings.FindingsFolder"/>, named by its hash, ready to move into Corpus/.
    /// </summary>
    internal static class FuzzHarness
    {
        /// <summary>No input is large: one that takes this long has found a loop that grows out of proportion.</summary>
        private static readonly TimeSpan Slow = TimeSpan.FromSeconds(2);

        /// <summary>Why the input is a finding, or null when it gave a result or a clean refusal.</summary>
        public static string? Check(FuzzTarget target, byte[] input)
        {
            var clock = Stopwatch.StartNew();
            try
            {
                target.Run(input);
            }
            catch (Exception e) when (target.CleanErrors.Any(t => t.IsInstanceOfType(e)))
            {
                if (e.Message.Length == 0) return "a refusal without a message";
            }
            catch (Exception e)
            {
                return e.ToString();
            }
            return clock.Elapsed > Slow ? $"took {clock.Elapsed.TotalSeconds:0.0} s" : null;
        }

        /// <summary>Mutates the target's seeds <paramref name="iterations"/> times and fails listing the first findings.</summary>
        public static void Fuzz(FuzzTarget target, int iterations, int seed)
        {
            var rng = new Random(seed ^ StableHash(target.Name));
            var mutator = new Mutator(rng);
            var findings = new List<string>();
            int count = 0;
            foreach (var seedInput in target.Seeds)
            {
                Record(target, seedInput, findings);
                count++;
            }
            for (; count < iterations; count++) Record(target, target.Draw?.Invoke(rng) ?? mutator.Bytes(target.Seeds), findings);
            Assert.True(findings.Count == 0,
                $"{target.Name}: {findings.Count} of {count} inputs (seed {seed}) failed; inputs saved in {FuzzSettings.FindingsFolder}:\n"
                + string.Join("\n\n", findings.Take(5)));
        }

        private static void Record(FuzzTarget target, byte[] input, List<string> findings)
        {
            string? problem = Check(target, input);
            if (problem is null) return;
            string folder = Path.Combine(FuzzSettings.FindingsFolder, target.Name);
            Directory.CreateDirectory(folder);
            string file = Path.Combine(folder, Hash(input));
            File.WriteAllBytes(file, input);
            findings.Add($"{file}: {problem}");
        }

        public static string Hash(byte[] input)
        {
            using (var sha = SHA256.Create())
            {
                return string.Concat(sha.ComputeHash(input).Take(8).Select(b => b.ToString("x2")));
            }
        }

        /// <summary>FNV-1a: string.GetHashCode differs from run to run, and each target needs its own fixed stream.</summary>
        private static int StableHash(string text)
        {
            unchecked
            {
                uint hash = 2166136261;
                foreach (char c in text) hash = (hash ^ c) * 16777619;
                return (int)hash;
            }
        }
    }
}
