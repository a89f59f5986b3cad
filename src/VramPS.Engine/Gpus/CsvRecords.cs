using System.Collections.Generic;
using System.Text;
using VramPS.Engine.Errors;

namespace VramPS.Engine.Gpus
{
    /// <summary>
    /// Splits comma-separated text into records (RFC 4180: fields may be double-quoted, "" is a quote inside a quoted
    /// field, quoted fields may span lines). Records that are blank are skipped.
    /// </summary>
    internal static class CsvRecords
    {
        public static List<CsvRecord> Parse(string path, string text)
        {
            var records = new List<CsvRecord>();
            var fields = new List<string>();
            var field = new StringBuilder();
            int line = 1, recordLine = 1, i = 0;
            bool quoted = false, fieldWasQuoted = false;
            while (i < text.Length)
            {
                char c = text[i++];
                if (quoted)
                {
                    if (c == '"' && i < text.Length && text[i] == '"')
                    {
                        field.Append('"');
                        i++;
                    }
                    else if (c == '"')
                    {
                        quoted = false;
                    }
                    else
                    {
                        if (c == '\n') line++;
                        field.Append(c);
                    }
                }
                else if (c == '"')
                {
                    if (field.Length > 0 || fieldWasQuoted)
                        throw new InvalidDataFileException(path, $"line {line}: a quote may only start a field.");
                    quoted = fieldWasQuoted = true;
                }
                else if (c == ',')
                {
                    fields.Add(field.ToString());
                    field.Clear();
                    fieldWasQuoted = false;
                }
                else if (c == '\r' || c == '\n')
                {
                    if (c == '\r' && i < text.Length && text[i] == '\n') i++;
                    fields.Add(field.ToString());
                    Flush(records, recordLine, fields);
                    field.Clear();
                    fieldWasQuoted = false;
                    recordLine = ++line;
                }
                else
                {
                    if (fieldWasQuoted)
                        throw new InvalidDataFileException(path, $"line {line}: text follows a closing quote.");
                    field.Append(c);
                }
            }
            if (quoted) throw new InvalidDataFileException(path, $"line {recordLine}: a quoted field is not closed.");
            fields.Add(field.ToString());
            Flush(records, recordLine, fields);
            return records;
        }

        private static void Flush(List<CsvRecord> records, int line, List<string> fields)
        {
            bool blank = fields.Count == 1 && fields[0].Trim().Length == 0;
            if (!blank) records.Add(new CsvRecord(line, fields.ToArray()));
            fields.Clear();
        }
    }
}
