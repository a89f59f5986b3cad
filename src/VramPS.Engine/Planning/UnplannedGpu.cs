namespace VramPS.Engine.Planning
{
    /// <summary>A GPU type a cluster planning call tried and found no plan on, and why.</summary>
    public sealed class UnplannedGpu
    {
        internal UnplannedGpu(string gpu, string why, double? cheapestCost = null)
        {
            Gpu = gpu;
            Why = why;
            CheapestCost = cheapestCost;
        }

        /// <summary>The catalog name of the GPU type.</summary>
        public string Gpu { get; }
        /// <summary>Why it has no plan, without the GPU's name, so equal reasons read alike.</summary>
        public string Why { get; }
        /// <summary>USD of the cheapest plan that fits when every one costs more than the budget; null otherwise.</summary>
        public double? CheapestCost { get; }
    }
}
