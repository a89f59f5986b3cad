using VramPS.Engine.Errors;
using VramPS.Engine.Files;
using Xunit;

namespace VramPS.Engine.Tests.Files
{
    /// <summary>Parsing a data file's text as exactly one JSON document.</summary>
    public sealed class DataJsonTests
    {
        private const string Path = "/data/file.json";

        private static string Nested(int depth) => new string('[', depth) + new string(']', depth);

        [Fact]
        public void Sixteen_levels_parse_and_seventeen_are_refused_naming_the_field()
        {
            Assert.NotNull(DataJson.Parse(Path, Nested(DataJson.MaxDepth)));
            var e = Assert.Throws<InvalidDataFileException>(() => DataJson.Parse(Path, "{\"a\": " + Nested(DataJson.MaxDepth) + "}"));
            Assert.StartsWith(Path + ": is not valid JSON", e.Message);
            Assert.Contains("MaxDepth", e.Message);
            Assert.Contains("'a", e.Message);
        }

        [Theory]
        [InlineData("{\"a\": [1, 2", "Path 'a[1]'")]
        [InlineData("{\"a\": 1} {\"b\": 2}", "Additional text")]
        [InlineData("{\"a\": 1, \"a\": 2}", "'a'")]
        [InlineData("", "")]
        [InlineData("{\"a\": tru}", "Path 'a'")]
        public void Truncated_trailing_duplicated_or_broken_json_is_refused(string text, string fragment)
        {
            var e = Assert.Throws<InvalidDataFileException>(() => DataJson.Parse(Path, text));
            Assert.Equal(Path, e.Path);
            Assert.Contains(fragment, e.Message);
        }

        [Fact]
        public void Comments_around_the_document_are_allowed()
        {
            Assert.Equal(1, (int)DataJson.Parse(Path, "// head\n{\"a\": 1} /* tail */")["a"]!);
        }
    }
}
