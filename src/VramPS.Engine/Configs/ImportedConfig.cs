using System.Collections.Generic;

namespace VramPS.Engine.Configs
{
    /// <summary>An imported run and the warnings its import raised (settings to give, keys ignored).</summary>
    public sealed class ImportedConfig
    {
        internal ImportedConfig(TrainingConfigRun run, IReadOnlyList<string> warnings)
        {
            Run = run;
            Warnings = warnings;
        }

        public TrainingConfigRun Run { get; }

        public IReadOnlyList<string> Warnings { get; }
    }
}
