using System.Collections.Generic;

namespace VramPS.Engine.Gpus
{
    /// <summary>One CSV record and the file line it starts on.</summary>
    internal sealed class CsvRecord
    {
        public CsvRecord(int line, IReadOnlyList<string> fields)
        {
            Line = line;
            Fields = fields;
        }

        public int Line { get; }
        public IReadOnlyList<string> Fields { get; }
    }
}
