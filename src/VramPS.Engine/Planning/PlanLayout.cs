namespace VramPS.Engine.Planning
{
    /// <summary>One candidate layout of a cluster plan, apart from its GPU count: parallel degrees, sharding, checkpointing and micro-batch.</summary>
    internal sealed class PlanLayout
    {
        public PlanLayout(int tensor, int pipeline, int context, Sharding sharding, Checkpointing checkpointing, int batchSize, int accumulation, double timeFactor)
        {
            Tensor = tensor;
            Pipeline = pipeline;
            Context = context;
            Sharding = sharding;
            Checkpointing = checkpointing;
            BatchSize = batchSize;
            Accumulation = accumulation;
            TimeFactor = timeFactor;
        }

        public int Tensor { get; }
        public int Pipeline { get; }
        public int Context { get; }
        public Sharding Sharding { get; }
        public Checkpointing Checkpointing { get; }
        public int BatchSize { get; }
        public int Accumulation { get; }
        /// <summary>Step time relative to the workload as given on as many GPUs: recomputed FLOPs and the pipeline bubble.</summary>
        public double TimeFactor { get; }
        /// <summary>GPUs of one data-parallel replica.</summary>
        public int Replica => Tensor * Pipeline * Context;

        /// <summary>The workload on <paramref name="gpus"/> GPUs in this layout; sequence parallelism comes with tensor parallelism.</summary>
        public Workload Apply(Workload workload, int gpus, int gpusPerNode)
        {
            var w = workload.Clone();
            w.GpuCount = gpus;
            w.GpusPerNode = gpusPerNode;
            w.TensorParallel = Tensor;
            w.PipelineParallel = Pipeline;
            w.SequenceParallel = Tensor > 1;
            w.Sharding = Sharding;
            w.Checkpointing = Checkpointing;
            w.BatchSize = BatchSize;
            w.GradientAccumulation = Accumulation;
            if (Pipeline == 1)
            {
                w.PipelineSchedule = null;
                w.VirtualStages = null;
            }
            w.Gpu = null;
            return w;
        }

        public (int, int, Sharding, Checkpointing, int, int) Key => (Tensor, Pipeline, Sharding, Checkpointing, BatchSize, Accumulation);
    }
}
