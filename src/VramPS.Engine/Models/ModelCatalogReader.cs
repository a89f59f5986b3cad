using System;
using System.Collections.Generic;
using System.Linq;
using System.Reflection;
using Newtonsoft.Json.Linq;
using VramPS.Engine.Errors;

namespace VramPS.Engine.Models
{
    /// <summary>
    /// Reads a model catalog document ({"models": [ ... ]}, camelCase fields, enums by name) into validated
    /// architectures. Every problem is an InvalidDataFileException naming the file, the entry and the field.
    /// </summary>
    internal static class ModelCatalogReader
    {
        private static readonly string[] RequiredFields = { "id", "modelType", "hiddenSize", "numLayers", "numHeads", "vocabSize" };

        private static readonly Dictionary<string, PropertyInfo> Fields = typeof(ModelArchitecture).GetRuntimeProperties()
            .Where(p => p.SetMethod != null && p.SetMethod.IsAssembly)
            .ToDictionary(p => ArchitectureRules.JsonName(p.Name), StringComparer.Ordinal);

        public static IReadOnlyList<ModelArchitecture> Read(JToken document, string path)
        {
            if (!(document is JObject root))
                throw new InvalidDataFileException(path, "must hold a JSON object with a \"models\" array.");
            foreach (var property in root.Properties())
            {
                if (property.Name != "models" && property.Name != "description")
                    throw new InvalidDataFileException(path, $"field '{property.Name}' is not a catalog field (expected \"models\" and optionally \"description\").");
            }
            if (!(root["models"] is JArray entries))
                throw new InvalidDataFileException(path, "field 'models' is missing or is not an array.");

            var models = new List<ModelArchitecture>(entries.Count);
            var names = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
            for (int i = 0; i < entries.Count; i++)
            {
                var model = ReadEntry(entries[i], i, path);
                foreach (string name in new[] { model.Id }.Concat(model.Aliases))
                {
                    if (!names.Add(name))
                        throw new InvalidDataFileException(path, $"entry '{model.Id}': the name '{name}' is used by an earlier entry.");
                }
                models.Add(model);
            }
            return models;
        }

        private static ModelArchitecture ReadEntry(JToken token, int index, string path)
        {
            if (!(token is JObject entry))
                throw new InvalidDataFileException(path, $"entry #{index + 1} is not a JSON object.");
            string id = entry["id"] is JValue { Type: JTokenType.String } idValue ? (string)idValue! : $"#{index + 1}";
            foreach (string field in RequiredFields)
            {
                if (entry[field] is null)
                    throw new InvalidDataFileException(path, $"entry '{id}', field '{field}': is missing.");
            }

            var model = new ModelArchitecture();
            foreach (var property in entry.Properties())
            {
                if (!Fields.TryGetValue(property.Name, out var field))
                    throw new InvalidDataFileException(path, $"entry '{id}', field '{property.Name}': is not a catalog field.");
                string? problem = TryConvert(property.Value, field.PropertyType, out object? value);
                if (problem != null)
                    throw new InvalidDataFileException(path, $"entry '{id}', field '{property.Name}': {problem}");
                field.SetValue(model, value);
            }

            ArchitectureRules.ApplyDefaults(model);
            var issue = ArchitectureRules.FirstProblem(model);
            if (issue != null)
                throw new InvalidDataFileException(path, $"entry '{id}', field '{issue.Value.Field}': {issue.Value.Problem}");
            return model;
        }

        /// <summary>Converts a JSON value to a field's type without coercion; returns why not, or null.</summary>
        private static string? TryConvert(JToken token, Type type, out object? value)
        {
            value = null;
            if (type == typeof(string))
            {
                if (token.Type != JTokenType.String) return $"must be a string; got {Describe(token)}.";
                value = (string)token!;
                return null;
            }
            if (type == typeof(bool))
            {
                if (token.Type != JTokenType.Boolean) return $"must be true or false; got {Describe(token)}.";
                value = (bool)token;
                return null;
            }
            if (type == typeof(int) || type == typeof(long))
            {
                if (token.Type != JTokenType.Integer) return $"must be an integer; got {Describe(token)}.";
                var number = ((JValue)token).Value;
                if (!(number is long n) || (type == typeof(int) && (n < int.MinValue || n > int.MaxValue)))
                    return $"is out of range: {token}.";
                value = type == typeof(int) ? (object)(int)n : n;
                return null;
            }
            if (type == typeof(double))
            {
                if (token.Type != JTokenType.Integer && token.Type != JTokenType.Float) return $"must be a number; got {Describe(token)}.";
                value = (double)token;
                return null;
            }
            if (type.GetTypeInfo().IsEnum)
            {
                string[] allowed = Enum.GetNames(type);
                string? match = token.Type == JTokenType.String
                    ? allowed.FirstOrDefault(n => string.Equals(n, (string)token!, StringComparison.OrdinalIgnoreCase))
                    : null;
                if (match is null) return $"must be one of {string.Join(", ", allowed)}; got {Describe(token)}.";
                value = Enum.Parse(type, match);
                return null;
            }
            if (type == typeof(string[]))
            {
                if (!(token is JArray array) || array.Any(t => t.Type != JTokenType.String))
                    return $"must be an array of strings; got {Describe(token)}.";
                value = array.Select(t => (string)t!).ToArray();
                return null;
            }
            return $"has a type the catalog cannot hold ({type.Name}).";
        }

        private static string Describe(JToken token)
        {
            string text = token.ToString(Newtonsoft.Json.Formatting.None);
            if (text.Length > 40) text = text.Substring(0, 40) + "...";
            return $"{token.Type.ToString().ToLowerInvariant()} {text}";
        }
    }
}
