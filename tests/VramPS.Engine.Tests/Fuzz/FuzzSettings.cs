using System;
using System.Globalization;
using System.IO;

namespace VramPS.Engine.Tests.Fuzz
{
    /// <summary>
    /// How much the fuzz tests try. CI runs a small fixed budget; a long local run sets VRAMPS_FUZZ_ITERATIONS (inputs
    /// per fuzz target) and VRAMPS_FUZZ_SEED (a different seed finds different inputs). Inputs that fail are written
    /// under VRAMPS_FUZZ_FINDINGS (default: a vramps-fuzz-findings folder in the temp folder) for the corpus.
    /// </summary>
    internal static class FuzzSettings
    {
        public const int DefaultIterations = 1500;
        public const int DefaultSeed = 20261125;

        public static int Iterations => Read("VRAMPS_FUZZ_ITERATIONS", DefaultIterations);

        public static int Seed => Read("VRAMPS_FUZZ_SEED", DefaultSeed);

        public static string FindingsFolder =>
            Environment.GetEnvironmentVariable("VRAMPS_FUZZ_FINDINGS") is { Length: > 0 } folder
                ? folder
                : Path.Combine(Path.GetTempPath(), "vramps-fuzz-findings");

        private static int Read(string name, int fallback)
        {
            string? text = Environment.GetEnvironmentVariable(name);
            if (string.IsNullOrWhiteSpace(text)) return fallback;
            if (!int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out int value) || value < 1)
                throw new InvalidOperationException($"{name} must be a positive integer; got '{text}'.");
            return value;
        }
    }
}
