using System.Collections.Generic;
using System.Linq;
using VramPS.Engine.Configs.Readers;
using VramPS.Engine.Errors;

namespace VramPS.Engine.Configs
{
    /// <summary>
    /// Reads one training config into the run it describes: parses the file safely (<see cref="ConfigText"/>), picks
    /// the reader by -Format or by the keys the file has, lets it map every key (and read the files it references),
    /// then reports the keys nobody knew as one warning. A key selecting what VramPS cannot estimate refuses the run
    /// (<see cref="UnsupportedSettingException"/>).
    /// </summary>
    public static class TrainingConfigImporter
    {
        /// <summary>Every format's reader; a new format is one reader here.</summary>
        public static IReadOnlyList<ConfigReader> Readers { get; } = new ConfigReader[]
        {
            new AxolotlReader(), new LlamaFactoryReader(), new TrlReader(), new TorchtuneReader(), new LitgptReader(),
            new DeepSpeedReader(), new AccelerateReader(), new MsSwiftReader(),
        };

        public static ImportedConfig Import(string path, ConfigFormat? format, string currentDirectory)
        {
            var root = ConfigText.Read(path);
            var reader = format is ConfigFormat f ? Readers.First(r => r.Format == f) : Recognise(path, root);
            var doc = new ConfigDocument(path, root);
            var run = new RunBuilder { Trainer = reader.Trainer };
            var context = new ConfigContext(currentDirectory);
            reader.Read(doc, run, context);
            if (run.Unsupported.Count > 0) throw new UnsupportedSettingException(path, run.Unsupported);
            var warnings = run.Warnings.ToList();
            var unknown = new[] { doc }.Concat(context.Referenced)
                .SelectMany(d => d.UnknownKeys().Select(k => d == doc ? k : $"{d.Name}: {k}"))
                .ToArray();
            if (unknown.Length > 0)
                warnings.Add($"{doc.Name}: {reader.Trainer} does not read {(unknown.Length == 1 ? "this key" : "these keys")}, or VramPS does not know what {(unknown.Length == 1 ? "it changes" : "they change")}, so the estimate ignores {(unknown.Length == 1 ? "it" : "them")}: {string.Join(", ", unknown)}.");
            return new ImportedConfig(run.Build(path, reader.Format), warnings);
        }

        /// <summary>The reader whose signature keys the file has most of; a tie or no match asks for -Format.</summary>
        private static ConfigReader Recognise(string path, ConfigNode root)
        {
            var scored = Readers.Select(r => new { Reader = r, Score = r.Recognise(root) }).OrderByDescending(s => s.Score).ToArray();
            if (scored[0].Score == 0)
                throw new InvalidDataFileException(path, $"is not a training config VramPS recognises; give -Format ({string.Join(", ", Readers.Select(r => r.Format))}).");
            if (scored[1].Score == scored[0].Score)
                throw new InvalidDataFileException(path, $"reads as {scored[0].Reader.Format} or {scored[1].Reader.Format} equally; give -Format.");
            return scored[0].Reader;
        }
    }
}
