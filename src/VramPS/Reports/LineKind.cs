namespace VramPS.Reports
{
    /// <summary>What a horizontal line across a memory chart stands for; each is drawn in its own style.</summary>
    internal enum LineKind
    {
        /// <summary>The GPU's memory as the driver reports it (solid).</summary>
        Capacity,
        /// <summary>The capacity less the headroom the reader keeps free (dashed).</summary>
        Headroom,
        /// <summary>The estimate's Total: the peak's allocations plus the allocator's reserve and the CUDA context (dotted).</summary>
        Total,
    }
}
