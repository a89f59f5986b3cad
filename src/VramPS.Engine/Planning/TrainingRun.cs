using System;
using System.Collections.Generic;
using System.Globalization;
using VramPS.Engine.Text;

namespace VramPS.Engine.Planning
{
    /// <summary>How long a run takes on its GPUs and what it costs, with the basis of each figure.</summary>
    public sealed class TrainingRun
    {
        internal TrainingRun() { }

        public string Gpu { get; internal set; } = "";
        public int GpuCount { get; internal set; }
        public double Tokens { get; internal set; }
        /// <summary>Executed FLOPs per token: forward, backward for what trains, and recomputation.</summary>
        public double FlopsPerToken { get; internal set; }
        /// <summary>FlopsPerToken x Tokens.</summary>
        public double TotalFlops { get; internal set; }
        public double Mfu { get; internal set; }
        /// <summary>Idle share of each step added by the pipeline schedule, relative to its compute.</summary>
        public double PipelineBubble { get; internal set; }
        public double TokensPerSecond { get; internal set; }
        public double Hours { get; internal set; }
        public double GpuHours { get; internal set; }
        /// <summary>USD per GPU-hour; null when neither -PricePerGpuHour nor the catalog gives one.</summary>
        public double? PricePerGpuHour { get; internal set; }
        public string PriceSource { get; internal set; } = "";
        /// <summary>GpuHours x PricePerGpuHour in USD; null without a price.</summary>
        public double? Cost { get; internal set; }
        /// <summary>The assumptions behind the figures (tokens, utilization).</summary>
        public IReadOnlyList<string> Assumptions { get => _assumptions; internal set => _assumptions = ReadableList.Rows(value); }
        private IReadOnlyList<string> _assumptions = ReadableList.Rows<string>(null);

        /// <summary>"23.4 h on 1 x H100-SXM, 100.19 USD", as a cell of Export-Csv shows the run of an estimate.</summary>
        public override string ToString() =>
            string.Format(CultureInfo.InvariantCulture, "{0:0.0} h on {1} x {2}", Hours, GpuCount, Gpu)
            + (Cost is double usd ? string.Format(CultureInfo.InvariantCulture, ", {0:0.00} USD", usd) : "");
    }
}
