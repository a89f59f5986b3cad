namespace VramPS.Engine.Planning
{
    /// <summary>A GPU count and sharding under which a workload fits, with the workload set to them.</summary>
    internal sealed class GpuPlan
    {
        public GpuPlan(int count, Sharding sharding, Workload workload)
        {
            Count = count;
            Sharding = sharding;
            Workload = workload;
        }

        public int Count { get; }
        public Sharding Sharding { get; }
        public Workload Workload { get; }
    }
}
