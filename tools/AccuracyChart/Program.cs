using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using ScottPlot;

// Usage: AccuracyChart <report.csv> <chart.png>
// report.csv columns (Export-Csv of Measure-Accuracy.ps1 -PassThru): Id, Framework, Method, MeasuredGiB, EstimatedGiB, RuleGiB.
if (args.Length != 2)
{
    Console.Error.WriteLine("usage: AccuracyChart <report.csv> <chart.png>");
    return 2;
}

var lines = File.ReadAllLines(args[0]).Where(l => l.Length > 0).ToList();
var header = Cells(lines[0]);
int Col(string name) => Array.FindIndex(header, h => h == name) is int i && i >= 0 ? i : throw new InvalidDataException($"{args[0]}: no column {name}");
int framework = Col("Framework"), measured = Col("MeasuredGiB"), estimated = Col("EstimatedGiB"), thumb = Col("RuleGiB");
var rows = lines.Skip(1).Select(Cells).ToList();
double Num(string[] r, int i) => double.Parse(r[i], CultureInfo.InvariantCulture);

var plot = new Plot();
plot.Title("Estimated vs measured peak GPU memory (dev set)");
plot.XLabel("measured GiB");
plot.YLabel("estimated GiB");
double max = rows.Max(r => Math.Max(Num(r, measured), Math.Max(Num(r, estimated), Num(r, thumb)))) * 1.05;

var thumbs = plot.Add.ScatterPoints(rows.Select(r => Num(r, measured)).ToArray(), rows.Select(r => Num(r, thumb)).ToArray());
thumbs.LegendText = "rules of thumb (16 / 3.25 / 1.1 GB per B)";
thumbs.MarkerShape = MarkerShape.OpenCircle;
thumbs.Color = Colors.Gray;

var palette = new ScottPlot.Palettes.Category10();
int k = 0;
foreach (var group in rows.GroupBy(r => r[framework]).OrderBy(g => g.Key))
{
    var points = plot.Add.ScatterPoints(group.Select(r => Num(r, measured)).ToArray(), group.Select(r => Num(r, estimated)).ToArray());
    points.LegendText = "VramPS, " + group.Key;
    points.MarkerShape = MarkerShape.FilledCircle;
    points.Color = palette.GetColor(k++);
}

var ideal = plot.Add.Line(0, 0, max, max);
ideal.LineColor = Colors.Black;
ideal.LinePattern = LinePattern.Dashed;
ideal.LegendText = "estimate = measured";
plot.Axes.SetLimits(0, max, 0, max);
plot.ShowLegend(Alignment.UpperLeft);
plot.SavePng(args[1], 900, 800);
Console.WriteLine($"{rows.Count} rows drawn to {args[1]}");
return 0;

static string[] Cells(string line)
{
    var cells = new List<string>();
    var cell = new System.Text.StringBuilder();
    bool quoted = false;
    foreach (char ch in line)
    {
        if (ch == '"') quoted = !quoted;
        else if (ch == ',' && !quoted) { cells.Add(cell.ToString()); cell.Clear(); }
        else cell.Append(ch);
    }
    cells.Add(cell.ToString());
    return cells.ToArray();
}
