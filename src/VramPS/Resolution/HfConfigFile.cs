using System;
using System.IO;
using System.Linq;
using Newtonsoft.Json;
using Newtonsoft.Json.Linq;
using VramPS.Engine.Errors;
using VramPS.Engine.Models;

namespace VramPS.Resolution
{
    /// <summary>
    /// Reads a Hugging Face config.json (or the folder holding one) for the Llama-family decoders. Stands in for the
    /// engine's HfConfigReader.Read, which covers every catalog architecture.
    /// </summary>
    internal static class HfConfigFile
    {
        private const long MaxBytes = 16L << 20;
        private static readonly string[] KnownTypes = { "llama", "mistral", "qwen2", "qwen3" };

        public static ModelArchitecture Read(string path)
        {
            string file = Directory.Exists(path) ? Path.Combine(path, "config.json") : path;
            if (!File.Exists(file)) throw new InvalidDataFileException(file, "no such file.");
            if (new FileInfo(file).Length > MaxBytes) throw new InvalidDataFileException(file, "larger than 16 MiB: not a model config.");
            JObject json;
            try
            {
                json = JObject.Parse(File.ReadAllText(file));
            }
            catch (JsonException e)
            {
                throw new InvalidDataFileException(file, "not valid JSON: " + e.Message, e);
            }

            string type = (string?)json["model_type"] ?? "";
            if (!KnownTypes.Contains(type))
                throw new InvalidDataFileException(file,
                    $"model_type '{type}' is not supported. Known: {string.Join(", ", KnownTypes)}.");

            int hidden = Required(json, file, "hidden_size");
            int heads = Required(json, file, "num_attention_heads");
            return new ModelArchitecture
            {
                Id = (string?)json["_name_or_path"] is { Length: > 0 } name ? name : Path.GetFileName(Path.GetDirectoryName(Path.GetFullPath(file))) ?? type,
                ModelType = type,
                HiddenSize = hidden,
                IntermediateSize = Required(json, file, "intermediate_size"),
                NumLayers = Required(json, file, "num_hidden_layers"),
                NumHeads = heads,
                NumKvHeads = Optional(json, file, "num_key_value_heads") ?? heads,
                HeadDim = Optional(json, file, "head_dim") ?? hidden / heads,
                VocabSize = Required(json, file, "vocab_size"),
                TiedEmbeddings = (bool?)json["tie_word_embeddings"] ?? false,
                QkvBias = (bool?)json["attention_bias"] ?? type == "qwen2",
                MlpBias = (bool?)json["mlp_bias"] ?? false,
                QkNorm = type == "qwen3",
                SlidingWindow = Optional(json, file, "sliding_window") ?? 0,
                Source = file,
            };
        }

        private static int Required(JObject json, string file, string key) =>
            Optional(json, file, key) ?? throw new InvalidDataFileException(file, $"'{key}' is missing.");

        private static int? Optional(JObject json, string file, string key)
        {
            var token = json[key];
            if (token is null || token.Type == JTokenType.Null) return null;
            if (token.Type != JTokenType.Integer || (long)token < 1 || (long)token > int.MaxValue)
                throw new InvalidDataFileException(file, $"'{key}' must be a positive integer; got {token.ToString(Newtonsoft.Json.Formatting.None)}.");
            return (int)token;
        }
    }
}
