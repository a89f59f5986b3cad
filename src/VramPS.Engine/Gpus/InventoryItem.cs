using System;

namespace VramPS.Engine.Gpus
{
    /// <summary>One line of a GPU inventory: how many of one accelerator are available.</summary>
    public sealed class InventoryItem
    {
        public InventoryItem(GpuSpec gpu, int count)
        {
            if (count < 1) throw new ArgumentOutOfRangeException(nameof(count), count, "An inventory count must be at least 1.");
            Gpu = gpu ?? throw new ArgumentNullException(nameof(gpu));
            Count = count;
        }

        public GpuSpec Gpu { get; }
        public int Count { get; }
    }
}
