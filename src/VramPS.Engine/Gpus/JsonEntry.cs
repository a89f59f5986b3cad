using System;
using System.Collections.Generic;
using System.Linq;
using System.Numerics;
using Newtonsoft.Json.Linq;
using VramPS.Engine.Errors;

namespace VramPS.Engine.Gpus
{
    /// <summary>
    /// Typed, case-insensitive access to the fields of one JSON object in a data file. Every refusal is an
    /// <see cref="InvalidDataFileException"/> naming the file, the entry and the field.
    /// </summary>
    internal sealed class JsonEntry
    {
        private readonly JObject _object;

        private JsonEntry(string path, string label, JObject obj)
        {
            Path = path;
            Label = label;
            _object = obj;
        }

        public string Path { get; }
        /// <summary>How errors name the entry: "gpus[3]", or "gpus[3] (H100-SXM)" once its name is known.</summary>
        public string Label { get; private set; }

        /// <summary>The token as an entry whose fields are all among <paramref name="fields"/>, each given once.</summary>
        public static JsonEntry Open(string path, string label, JToken token, IReadOnlyCollection<string> fields)
        {
            if (!(token is JObject obj))
                throw new InvalidDataFileException(path, $"{label}: must be a JSON object, not {Describe(token)}.");
            var seen = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
            foreach (var property in obj.Properties())
            {
                if (!fields.Contains(property.Name, StringComparer.OrdinalIgnoreCase))
                {
                    throw new InvalidDataFileException(path,
                        $"{label}: unknown field '{property.Name}'. Known fields: {string.Join(", ", fields)}.");
                }
                if (!seen.Add(property.Name))
                {
                    throw new InvalidDataFileException(path, $"{label}: field '{property.Name}' is given more than once.");
                }
            }
            return new JsonEntry(path, label, obj);
        }

        public void NameAs(string name) => Label = $"{Label} ({name})";

        public InvalidDataFileException Fail(string field, string problem) =>
            new InvalidDataFileException(Path, $"{Label}: field '{field}' {problem}");

        public string RequiredString(string field) => AsString(field, Required(field));

        public string OptionalString(string field)
        {
            var token = Find(field);
            return token is null ? "" : AsString(field, token);
        }

        public string[] OptionalStringArray(string field)
        {
            var token = Find(field);
            if (token is null) return Array.Empty<string>();
            if (!(token is JArray array)) throw Fail(field, $"must be an array of strings, not {Describe(token)}.");
            var items = new string[array.Count];
            for (int i = 0; i < items.Length; i++)
            {
                if (array[i].Type != JTokenType.String)
                    throw Fail(field, $"item {i} must be a string, not {Describe(array[i])}.");
                items[i] = (string)array[i]!;
            }
            return items;
        }

        public JArray RequiredArray(string field)
        {
            var token = Required(field);
            if (!(token is JArray array)) throw Fail(field, $"must be an array, not {Describe(token)}.");
            return array;
        }

        public bool RequiredBoolean(string field)
        {
            var token = Required(field);
            if (token.Type != JTokenType.Boolean) throw Fail(field, $"must be true or false, not {Describe(token)}.");
            return (bool)token;
        }

        public long RequiredInteger(string field)
        {
            var token = Required(field);
            if (token.Type != JTokenType.Integer) throw Fail(field, $"must be a whole number, not {Describe(token)}.");
            if (!(((JValue)token).Value is long value)) throw Fail(field, $"is out of range ({token}).");
            return value;
        }

        public double RequiredNumber(string field) => AsNumber(field, Required(field));

        public double OptionalNumber(string field, double fallback)
        {
            var token = Find(field);
            return token is null ? fallback : AsNumber(field, token);
        }

        public static string Describe(JToken token) => token.Type switch
        {
            JTokenType.Object => "an object",
            JTokenType.Array => "an array",
            JTokenType.Null => "null",
            JTokenType.String => $"the string {Quote((string)token!)}",
            _ => $"{token.Type.ToString().ToLowerInvariant()} {Shorten(token.ToString())}",
        };

        private static string Quote(string text) => "\"" + Shorten(text) + "\"";

        /// <summary>Text to quote in a message: the first 40 characters of it.</summary>
        public static string Shorten(string text) => text.Length <= 40 ? text : text.Substring(0, 40) + "...";

        private JToken? Find(string field) => _object.GetValue(field, StringComparison.OrdinalIgnoreCase);

        private JToken Required(string field) => Find(field) ?? throw Fail(field, "is missing.");

        private string AsString(string field, JToken token)
        {
            if (token.Type != JTokenType.String) throw Fail(field, $"must be a string, not {Describe(token)}.");
            return (string)token!;
        }

        private double AsNumber(string field, JToken token)
        {
            if (token.Type != JTokenType.Integer && token.Type != JTokenType.Float)
                throw Fail(field, $"must be a number, not {Describe(token)}.");
            double value = ((JValue)token).Value is BigInteger big ? (double)big : (double)token;
            if (double.IsNaN(value) || double.IsInfinity(value)) throw Fail(field, $"must be a finite number ({token}).");
            return value;
        }
    }
}
