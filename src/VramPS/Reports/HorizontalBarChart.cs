using System;
using System.Collections.Generic;
using System.Linq;
using System.Text;

namespace VramPS.Reports
{
    /// <summary>
    /// One horizontal bar per row (a GPU, a cluster plan) against a shared axis, optionally inside an outline (the GPU's
    /// capacity), filled by whether the row works, with its figures written after it. Inline SVG sized for a printed page.
    /// </summary>
    internal sealed class HorizontalBarChart
    {
        private const double Width = 760, Left = 150, Right = 250, Top = 30, Bottom = 34, RowHeight = 24;
        private readonly string _kind;
        private readonly string _caption;
        private readonly string _unit;
        private readonly List<Row> _rows = new List<Row>();

        public HorizontalBarChart(string kind, string caption, string unit)
        {
            _kind = kind;
            _caption = caption;
            _unit = unit;
        }

        /// <summary>A row: its bar's value, an outline value (0 for none), whether it works, and the text after it.</summary>
        public void AddRow(string label, double value, double outline, bool good, string note) =>
            _rows.Add(new Row(label, value, outline, good, note));

        public string ToSvg()
        {
            double plotWidth = Width - Left - Right;
            double height = Top + Bottom + RowHeight * Math.Max(_rows.Count, 1);
            double largest = _rows.Count == 0 ? 0 : _rows.Max(r => Math.Max(r.Value, r.Outline));
            var axis = new ChartAxis(largest);
            double X(double value) => Left + axis.Scale(value, plotWidth);

            var svg = new StringBuilder();
            Svg.Open(svg, _kind, _caption, Width, height);

            double plotBottom = height - Bottom;
            foreach (double tick in axis.Ticks())
            {
                double x = X(tick);
                Svg.Line(svg, "grid", x, Top - 4, x, plotBottom);
                Svg.Text(svg, x, plotBottom + 15, "middle", "tick", Html.Coordinate(tick));
            }
            Svg.Text(svg, Left + plotWidth / 2, plotBottom + 30, "middle", "axis", _unit);

            for (int i = 0; i < _rows.Count; i++)
            {
                var row = _rows[i];
                double y = Top + RowHeight * i;
                Svg.Text(svg, Left - 8, y + RowHeight / 2 + 4, "end", "category", row.Label);
                if (row.Outline > 0)
                {
                    svg.Append("<rect class=\"outline\" x=\"").Append(Html.Coordinate(Left)).Append("\" y=\"").Append(Html.Coordinate(y + 3))
                        .Append("\" width=\"").Append(Html.Coordinate(X(row.Outline) - Left)).Append("\" height=\"").Append(Html.Coordinate(RowHeight - 6)).Append("\"/>");
                }
                svg.Append("<rect class=\"bar ").Append(row.Good ? "good" : "bad").Append("\" x=\"").Append(Html.Coordinate(Left)).Append("\" y=\"")
                    .Append(Html.Coordinate(y + 6)).Append("\" width=\"").Append(Html.Coordinate(Math.Max(X(row.Value) - Left, 1))).Append("\" height=\"")
                    .Append(Html.Coordinate(RowHeight - 12)).Append("\"><title>").Append(Html.Text(row.Label + ": " + row.Note)).Append("</title></rect>");
                Svg.Text(svg, Left + plotWidth + 8, y + RowHeight / 2 + 4, "start", row.Good ? "note" : "note bad", row.Note);
            }
            Svg.Line(svg, "axis", Left, Top - 4, Left, plotBottom);
            return svg.Append("</svg>").ToString();
        }

        private sealed class Row
        {
            public Row(string label, double value, double outline, bool good, string note)
            {
                Label = label;
                Value = value;
                Outline = outline;
                Good = good;
                Note = note;
            }

            public string Label { get; }
            public double Value { get; }
            public double Outline { get; }
            public bool Good { get; }
            public string Note { get; }
        }
    }
}
