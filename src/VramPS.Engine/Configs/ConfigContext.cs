using System;
using System.Collections.Generic;
using System.IO;
using VramPS.Engine.Configs.Readers;
using VramPS.Engine.Errors;

namespace VramPS.Engine.Configs
{
    /// <summary>
    /// What a reader needs beyond its own file: the current directory (relative paths resolve from it first, then
    /// from the config's folder, as the trainers open them), the model resolution, and the files a config references
    /// (a DeepSpeed JSON), each read once into the same run.
    /// </summary>
    public sealed class ConfigContext
    {
        private readonly List<ConfigDocument> _referenced = new List<ConfigDocument>();

        internal ConfigContext(string currentDirectory)
        {
            CurrentDirectory = currentDirectory;
        }

        public string CurrentDirectory { get; }

        /// <summary>Files read because a config named them, for the unknown-key check.</summary>
        internal IReadOnlyList<ConfigDocument> Referenced => _referenced;

        /// <summary>
        /// A path a config names, as the trainer opens it: an absolute path as is; a relative one from the current
        /// directory, else from the config's folder. Null when neither exists.
        /// </summary>
        public string? LocalPath(string path, ConfigDocument from)
        {
            if (Path.IsPathRooted(path)) return File.Exists(path) || Directory.Exists(path) ? path : null;
            foreach (string folder in new[] { CurrentDirectory, Path.GetDirectoryName(from.Path) ?? "" })
            {
                string candidate = Path.GetFullPath(Path.Combine(folder, path));
                if (File.Exists(candidate) || Directory.Exists(candidate)) return candidate;
            }
            return null;
        }

        /// <summary>
        /// The DeepSpeed config a key names (a path, or an inline mapping as accelerate and the HF Trainer allow), read
        /// into the run: its "auto" values keep what the referencing config set.
        /// </summary>
        public void ReadDeepSpeed(ConfigDocument from, string key, RunBuilder run)
        {
            var node = from.Node(key);
            if (node == null) return;
            ConfigDocument ds;
            if (node.IsMap)
            {
                ds = new ConfigDocument(from.Path, node);
                _referenced.Add(ds);
            }
            else
            {
                string name = from.Text(key)!;
                string path = LocalPath(name, from)
                    ?? throw new InvalidDataFileException(from.Path, $"the key '{key}' names the DeepSpeed config '{name}', which is neither under the current directory ({CurrentDirectory}) nor beside the config.");
                ds = new ConfigDocument(path, ConfigText.Read(path));
                _referenced.Add(ds);
            }
            DeepSpeedReader.ReadInto(ds, run, referenced: true);
        }
    }
}
