namespace VramPS.Yaml
{
    /// <summary>
    /// A scalar as written: its text and whether it was plain (unquoted). Plain scalars are typed by the reader
    /// (null, true, 8, 1e-5); quoted ones are always text, as PyYAML's safe_load reads them.
    /// </summary>
    public sealed class YamlScalar
    {
        public YamlScalar(string text, bool plain, long line)
        {
            Text = text;
            Plain = plain;
            Line = line;
        }

        public string Text { get; }

        public bool Plain { get; }

        /// <summary>The 1-based line the scalar starts on, for messages.</summary>
        public long Line { get; }
    }
}
