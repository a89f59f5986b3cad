using System.Linq;
using Newtonsoft.Json.Linq;
using VramPS.Engine.Errors;

namespace VramPS.Engine.Models
{
    /// <summary>
    /// Typed reads of a config.json object's fields. A JSON null counts as absent (transformers writes null for unset
    /// options); a present value of the wrong type, or a missing required field, is an InvalidDataFileException naming
    /// the file and the field.
    /// </summary>
    internal sealed class HfConfigFields
    {
        /// <summary>
        /// The largest size a field may give (2^28): far past any model's widths, depths or positions, and small enough
        /// that the reader's own sums and products of two sizes (4 x hidden_size, head dims added) stay within an int.
        /// </summary>
        public const int MaxInt = 1 << 28;

        private readonly JObject _json;
        private readonly string _path;
        private readonly string _prefix;

        public HfConfigFields(JObject json, string path, string prefix = "")
        {
            _json = json;
            _path = path;
            _prefix = prefix;
        }

        /// <summary>The nested object under a field (gemma3's text_config), or null when absent.</summary>
        public HfConfigFields? Nested(string name)
        {
            var token = Token(name);
            if (token is null) return null;
            if (!(token is JObject nested)) throw Wrong(name, "an object", token);
            return new HfConfigFields(nested, _path, _prefix + name + ".");
        }

        public int Int(string name) => OptionalInt(name) ?? throw Missing(name);

        /// <summary>The first of several names that is present (GPT-2's n_embd where Llama says hidden_size).</summary>
        public int Int(params string[] names) => names.Select(OptionalInt).FirstOrDefault(v => v.HasValue) ?? throw Missing(names[0]);

        public int? OptionalInt(string name)
        {
            var token = Token(name);
            if (token is null) return null;
            if (token.Type != JTokenType.Integer || !(((JValue)token).Value is long n) || n < -MaxInt || n > MaxInt)
                throw Wrong(name, $"an integer of at most {MaxInt}", token);
            return (int)n;
        }

        /// <summary>An optional count that, when present, must be at least 1 (num_key_value_heads: absent means one per head, 0 is no layout).</summary>
        public int? OptionalPositiveInt(string name)
        {
            int? n = OptionalInt(name);
            if (n < 1) throw Wrong(name, "a positive integer", Token(name)!);
            return n;
        }

        public bool? OptionalBool(string name)
        {
            var token = Token(name);
            if (token is null) return null;
            if (token.Type != JTokenType.Boolean) throw Wrong(name, "true or false", token);
            return (bool)token;
        }

        public double? OptionalDouble(string name)
        {
            var token = Token(name);
            if (token is null) return null;
            if (token.Type != JTokenType.Integer && token.Type != JTokenType.Float) throw Wrong(name, "a number", token);
            return (double)token;
        }

        public string? OptionalString(string name)
        {
            var token = Token(name);
            if (token is null) return null;
            if (token.Type != JTokenType.String) throw Wrong(name, "a string", token);
            return (string)token!;
        }

        public string String(string name) => OptionalString(name) ?? throw Missing(name);

        /// <summary>The length of an array field (Qwen MoE mlp_only_layers), 0 when absent.</summary>
        public int ArrayLength(string name)
        {
            var token = Token(name);
            if (token is null) return 0;
            if (!(token is JArray array)) throw Wrong(name, "an array", token);
            return array.Count;
        }

        /// <summary>The strings of an array field (layer_types), null when absent.</summary>
        public string[]? OptionalStrings(string name)
        {
            var token = Token(name);
            if (token is null) return null;
            if (!(token is JArray array) || array.Any(t => t.Type != JTokenType.String)) throw Wrong(name, "an array of strings", token);
            return array.Select(t => (string)t!).ToArray();
        }

        /// <summary>The integers of an array field (LFM2's full_attn_idxs), null when absent.</summary>
        public int[]? OptionalInts(string name)
        {
            var token = Token(name);
            if (token is null) return null;
            if (!(token is JArray array) || array.Any(t => t.Type != JTokenType.Integer || (long)t < 0 || (long)t > MaxInt))
                throw Wrong(name, $"an array of integers from 0 to {MaxInt}", token);
            return array.Select(t => (int)(long)t).ToArray();
        }

        public InvalidDataFileException Invalid(string name, string problem) =>
            new InvalidDataFileException(_path, $"field '{_prefix}{name}': {problem}");

        private JToken? Token(string name)
        {
            var token = _json[name];
            return token is null || token.Type == JTokenType.Null ? null : token;
        }

        private InvalidDataFileException Missing(string name) => Invalid(name, "is missing.");

        private InvalidDataFileException Wrong(string name, string expected, JToken token)
        {
            string text = token.ToString(Newtonsoft.Json.Formatting.None);
            if (text.Length > 40) text = text.Substring(0, 40) + "...";
            return Invalid(name, $"must be {expected}; got {text}.");
        }
    }
}
