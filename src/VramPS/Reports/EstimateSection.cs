using System.Linq;
using System.Text;
using VramPS.Engine.Alignment;
using VramPS.Engine.Estimation;
using VramPS.Formatting;

namespace VramPS.Reports
{
    /// <summary>
    /// One estimate: its key figures, the step's memory by phase as stacked bars with the peak marked and the GPU's
    /// capacity and headroom as lines, each model of an alignment stage, and what was assumed.
    /// </summary>
    internal static class EstimateSection
    {
        private static readonly string[] TermHeader = { "Weights", "Gradients", "Optimizer states", "Activations", "Other" };

        public static void Write(StringBuilder html, TrainingMemoryEstimate e, double headroomPercent)
        {
            html.Append("<section class=\"estimate\"><h2>").Append(Html.Text(Title(e))).Append("</h2>");
            KeyFigures(html, e, headroomPercent);

            var chart = new StackedBarChart("phases", $"Memory of {e.Model} by phase of the step; the peak is {e.PeakPhase}");
            foreach (var phase in e.Phases)
            {
                chart.AddBar(Words(phase.Phase), Terms(phase), phase.Phase == e.PeakPhase);
            }
            AddLines(chart, e, headroomPercent);
            html.Append("<h3>Memory by phase of the step</h3><div class=\"figure\">").Append(chart.ToSvg()).Append("</div>");
            Html.Table(html, "phases", new[] { "Phase" }.Concat(TermHeader).Concat(new[] { "Allocated" }).ToArray(),
                new[] { false, true, true, true, true, true, true },
                e.Phases.Select(p => new Html.Row(p.Phase == e.PeakPhase,
                    new[] { p.Phase == e.PeakPhase ? p.Phase + " (peak)" : p.Phase.ToString() }
                        .Concat(Terms(p).Select(Bytes.Format)).Concat(new[] { Bytes.Format(p.Allocated) }).ToArray())).ToArray());
            html.Append("<p class=\"note\">GiB (2<sup>30</sup> bytes) per GPU. Bars are what PyTorch allocates (Allocated); Total adds the caching allocator's reserve and the CUDA context, what nvidia-smi shows.</p>");

            if (e.Stage != TrainingStage.Sft && e.Models.Count > 0) Models(html, e, headroomPercent);
            Assumptions(html, e);
            html.Append("</section>");
        }

        /// <summary>"meta-llama/Llama-2-7b-hf: LoRA, Bf16, 4 x 1024 tokens, HF-Trainer, RTX-4090" (the GPU where asked and known).</summary>
        public static string Title(TrainingMemoryEstimate e, bool withGpu = true)
        {
            var title = new StringBuilder(e.Model).Append(": ");
            if (e.Stage != TrainingStage.Sft) title.Append(e.Stage).Append(' ');
            title.Append(e.Method).Append(", ").Append(e.Precision).Append(", ").Append(e.BatchSize).Append(" x ").Append(e.SequenceLength)
                .Append(" tokens, ").Append(e.Framework);
            if (e.GpuCount > 1) title.Append(", ").Append(e.GpuCount).Append(" GPUs");
            if (withGpu && e.Gpu != null) title.Append(", ").Append(e.Gpu);
            return title.ToString();
        }

        /// <summary>"Backward Start" for BackwardStart, so a narrow bar's label wraps.</summary>
        private static string Words(Phase phase) => System.Text.RegularExpressions.Regex.Replace(phase.ToString(), "(?<=[a-z])(?=[A-Z])", " ");

        public static long[] Terms(PhaseMemory p) => new[] { p.Weights, p.Gradients, p.OptimizerStates, p.Activations, p.Other };

        public static long[] Terms(TrainingMemoryEstimate e) => new[] { e.Weights, e.Gradients, e.OptimizerStates, e.Activations, e.Other };

        /// <summary>The GPU's capacity, the capacity less the headroom, and the estimate's Total, where the estimate has a GPU.</summary>
        public static void AddLines(StackedBarChart chart, TrainingMemoryEstimate e, double headroomPercent)
        {
            chart.AddLine("Total at peak", e.Total, LineKind.Total);
            var gpu = e.Workload.Gpu;
            if (gpu is null) return;
            chart.AddLine(gpu.Name, gpu.MemoryBytes, LineKind.Capacity);
            if (headroomPercent > 0) chart.AddLine($"{gpu.Name} less {headroomPercent:0.#}%", Usable(gpu.MemoryBytes, headroomPercent), LineKind.Headroom);
        }

        public static long Usable(long capacity, double headroomPercent) => (long)(capacity * (1 - headroomPercent / 100));

        private static void KeyFigures(StringBuilder html, TrainingMemoryEstimate e, double headroomPercent)
        {
            html.Append("<dl class=\"figures\">");
            Figure(html, "Total (nvidia-smi)", Bytes.Format(e.Total));
            Figure(html, "Reserved", Bytes.Format(e.Reserved));
            Figure(html, "Allocated at peak", $"{Bytes.Format(e.Allocated)} ({e.PeakPhase})");
            var gpu = e.Workload.Gpu;
            if (gpu != null)
            {
                long usable = Usable(gpu.MemoryBytes, headroomPercent);
                long free = gpu.MemoryBytes - e.Total;
                Figure(html, gpu.Name, Bytes.Format(gpu.MemoryBytes) + (free >= 0 ? $", {Bytes.Format(free)} free at peak" : $", {Bytes.Format(-free)} short at peak"));
                Figure(html, $"With {headroomPercent:0.#}% headroom", e.Total <= usable ? "fits" : $"does not fit: {Bytes.Format(e.Total - usable)} over");
            }
            Figure(html, "Parameters", $"{Count.Short(e.Parameters)}, {Count.Short(e.TrainableParameters)} trainable");
            if (e.HostMemory >= (1L << 30) / 100) Figure(html, "Host memory per node", Bytes.Format(e.HostMemory));
            if (e.KvCache > 0) Figure(html, "KV cache", Bytes.Format(e.KvCache));
            html.Append("</dl>");
        }

        private static void Figure(StringBuilder html, string name, string value) =>
            html.Append("<div><dt>").Append(Html.Text(name)).Append("</dt><dd>").Append(Html.Text(value)).Append("</dd></div>");

        private static void Models(StringBuilder html, TrainingMemoryEstimate e, double headroomPercent)
        {
            var chart = new StackedBarChart("models", $"Memory of each model the {e.Stage} stage holds at its peak ({e.PeakPhase})");
            foreach (var m in e.Models) chart.AddBar($"{m.Role} {m.Method}", Terms(m), false);
            var gpu = e.Workload.Gpu;
            if (gpu != null) chart.AddLine(gpu.Name, gpu.MemoryBytes, LineKind.Capacity);
            html.Append("<h3>Models the stage holds at its peak (").Append(Html.Text(e.PeakPhase.ToString())).Append(")</h3><div class=\"figure\">")
                .Append(chart.ToSvg()).Append("</div>");
            Html.Table(html, "models", new[] { "Role", "Model", "Method" }.Concat(TermHeader).Concat(new[] { "Total" }).ToArray(),
                new[] { false, false, false, true, true, true, true, true, true },
                e.Models.Select(m => new Html.Row(false, new[] { m.Role.ToString(), m.Model, m.Method }
                    .Concat(Terms(m).Select(Bytes.Format)).Concat(new[] { Bytes.Format(m.Total) }).ToArray())).ToArray());
        }

        private static long[] Terms(ModelMemory m) => new[] { m.Weights, m.Gradients, m.OptimizerStates, m.Activations, m.Other };

        private static void Assumptions(StringBuilder html, TrainingMemoryEstimate e)
        {
            html.Append("<h3>Assumptions</h3>");
            if (e.Assumptions.Count == 0)
            {
                html.Append("<p>None: every setting was given.</p>");
                return;
            }
            html.Append("<ul class=\"assumptions\">");
            foreach (string a in e.Assumptions) html.Append("<li>").Append(Html.Text(a)).Append("</li>");
            html.Append("</ul>");
        }
    }
}
