using System;
using System.IO;

namespace VramPS.Engine.Configs
{
    /// <summary>
    /// The model a config names, resolved as the trainer resolves it (transformers' from_pretrained looks for a local
    /// folder first): a local folder with a config.json (or the config.json itself) is read from disk, anything else is
    /// a Hugging Face hub id for the catalog; a path that exists nowhere is an error naming the key. A pre-quantized
    /// upload (unsloth/...-bnb-4bit) loads 4-bit NF4 weights whatever the config says, as transformers reads the
    /// quantization_config stored in the repository; GPTQ, AWQ and AQLM uploads are refused (VramPS models bitsandbytes only).
    /// Vision-language models are refused: VramPS models the text decoder only.
    /// </summary>
    internal static class ModelReference
    {
        public static void Resolve(string name, ConfigDocument doc, string key, RunBuilder run, ConfigContext context)
        {
            string trimmed = name.Trim();
            string? local = context.LocalPath(trimmed, doc);
            if (local == null && LooksLikePath(trimmed))
                throw new Errors.InvalidDataFileException(doc.Path, $"the key '{key}' names the local model folder '{trimmed}', which is neither under the current directory ({context.CurrentDirectory}) nor beside the config.");
            if (local != null)
            {
                string config = Directory.Exists(local) ? Path.Combine(local, "config.json") : local;
                if (!File.Exists(config))
                    throw new Errors.InvalidDataFileException(doc.Path, $"the key '{key}' names the local folder '{local}', which has no config.json.");
                run.Derived(nameof(TrainingConfigRun.ConfigPath), config, $"{doc.Origin(key)} (a local folder: its config.json)");
                return;
            }
            run.Set(nameof(TrainingConfigRun.Model), trimmed, doc, key);
            Quantized(trimmed, doc, key, run);
            if (IsVisionLanguage(trimmed)) run.Refuse(key, trimmed, ConfigVocabulary.VisionLanguage);
        }

        /// <summary>A hub id is org/name; a value with a backslash, a leading ./ or / or ~, or a drive is a path.</summary>
        private static bool LooksLikePath(string name) =>
            name.StartsWith(".", StringComparison.Ordinal) || name.StartsWith("/", StringComparison.Ordinal) || name.StartsWith("~", StringComparison.Ordinal)
            || name.IndexOf('\\') >= 0 || (name.Length > 1 && name[1] == ':') || name.Split('/').Length > 2;

        private static void Quantized(string name, ConfigDocument doc, string key, RunBuilder run)
        {
            if (EndsWith(name, "-bnb-4bit") || EndsWith(name, "-4bit"))
                run.Derived(nameof(TrainingConfigRun.Quantization), Quantization.NF4, $"{doc.Origin(key)} (a bitsandbytes 4-bit upload: NF4 weights)");
            else if (EndsWith(name, "-bnb-8bit") || EndsWith(name, "-8bit"))
                run.Derived(nameof(TrainingConfigRun.Quantization), Quantization.Int8, $"{doc.Origin(key)} (a bitsandbytes 8-bit upload)");
            else if (name.IndexOf("-GPTQ", StringComparison.OrdinalIgnoreCase) >= 0 || EndsWith(name, "-AWQ") || name.IndexOf("-AQLM", StringComparison.OrdinalIgnoreCase) >= 0)
                run.Refuse(key, name, "GPTQ, AWQ or AQLM quantized weights");
        }

        private static bool IsVisionLanguage(string name)
        {
            string tail = name.Substring(name.LastIndexOf('/') + 1);
            return tail.IndexOf("-VL", StringComparison.OrdinalIgnoreCase) >= 0 || tail.IndexOf("llava", StringComparison.OrdinalIgnoreCase) >= 0
                   || tail.IndexOf("-Vision", StringComparison.OrdinalIgnoreCase) >= 0 || tail.IndexOf("paligemma", StringComparison.OrdinalIgnoreCase) >= 0;
        }

        private static bool EndsWith(string name, string suffix) => name.EndsWith(suffix, StringComparison.OrdinalIgnoreCase);
    }
}
