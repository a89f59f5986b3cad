using System.Collections.Generic;
using System.Linq;
using System.Text;
using VramPS.Engine.Planning;
using VramPS.Formatting;

namespace VramPS.Reports
{
    /// <summary>Compare-FinetuneMethod's rows side by side: each method's peak by term, with the GPU's lines where the rows share one.</summary>
    internal static class ComparisonSection
    {
        public static void Write(StringBuilder html, IReadOnlyList<MethodComparison> rows, double headroomPercent)
        {
            var models = rows.Select(r => r.Model).Distinct().ToList();
            html.Append("<section class=\"comparison\"><h2>Fine-tuning methods compared: ").Append(Html.Text(string.Join(", ", models))).Append("</h2>");
            var chart = new StackedBarChart("methods", "Peak memory per GPU of each method, by term");
            foreach (var r in rows) chart.AddBar(Label(r, models.Count > 1), EstimateSection.Terms(r.Estimate), false);
            var gpus = rows.Select(r => r.Estimate.Workload.Gpu).Distinct().ToList();
            if (gpus.Count == 1 && gpus[0] != null)
            {
                chart.AddLine(gpus[0]!.Name, gpus[0]!.MemoryBytes, LineKind.Capacity);
                if (headroomPercent > 0)
                {
                    chart.AddLine($"{gpus[0]!.Name} less {headroomPercent:0.#}%", EstimateSection.Usable(gpus[0]!.MemoryBytes, headroomPercent), LineKind.Headroom);
                }
            }
            html.Append("<div class=\"figure\">").Append(chart.ToSvg()).Append("</div>");
            bool withModel = models.Count > 1;
            var header = new[] { "Model", "Method", "Optimizer", "Precision", "Trainable", "Allocated", "Total", "Relative to Full", "Peak phase" };
            var numeric = new[] { false, false, false, false, true, true, true, true, false };
            int skip = withModel ? 0 : 1;
            Html.Table(html, "methods", header.Skip(skip).ToArray(), numeric.Skip(skip).ToArray(),
                rows.Select(r => new Html.Row(false, new[]
                {
                    r.Model, r.Method.ToString(), r.Optimizer.ToString(), r.Precision.ToString(), Count.Short(r.TrainableParameters),
                    Bytes.Format(r.Allocated), Bytes.Format(r.Total), RunFigures.Factor(r.RelativeToFull), r.PeakPhase.ToString(),
                }.Skip(skip).ToArray())).ToArray());
            html.Append("<p class=\"note\">GiB per GPU. Bars are each method's allocations at its own peak phase; Total adds the allocator's reserve and the CUDA context.</p>");
            Assumptions(html, rows);
            html.Append("</section>");
        }

        private static string Label(MethodComparison r, bool withModel) =>
            (withModel ? r.Model.Split('/').Last() + " " : "") + $"{r.Method} {r.Optimizer} {r.Precision}";

        /// <summary>The assumptions every row shares once, then what each row assumed besides.</summary>
        private static void Assumptions(StringBuilder html, IReadOnlyList<MethodComparison> rows)
        {
            var shared = rows.Skip(1).Aggregate((IEnumerable<string>)rows[0].Estimate.Assumptions, (common, r) => common.Intersect(r.Estimate.Assumptions)).ToList();
            html.Append("<h3>Assumptions</h3>");
            List(html, "Every row", shared);
            foreach (var r in rows) List(html, Label(r, true), r.Estimate.Assumptions.Except(shared).ToList());
        }

        private static void List(StringBuilder html, string heading, IReadOnlyList<string> items)
        {
            if (items.Count == 0) return;
            html.Append("<h4>").Append(Html.Text(heading)).Append("</h4><ul class=\"assumptions\">");
            foreach (string a in items) html.Append("<li>").Append(Html.Text(a)).Append("</li>");
            html.Append("</ul>");
        }
    }
}
