using System.IO;
using Newtonsoft.Json;
using Newtonsoft.Json.Linq;
using VramPS.Engine.Errors;

namespace VramPS.Engine.Files
{
    /// <summary>
    /// Parses the text of a data file as one JSON document into a token tree: comments are allowed, anything malformed,
    /// truncated, followed by more content, with a property given twice or nested deeper than <see cref="MaxDepth"/> is
    /// an <see cref="InvalidDataFileException"/> naming the file and, from the parser, the path of the offending field.
    /// </summary>
    internal static class DataJson
    {
        /// <summary>Deeper than any data file VramPS reads needs; deeper input is refused before it is built.</summary>
        public const int MaxDepth = 16;

        private static readonly JsonLoadSettings LoadSettings = new JsonLoadSettings
        {
            CommentHandling = CommentHandling.Ignore,
            DuplicatePropertyNameHandling = DuplicatePropertyNameHandling.Error,
            LineInfoHandling = LineInfoHandling.Load,
        };

        /// <summary>The file read under <see cref="DataFile"/>'s rules and parsed.</summary>
        public static JToken Read(string? path) => Parse(path ?? "", DataFile.ReadText(path));

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
