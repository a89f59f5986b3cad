using System;
using System.Collections.Generic;
using Newtonsoft.Json.Linq;
using VramPS.Engine.Errors;
using VramPS.Engine.Files;
using VramPS.Yaml;

namespace VramPS.Engine.Configs
{
    /// <summary>
    /// Reads a config file into <see cref="ConfigNode"/>s under <see cref="DataFile"/>'s rules (a local regular file,
    /// at most 16 MiB, strict UTF-8). A .json file is parsed by <see cref="DataJson"/>, anything else as YAML by
    /// VramPS.Yaml (safe: no tag constructs anything, aliases are counted, see YamlTree). The top level must be a mapping.
    /// </summary>
    internal static class ConfigText
    {
        /// <summary>Far above any trainer config (a few hundred values); a YAML bomb expands past it at once.</summary>
        public const int MaxValues = 100_000;

        /// <summary>Trainer configs nest three or four levels deep; deeper input is refused before it is built.</summary>
        public const int MaxDepth = 32;

        public static ConfigNode Read(string path)
        {
            string text = DataFile.ReadText(path);
            bool json = path.EndsWith(".json", StringComparison.OrdinalIgnoreCase);
            ConfigNode root = json ? FromJson(DataJson.Parse(path, text), "") : FromYaml(path, text);
            if (!root.IsMap) throw new InvalidDataFileException(path, "is not a config file: its top level is not a mapping of keys to values.");
            return root;
        }

        private static ConfigNode FromYaml(string path, string text)
        {
            object? tree;
            try
            {
                tree = YamlTree.Parse(text, MaxValues, MaxDepth);
            }
            catch (FormatException e)
            {
                throw new InvalidDataFileException(path, "is not valid YAML: " + e.Message, e);
            }
            return FromYamlValue(tree, "");
        }

        private static ConfigNode FromYamlValue(object? value, string path)
        {
            switch (value)
            {
                case List<KeyValuePair<string, object?>> map:
                    var entries = new List<KeyValuePair<string, ConfigNode>>(map.Count);
                    foreach (var pair in map) entries.Add(new KeyValuePair<string, ConfigNode>(pair.Key, FromYamlValue(pair.Value, Join(path, pair.Key))));
                    return ConfigNode.Map(path, entries);
                case List<object?> list:
                    var items = new List<ConfigNode>(list.Count);
                    for (int i = 0; i < list.Count; i++) items.Add(FromYamlValue(list[i], $"{path}[{i}]"));
                    return ConfigNode.List(path, items);
                case YamlScalar scalar:
                    return ConfigNode.Scalar(path, scalar.Text, scalar.Plain);
                default:
                    return ConfigNode.Scalar(path, "", true);
            }
        }

        private static ConfigNode FromJson(JToken token, string path)
        {
            switch (token)
            {
                case JObject obj:
                    var entries = new List<KeyValuePair<string, ConfigNode>>();
                    foreach (var property in obj.Properties()) entries.Add(new KeyValuePair<string, ConfigNode>(property.Name, FromJson(property.Value, Join(path, property.Name))));
                    return ConfigNode.Map(path, entries);
                case JArray array:
                    var items = new List<ConfigNode>();
                    for (int i = 0; i < array.Count; i++) items.Add(FromJson(array[i], $"{path}[{i}]"));
                    return ConfigNode.List(path, items);
                case JValue value when value.Type == JTokenType.String:
                    return ConfigNode.Scalar(path, (string)value!, false);
                case JValue value when value.Type == JTokenType.Null:
                    return ConfigNode.Scalar(path, "null", true);
                case JValue value when value.Type == JTokenType.Boolean:
                    return ConfigNode.Scalar(path, (bool)value ? "true" : "false", true);
                default:
                    return ConfigNode.Scalar(path, Convert.ToString(((JValue)token).Value, System.Globalization.CultureInfo.InvariantCulture) ?? "", true);
            }
        }

        public static string Join(string path, string key) => path.Length == 0 ? key : path + "." + key;
    }
}
