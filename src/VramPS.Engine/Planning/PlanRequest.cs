using System;
using System.Collections.Generic;
using System.Globalization;
using VramPS.Engine.Errors;
using VramPS.Engine.Gpus;

namespace VramPS.Engine.Planning
{
    /// <summary>What a cluster plan may use: the GPU types to try, how many, in nodes of how many, within what budget and fleet.</summary>
    public sealed class PlanRequest
    {
        public IReadOnlyList<GpuSpec> Gpus { get; set; } = Array.Empty<GpuSpec>();
        /// <summary>Whether the user chose the GPU types (named or piped): then a plan's GPU is not one of its Changes.</summary>
        public bool GpusChosen { get; set; }
        public int MaxGpus { get; set; } = GpuFitFinder.DefaultMaxGpus;
        /// <summary>GPUs per node; null takes the workload's, else 8.</summary>
        public int? GpusPerNode { get; set; }
        /// <summary>The most a plan may cost in USD; null for no limit.</summary>
        public double? Budget { get; set; }
        public PlanSortOrder SortBy { get; set; } = PlanSortOrder.Cost;
        public RunSettings Run { get; set; } = new RunSettings();
        /// <summary>The GPUs the user has; null when any number may be rented. A plan must fit into one line of it (one GPU type).</summary>
        public IReadOnlyList<InventoryItem>? Inventory { get; set; }

        internal void Validate()
        {
            if (MaxGpus < 1) throw new InvalidWorkloadException("MaxGpus", $"-MaxGpus must be a positive integer; got {MaxGpus}.");
            if (GpusPerNode < 1) throw new InvalidWorkloadException("GpusPerNode", $"-GpusPerNode must be a positive integer; got {GpusPerNode}.");
            if (Budget is double budget && !(budget > 0))
                throw new InvalidWorkloadException("Budget", string.Format(CultureInfo.InvariantCulture, "-Budget must be a positive amount of USD; got {0}.", budget));
            if (Gpus is null) throw new ArgumentNullException(nameof(Gpus));
            if (Run is null) throw new ArgumentNullException(nameof(Run));
        }
    }
}
