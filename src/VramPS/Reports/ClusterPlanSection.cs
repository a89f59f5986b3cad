using System.Collections.Generic;
using System.Linq;
using System.Text;
using VramPS.Engine.Planning;
using VramPS.Formatting;

namespace VramPS.Reports
{
    /// <summary>Find-GpuFit's cluster plans for one run: what each GPU type and count costs (or takes, without a price), and its layout.</summary>
    internal static class ClusterPlanSection
    {
        public static void Write(StringBuilder html, IReadOnlyList<ClusterPlan> plans)
        {
            var first = plans[0];
            bool priced = plans.All(p => p.Cost != null);
            html.Append("<section class=\"plans\"><h2>Cluster plans for ").Append(Html.Text($"{first.Model}: {first.Estimate.Method}, {first.Estimate.SequenceLength}-token sequences, {Count.Short((long)first.Tokens)} tokens"))
                .Append("</h2>");
            var chart = priced
                ? new HorizontalBarChart("plans", "Cost of the run on each plan", "USD for the run")
                : new HorizontalBarChart("plans", "Hours the run takes on each plan", "hours");
            foreach (var p in plans) chart.AddRow(Label(p), priced ? p.Cost!.Value : p.Hours, 0, true, Note(p, priced));
            html.Append("<div class=\"figure\">").Append(chart.ToSvg()).Append("</div>");
            Html.Table(html, "plans",
                new[] { "GPU", "GPUs", "Nodes", "Layout", "Checkpointing", "Batch x accum.", "Total/GPU", "Headroom", "Hours", "Cost (USD)" },
                new[] { false, true, true, false, false, true, true, true, true, true },
                plans.Select(p => new Html.Row(false, p.Gpu, p.GpuCount.ToString(), p.Nodes.ToString(), Layout(p), p.Checkpointing.ToString(),
                    $"{p.BatchSize} x {p.GradientAccumulation}", Bytes.Format(p.Total), Bytes.Format(p.Headroom), RunFigures.Hours(p.Hours),
                    RunFigures.Cost(p.Cost))).ToArray());
            html.Append("<p class=\"note\">Hours at the model-FLOPs utilization assumed below; cost is GPU-hours times the price per GPU-hour.</p>");
            html.Append("<h3>Assumptions</h3><ul class=\"assumptions\">");
            foreach (string a in first.Run.Assumptions) html.Append("<li>").Append(Html.Text(a)).Append("</li>");
            foreach (var price in plans.GroupBy(p => p.Gpu).Select(g => g.First()).Where(p => p.PriceSource.Length > 0))
            {
                html.Append("<li>").Append(Html.Text($"{price.Gpu} at {RunFigures.Cost(price.PricePerGpuHour)} USD per GPU-hour: {price.PriceSource}")).Append("</li>");
            }
            html.Append("</ul></section>");
        }

        private static string Label(ClusterPlan p) => $"{p.GpuCount} x {p.Gpu}";

        private static string Layout(ClusterPlan p)
        {
            var parts = new List<string>();
            if (p.TensorParallel > 1) parts.Add($"TP{p.TensorParallel}" + (p.SequenceParallel ? "+SP" : ""));
            if (p.PipelineParallel > 1) parts.Add($"PP{p.PipelineParallel}");
            parts.Add($"DP{p.DataParallel}");
            if (p.Sharding != Engine.Sharding.None) parts.Add(p.Sharding.ToString());
            return string.Join(", ", parts);
        }

        private static string Note(ClusterPlan p, bool priced) =>
            priced ? $"{RunFigures.Cost(p.Cost)} USD in {RunFigures.Hours(p.Hours)} h" : $"{RunFigures.Hours(p.Hours)} h";
    }
}
