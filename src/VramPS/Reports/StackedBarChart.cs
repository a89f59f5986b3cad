using System;
using System.Collections.Generic;
using System.Linq;
using System.Text;
using VramPS.Formatting;

namespace VramPS.Reports
{
    /// <summary>
    /// Vertical bars of bytes stacked by <see cref="MemoryTerm"/> (a step's phases, methods, the models of a stage), with
    /// each bar's total above it, one bar marked (the peak) and horizontal lines across (a GPU's capacity, the headroom
    /// kept under it, the estimate's Total). Inline SVG sized for a printed page.
    /// </summary>
    internal sealed class StackedBarChart
    {
        private const double Width = 760, Height = 380;
        private const double Left = 64, Right = 200, Top = 44, LineHeight = 14;
        private readonly string _kind;
        private readonly string _caption;
        private readonly List<Bar> _bars = new List<Bar>();
        private readonly List<Line> _lines = new List<Line>();

        public StackedBarChart(string kind, string caption)
        {
            _kind = kind;
            _caption = caption;
        }

        /// <summary>A bar; <paramref name="terms"/> in the order of <see cref="MemoryTerm.All"/>.</summary>
        public void AddBar(string label, long[] terms, bool marked) => _bars.Add(new Bar(label, terms, marked));

        public void AddLine(string label, long bytes, LineKind kind) => _lines.Add(new Line(label, bytes, kind));

        public string ToSvg()
        {
            double plotWidth = Width - Left - Right;
            double band = _bars.Count == 0 ? plotWidth : plotWidth / _bars.Count;
            var labels = _bars.Select(b => Wrap(b.Label, band)).ToList();
            double bottom = 24 + LineHeight * labels.Select(l => l.Count).DefaultIfEmpty(1).Max();
            double plotHeight = Height - Top - bottom;
            double largest = Math.Max(_bars.Count == 0 ? 0 : _bars.Max(b => b.Total), _lines.Count == 0 ? 0 : _lines.Max(l => l.Bytes));
            var axis = new ChartAxis(ChartAxis.Gib((long)largest));
            double Y(double gib) => Top + plotHeight - axis.Scale(gib, plotHeight);

            var svg = new StringBuilder();
            Svg.Open(svg, _kind, _caption, Width, Height);
            Legend(svg);

            foreach (double tick in axis.Ticks())
            {
                double y = Y(tick);
                Svg.Line(svg, "grid", Left, y, Left + plotWidth, y);
                Svg.Text(svg, Left - 6, y + 4, "end", "tick", Html.Coordinate(tick));
            }
            Svg.Text(svg, 14, Top + plotHeight / 2, "middle", "axis", "GiB per GPU", rotate: true);
            Lines(svg, Y, plotWidth);

            double barWidth = Math.Min(band * 0.62, 96);
            for (int i = 0; i < _bars.Count; i++)
            {
                var bar = _bars[i];
                double x = Left + band * i + (band - barWidth) / 2;
                double stacked = 0;
                for (int t = 0; t < MemoryTerm.All.Count; t++)
                {
                    double gib = ChartAxis.Gib(bar.Terms[t]);
                    if (gib <= 0) continue;
                    double y0 = Y(stacked), y1 = Y(stacked + gib);
                    svg.Append("<rect class=\"segment\" data-term=\"").Append(Html.Text(MemoryTerm.All[t].Name)).Append("\" x=\"").Append(Html.Coordinate(x))
                        .Append("\" y=\"").Append(Html.Coordinate(y1)).Append("\" width=\"").Append(Html.Coordinate(barWidth))
                        .Append("\" height=\"").Append(Html.Coordinate(Math.Max(y0 - y1, 0.5))).Append("\" fill=\"").Append(MemoryTerm.All[t].Color).Append("\">")
                        .Append("<title>").Append(Html.Text($"{bar.Label}: {MemoryTerm.All[t].Name} {Bytes.Format(bar.Terms[t])}")).Append("</title></rect>");
                    stacked += gib;
                }
                double top = Y(stacked);
                if (bar.Marked)
                {
                    svg.Append("<rect class=\"peak\" x=\"").Append(Html.Coordinate(x - 3)).Append("\" y=\"").Append(Html.Coordinate(top - 3))
                        .Append("\" width=\"").Append(Html.Coordinate(barWidth + 6)).Append("\" height=\"").Append(Html.Coordinate(Y(0) - top + 3)).Append("\"/>");
                    Svg.Text(svg, x + barWidth / 2, top - 24, "middle", "peak-label", "peak");
                }
                Svg.Text(svg, x + barWidth / 2, top - (bar.Marked ? 9 : 6), "middle", "total", Bytes.Format((long)bar.Total));
                for (int line = 0; line < labels[i].Count; line++)
                {
                    Svg.Text(svg, Left + band * i + band / 2, Y(0) + 16 + line * LineHeight, "middle", bar.Marked ? "category marked" : "category", labels[i][line]);
                }
            }
            Svg.Line(svg, "axis", Left, Y(0), Left + plotWidth, Y(0));
            return svg.Append("</svg>").ToString();
        }

        private static void Legend(StringBuilder svg)
        {
            double x = Left;
            foreach (var term in MemoryTerm.All)
            {
                svg.Append("<rect class=\"swatch\" x=\"").Append(Html.Coordinate(x)).Append("\" y=\"12\" width=\"12\" height=\"12\" fill=\"").Append(term.Color).Append("\"/>");
                Svg.Text(svg, x + 17, 22, "start", "legend", term.Name);
                x += 30 + term.Name.Length * 7;
            }
        }

        private void Lines(StringBuilder svg, Func<double, double> y, double plotWidth)
        {
            double lastLabel = double.NegativeInfinity;
            foreach (var line in _lines.OrderByDescending(l => l.Bytes))
            {
                double at = y(ChartAxis.Gib(line.Bytes));
                Svg.Line(svg, "ref " + line.Kind.ToString().ToLowerInvariant(), Left, at, Left + plotWidth + 4, at);
                double labelY = Math.Max(at + 4, lastLabel + 15);
                lastLabel = labelY;
                Svg.Text(svg, Left + plotWidth + 8, labelY, "start", "ref-label " + line.Kind.ToString().ToLowerInvariant(), $"{line.Label} {Bytes.Format(line.Bytes)}");
            }
        }

        /// <summary>A bar's label in lines that fit its band, at most three.</summary>
        private static List<string> Wrap(string label, double band)
        {
            int perLine = Math.Max(6, (int)(band / 7.4));
            var lines = new List<string>();
            var current = new StringBuilder();
            foreach (string word in label.Split(' '))
            {
                if (current.Length > 0 && current.Length + 1 + word.Length > perLine)
                {
                    lines.Add(current.ToString());
                    current.Clear();
                }
                if (current.Length > 0) current.Append(' ');
                current.Append(word);
            }
            lines.Add(current.ToString());
            return lines.Take(3).ToList();
        }

        private sealed class Bar
        {
            public Bar(string label, long[] terms, bool marked)
            {
                Label = label;
                Terms = terms;
                Marked = marked;
                Total = terms.Sum(t => (double)t);
            }

            public string Label { get; }
            public long[] Terms { get; }
            public bool Marked { get; }
            public double Total { get; }
        }

        private sealed class Line
        {
            public Line(string label, long bytes, LineKind kind)
            {
                Label = label;
                Bytes = bytes;
                Kind = kind;
            }

            public string Label { get; }
            public long Bytes { get; }
            public LineKind Kind { get; }
        }
    }
}
