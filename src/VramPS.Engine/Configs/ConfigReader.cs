namespace VramPS.Engine.Configs
{
    /// <summary>
    /// One config format: how to recognise it and how its trainer reads it. Each format is one subclass in Readers/;
    /// adding a format (torchtitan TOML, Megatron arguments) is one more file and one line in
    /// <see cref="TrainingConfigImporter"/>'s list.
    /// </summary>
    public abstract class ConfigReader
    {
        public abstract ConfigFormat Format { get; }

        /// <summary>The trainer, as provenance names its defaults.</summary>
        public abstract string Trainer { get; }

        /// <summary>How many of the format's signature keys the top level has; 0 when it is not this format.</summary>
        public abstract int Recognise(ConfigNode root);

        /// <summary>Maps every key the trainer reads into the run, with the trainer's defaults for what is absent.</summary>
        public abstract void Read(ConfigDocument doc, RunBuilder run, ConfigContext context);

        /// <summary>The number of the given keys present at the top level.</summary>
        protected static int CountKeys(ConfigNode root, params string[] keys)
        {
            int n = 0;
            foreach (string key in keys)
            {
                if (root[key] != null) n++;
            }
            return n;
        }
    }
}
