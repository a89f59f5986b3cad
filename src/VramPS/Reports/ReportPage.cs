using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Text;
using VramPS.Engine.Estimation;
using VramPS.Engine.Planning;

namespace VramPS.Reports
{
    /// <summary>
    /// The report as one self-contained HTML page: inline CSS and SVG only (nothing fetched, no script), laid out for a
    /// screen and for A4 print. Estimates get a section each; consecutive comparison rows, GPU fits and cluster plans of
    /// one run are drawn together.
    /// </summary>
    internal static class ReportPage
    {
        public static string Build(IReadOnlyList<object> items, string title, double headroomPercent, string version, AccuracySummary? accuracy, DateTime generatedUtc)
        {
            var html = new StringBuilder();
            html.Append("<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\">")
                .Append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">")
                .Append("<meta name=\"generator\" content=\"VramPS ").Append(Html.Text(version)).Append("\">")
                .Append("<title>").Append(Html.Text(title)).Append("</title><style>").Append(Style).Append("</style></head><body>");
            html.Append("<header><h1>").Append(Html.Text(title)).Append("</h1><p class=\"meta\">VramPS ").Append(Html.Text(version))
                .Append(" &middot; generated ").Append(Html.Text(generatedUtc.ToString("yyyy-MM-dd HH:mm 'UTC'", CultureInfo.InvariantCulture)))
                .Append(" &middot; memory per GPU in GiB (2<sup>30</sup> bytes)");
            if (headroomPercent > 0) html.Append(" &middot; headroom kept free: ").Append(Html.Text(headroomPercent.ToString("0.#", CultureInfo.InvariantCulture))).Append('%');
            html.Append("</p></header>");
            foreach (var group in Groups(items)) Write(html, group, headroomPercent);
            Accuracy(html, accuracy);
            html.Append("<footer><p class=\"meta\">Made by Export-VramReport (VramPS ").Append(Html.Text(version))
                .Append("). Every figure is a model of what a PyTorch trainer holds at the peak of a step; Get-Help about_VramPS explains how to read it.</p></footer>");
            return html.Append("</body></html>").ToString();
        }

        /// <summary>Whether the report draws this kind of object.</summary>
        public static bool Accepts(object item) =>
            item is TrainingMemoryEstimate || item is MethodComparison || item is GpuFit || item is ClusterPlan;

        private static void Write(StringBuilder html, List<object> group, double headroomPercent)
        {
            switch (group[0])
            {
                case TrainingMemoryEstimate e:
                    EstimateSection.Write(html, e, headroomPercent);
                    break;
                case MethodComparison _:
                    ComparisonSection.Write(html, group.Cast<MethodComparison>().ToList(), headroomPercent);
                    break;
                case GpuFit _:
                    GpuFitSection.Write(html, group.Cast<GpuFit>().ToList());
                    break;
                default:
                    ClusterPlanSection.Write(html, group.Cast<ClusterPlan>().ToList());
                    break;
            }
        }

        /// <summary>Consecutive items of one kind and one run together; each estimate alone.</summary>
        private static IEnumerable<List<object>> Groups(IReadOnlyList<object> items)
        {
            List<object>? current = null;
            string? currentKey = null;
            foreach (var item in items)
            {
                string? key = Run(item);
                if (current != null && key != null && key == currentKey)
                {
                    current.Add(item);
                    continue;
                }
                if (current != null) yield return current;
                current = new List<object> { item };
                currentKey = key;
            }
            if (current != null) yield return current;
        }

        /// <summary>What the rows drawn together share: the run a comparison varies the method of, the run GPUs are tried with, the run plans lay out.</summary>
        private static string? Run(object item) => item switch
        {
            MethodComparison c => $"methods|{c.Model}|{c.Estimate.Stage}|{c.BatchSize}|{c.SequenceLength}",
            GpuFit f => "fits|" + EstimateSection.Title(f.Estimate, withGpu: false),
            ClusterPlan p => $"plans|{p.Model}|{p.Estimate.Method}|{p.Estimate.Stage}|{p.Estimate.SequenceLength}|{p.Tokens}",
            _ => null,
        };

        private static void Accuracy(StringBuilder html, AccuracySummary? accuracy)
        {
            html.Append("<section class=\"accuracy\"><h2>How close these estimates are</h2>");
            var all = accuracy?.Groups.FirstOrDefault(g => g.Name == "All");
            if (accuracy is null || all is null)
            {
                html.Append("<p>This build of VramPS has no accuracy figures (").Append(AccuracySummary.FileName)
                    .Append(" is made by <code>dotnet build</code>); see <code>Get-Help about_VramPS_Accuracy</code>.</p></section>");
                return;
            }
            var c = CultureInfo.InvariantCulture;
            html.Append("<p>On the ").Append(all.Rows).Append(" published training runs of the dev set (").Append(Html.Text(accuracy.Csv))
                .Append("), VramPS's estimates are off by <strong>").Append(all.Mape.ToString("0.0", c)).Append("%</strong> on average (MAPE) and ")
                .Append(all.Median.ToString("0.0", c)).Append("% at the median; ").Append(all.Within10.ToString("0.#", c))
                .Append("% of the runs are within 10%, and the worst is ").Append(Html.Text(all.Worst))
                .Append(". Measurements of one run differ by a few percent themselves. <code>Get-Help about_VramPS_Accuracy</code> has the gaps.</p>");
            Html.Table(html, "accuracy", new[] { "Runs", "Count", "MAPE %", "Median %", "Within 10 %", "Worst" },
                new[] { false, true, true, true, true, false },
                accuracy.Groups.Select(g => new Html.Row(g.Name == "All", g.Name, g.Rows.ToString(c), g.Mape.ToString("0.0", c),
                    g.Median.ToString("0.0", c), g.Within10.ToString("0.#", c), g.Worst)).ToArray());
            html.Append("</section>");
        }

        private const string Style =
            "body{font:14px/1.45 system-ui,-apple-system,'Segoe UI',Roboto,'Helvetica Neue',Arial,sans-serif;color:#1d1d1f;background:#fff;max-width:800px;margin:24px auto;padding:0 16px}" +
            "h1{font-size:24px;margin:0 0 4px}h2{font-size:18px;border-bottom:1px solid #ccc;padding-bottom:4px;margin:32px 0 8px}" +
            "h3{font-size:15px;margin:20px 0 6px}h4{font-size:13px;margin:10px 0 4px}.meta{color:#555;font-size:13px;margin:0}" +
            "dl.figures{display:grid;grid-template-columns:repeat(auto-fill,minmax(180px,1fr));gap:8px;margin:12px 0}" +
            "dl.figures div{border:1px solid #ddd;border-radius:4px;padding:6px 8px}dt{font-size:12px;color:#555}dd{margin:0;font-weight:600}" +
            "table{border-collapse:collapse;width:100%;font-size:12.5px;margin:8px 0}th,td{border-bottom:1px solid #e3e3e3;padding:3px 6px;text-align:left;vertical-align:top}" +
            "th{background:#f4f4f4}.num{text-align:right;font-variant-numeric:tabular-nums;white-space:nowrap}tr.marked td{font-weight:700;background:#fff4d6}" +
            ".figure svg{width:100%;height:auto;max-width:760px;display:block}.note{color:#555;font-size:12.5px}" +
            "ul.assumptions{font-size:12.5px;padding-left:20px;margin:4px 0}code{font-size:12.5px}" +
            ".accuracy{background:#f6f8fa;border:1px solid #ddd;border-radius:4px;padding:2px 12px 8px;margin-top:16px}.accuracy h2{margin-top:8px}" +
            "svg text{font-family:system-ui,-apple-system,'Segoe UI',Roboto,'Helvetica Neue',Arial,sans-serif;font-size:12px;fill:#1d1d1f}" +
            "svg .tick{fill:#555;font-size:11px}svg .axis{stroke:#333}svg line.grid{stroke:#e6e6e6}svg text.axis{fill:#555;stroke:none}" +
            "svg .total,svg .peak-label,svg .ref-label{paint-order:stroke;stroke:#fff;stroke-width:3px;stroke-linejoin:round}svg .total{font-size:11px;font-weight:600}svg rect.peak{fill:none;stroke:#111;stroke-width:2}svg .peak-label{font-weight:700}" +
            "svg .category.marked{font-weight:700}svg line.ref{stroke-width:2}svg line.capacity{stroke:#b00020}" +
            "svg line.headroom{stroke:#d97706;stroke-dasharray:7 4}svg line.total{stroke:#111;stroke-dasharray:2 3}" +
            "svg .ref-label{font-size:11.5px}svg text.capacity{fill:#b00020}svg text.headroom{fill:#9a4f00}" +
            "svg rect.outline{fill:#f1f1f1;stroke:#8a8a8a}svg rect.good{fill:#2e8b57}svg rect.bad{fill:#c0392b}svg text.bad{fill:#a01d1d}" +
            "@media print{body{margin:0;max-width:none;font-size:12px}h2{break-after:avoid}.figure,table,dl.figures{break-inside:avoid}.accuracy{break-inside:avoid}}" +
            "@page{size:A4;margin:14mm}";
    }
}
