using System.Collections.Generic;
using System.Text;

namespace VramPS.Formatting
{
    /// <summary>
    /// Text for a wrapped table column. PowerShell wraps a cell at its width, mid-word ("(-Prec", "ision"); breaking
    /// the lines at spaces first keeps each word whole (one longer than the column is still cut by PowerShell).
    /// </summary>
    public static class Words
    {
        /// <summary>The text in lines of at most <paramref name="width"/> characters, broken at spaces; empty for null.</summary>
        public static string Wrap(string? text, int width)
        {
            if (string.IsNullOrEmpty(text)) return "";
            var lines = new List<string>();
            var line = new StringBuilder();
            foreach (string word in text!.Split(' '))
            {
                if (line.Length > 0 && line.Length + 1 + word.Length > width)
                {
                    lines.Add(line.ToString());
                    line.Clear();
                }
                if (line.Length > 0) line.Append(' ');
                line.Append(word);
            }
            lines.Add(line.ToString());
            return string.Join("\n", lines);
        }
    }
}
