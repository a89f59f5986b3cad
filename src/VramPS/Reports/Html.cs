using System.Globalization;
using System.Net;
using System.Text;

namespace VramPS.Reports
{
    /// <summary>Escaping and number text for the report: every string from an object passes through here.</summary>
    internal static class Html
    {
        /// <summary>Text for an element's content or a quoted attribute: &lt; &gt; &amp; " ' escaped.</summary>
        public static string Text(string? value) => WebUtility.HtmlEncode(value ?? "");

        /// <summary>A number for an SVG coordinate: invariant, at most two decimals.</summary>
        public static string Coordinate(double value) => value.ToString("0.##", CultureInfo.InvariantCulture);

        /// <summary>A table: header cells, then rows of cells already escaped; <paramref name="numeric"/> marks right-aligned columns.</summary>
        public static void Table(StringBuilder html, string cssClass, string[] header, bool[] numeric, params Row[] rows)
        {
            html.Append("<table class=\"").Append(cssClass).Append("\"><thead><tr>");
            for (int i = 0; i < header.Length; i++) Cell(html, "th", header[i], numeric[i]);
            html.Append("</tr></thead><tbody>");
            foreach (var row in rows)
            {
                html.Append(row.Marked ? "<tr class=\"marked\">" : "<tr>");
                for (int i = 0; i < row.Cells.Length; i++) Cell(html, "td", row.Cells[i], numeric[i]);
                html.Append("</tr>");
            }
            html.Append("</tbody></table>");
        }

        private static void Cell(StringBuilder html, string tag, string text, bool numeric)
        {
            html.Append('<').Append(tag).Append(numeric ? " class=\"num\">" : ">").Append(Text(text)).Append("</").Append(tag).Append('>');
        }

        /// <summary>One table row of plain text cells; a marked row is emphasised (the peak phase).</summary>
        internal sealed class Row
        {
            public Row(bool marked, params string[] cells)
            {
                Marked = marked;
                Cells = cells;
            }

            public bool Marked { get; }
            public string[] Cells { get; }
        }
    }
}
