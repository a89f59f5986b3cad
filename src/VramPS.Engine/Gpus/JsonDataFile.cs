using System.IO;
using Newtonsoft.Json;
using Newtonsoft.Json.Linq;
using VramPS.Engine.Errors;

namespace VramPS.Engine.Gpus
{
    /// <summary>Parses a JSON data file into a token tree, refusing anything malformed, truncated or too deep.</summary>
    internal static class JsonDataFile
    {
        /// <summary>Deeper than any data file VramPS reads needs; deeper input is refused before it is built.</summary>
        public const int MaxDepth = 16;

        private static readonly JsonLoadSettings LoadSettings = new JsonLoadSettings
        {
            CommentHandling = CommentHandling.Ignore,
            DuplicatePropertyNameHandling = DuplicatePropertyNameHandling.Error,
            LineInfoHandling = LineInfoHandling.Load,
        };

        public static JToken Parse(string path, string text)
        {
            try
            {
                using (var reader = new JsonTextReader(new StringReader(text))
                {
                    MaxDepth = MaxDepth,
                    DateParseHandling = DateParseHandling.None,
                    FloatParseHandling = FloatParseHandling.Double,
                })
                {
                    var root = JToken.ReadFrom(reader, LoadSettings);
                    // Reading on to the end makes the reader refuse anything but comments after the value.
                    while (reader.Read())
                    {
                    }
                    return root;
                }
            }
            catch (JsonException e)
            {
                throw new InvalidDataFileException(path, "is not valid JSON: " + e.Message, e);
            }
        }
    }
}
