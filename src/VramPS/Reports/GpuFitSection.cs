using System.Collections.Generic;
using System.Linq;
using System.Text;
using VramPS.Engine.Planning;
using VramPS.Formatting;

namespace VramPS.Reports
{
    /// <summary>Find-GpuFit's rows for one run: each GPU's capacity with the run's Total inside it, and how many it takes.</summary>
    internal static class GpuFitSection
    {
        public static void Write(StringBuilder html, IReadOnlyList<GpuFit> fits)
        {
            var run = fits[0].Estimate;
            html.Append("<section class=\"fits\"><h2>GPUs for ").Append(Html.Text(EstimateSection.Title(run, withGpu: false)))
                .Append("</h2>");
            var chart = new HorizontalBarChart("fits", "Each GPU's memory (outline) and the run's Total per GPU on it (bar)", "GiB per GPU");
            foreach (var f in fits) chart.AddRow(f.Gpu, ChartAxis.Gib(f.Total), ChartAxis.Gib(f.MemoryBytes), f.Fits, Note(f));
            html.Append("<div class=\"figure\">").Append(chart.ToSvg()).Append("</div>");
            bool priced = fits.Any(f => f.Estimate.Run?.Cost != null);
            var header = new List<string> { "GPU", "Memory", "Fits", "GPUs", "Sharding", "Max batch", "Headroom", "Total" };
            var numeric = new List<bool> { false, true, false, true, false, true, true, true };
            if (priced)
            {
                header.AddRange(new[] { "Hours", "Cost (USD)" });
                numeric.AddRange(new[] { true, true });
            }
            header.Add("Why not");
            numeric.Add(false);
            Html.Table(html, "fits", header.ToArray(), numeric.ToArray(), fits.Select(f => new Html.Row(false, Cells(f, priced))).ToArray());
            html.Append("<p class=\"note\">GPUs: the fewest of that GPU that hold the run (with its sharding, or Zero3 across more when it has none); Max batch: the largest micro-batch per GPU that fits on that many; Headroom: memory left on one GPU at the peak as the run is given.</p>");
            html.Append("</section>");
        }

        private static string Note(GpuFit f)
        {
            string total = Bytes.Format(f.Total) + ": ";
            if (f.Fits) return total + (f.MaxBatchSize is int batch ? $"fits, micro-batch up to {batch}" : "fits");
            // The chart's margin holds about thirty characters: the whole reason is in the table's Why not column.
            return total + (f.GpusNeeded is int count && count > 1 ? $"too big; {count} GPUs fit" : "too big, see Why not");
        }

        private static string[] Cells(GpuFit f, bool priced)
        {
            var cells = new List<string>
            {
                f.Gpu, Bytes.Format(f.MemoryBytes), f.Fits ? "yes" : "no", f.GpusNeeded?.ToString() ?? "", f.Sharding?.ToString() ?? "",
                f.MaxBatchSize?.ToString() ?? "", Bytes.Format(f.Headroom), Bytes.Format(f.Total),
            };
            if (priced)
            {
                cells.Add(f.Estimate.Run is TrainingRun run ? RunFigures.Hours(run.Hours) : "");
                cells.Add(RunFigures.Cost(f.Estimate.Run?.Cost));
            }
            cells.Add(f.WhyNot ?? "");
            return cells.ToArray();
        }
    }
}
