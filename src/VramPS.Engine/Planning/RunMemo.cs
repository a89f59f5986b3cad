using System.Collections.Generic;
using VramPS.Engine.Errors;
using VramPS.Engine.Estimation;
using VramPS.Engine.Gpus;

namespace VramPS.Engine.Planning
{
    /// <summary>
    /// The estimates one planning call asks for, each run worked out once. Planners try the same runs on many GPUs
    /// and probe the same GPU counts and micro-batches again and again. A supervised fine-tuning estimate depends on its
    /// GPU only through the CUDA context in Total, so it is made once and moved onto each GPU; an alignment stage is
    /// estimated per GPU. A run VramPS refuses (InvalidWorkloadException) is remembered as refused. FLOPs per token,
    /// which no GPU changes, are remembered per run as well.
    /// </summary>
    internal sealed class RunMemo
    {
        private readonly Dictionary<RunKey, Outcome> _runs = new Dictionary<RunKey, Outcome>();
        private readonly Dictionary<RunKey, double> _flops = new Dictionary<RunKey, double>();
        private readonly double? _confidence;

        /// <summary>A memo whose Fits compares the GPU's memory with Total, or with the high end of Total's range at a confidence.</summary>
        public RunMemo(double? confidence = null)
        {
            _confidence = confidence;
        }

        /// <summary>The workload's estimate on the GPU, a copy of its own; throws the refusal of a run VramPS does not estimate.</summary>
        public TrainingMemoryEstimate Estimate(Workload workload, GpuSpec gpu)
        {
            var outcome = Lookup(workload, gpu);
            if (outcome.Refusal != null) throw outcome.Refusal;
            return outcome.Estimate!.OnGpu(gpu);
        }

        /// <summary>
        /// The remembered estimate itself, or null where VramPS refuses the run: shared, so never to be changed, and its
        /// Total is that of the GPU it was made for (<see cref="Total"/> gives it on this one).
        /// </summary>
        public TrainingMemoryEstimate? Shared(Workload workload, GpuSpec gpu) => Lookup(workload, gpu).Estimate;

        /// <summary>Total on the GPU, or long.MaxValue where VramPS refuses the run (past 8 EiB, a layout the model cannot take).</summary>
        public long Total(Workload workload, GpuSpec gpu) => Lookup(workload, gpu).Estimate?.TotalOn(gpu) ?? long.MaxValue;

        /// <summary>Executed FLOPs per token of a run VramPS estimates (<see cref="TrainingFlops.PerToken"/>); they do not depend on the GPU.</summary>
        public double FlopsPerToken(Workload workload)
        {
            var key = new RunKey(workload, null);
            if (_flops.TryGetValue(key, out double flops)) return flops;
            var run = workload.Clone();
            flops = new TrainingFlops(run).PerToken;
            _flops.Add(new RunKey(run, null), flops);
            return flops;
        }

        /// <summary>
        /// What the workload needs on the GPU: Total, or the high end of Total's range at the memo's confidence;
        /// long.MaxValue where VramPS refuses the run.
        /// </summary>
        public long Need(Workload workload, GpuSpec gpu) => Need(Lookup(workload, gpu).Estimate, gpu);

        /// <summary>What a remembered estimate (<see cref="Shared"/>) needs on the GPU; long.MaxValue for a refused run (null).</summary>
        public long Need(TrainingMemoryEstimate? estimate, GpuSpec gpu)
        {
            if (estimate is null) return long.MaxValue;
            return _confidence is double c ? estimate.OnGpu(gpu).HighAt(estimate.Range.At(c)) : estimate.TotalOn(gpu);
        }

        /// <summary>Whether the GPU runs the workload's precision (<see cref="GpuSupport.Refusal"/>) and what it needs (<see cref="Need(Workload, GpuSpec)"/>) fits its memory.</summary>
        public bool Fits(Workload workload, GpuSpec gpu) => Fits(Lookup(workload, gpu).Estimate, gpu);

        /// <summary><see cref="Fits(Workload, GpuSpec)"/> for a remembered estimate (<see cref="Shared"/>); false for a refused run (null).</summary>
        public bool Fits(TrainingMemoryEstimate? estimate, GpuSpec gpu) =>
            estimate != null && GpuSupport.Refusal(estimate.Precision, gpu) is null && Need(estimate, gpu) <= gpu.MemoryBytes;

        private Outcome Lookup(Workload workload, GpuSpec gpu)
        {
            bool perGpu = MemoryEstimator.DependsOnGpu(workload);
            var key = new RunKey(workload, perGpu ? gpu : null);
            if (_runs.TryGetValue(key, out var outcome)) return outcome;
            var run = workload.Clone();
            run.Gpu = perGpu ? gpu : null;
            try
            {
                outcome = new Outcome(MemoryEstimator.Estimate(run), null);
            }
            catch (InvalidWorkloadException refusal)
            {
                outcome = new Outcome(null, refusal);
            }
            _runs.Add(new RunKey(run, key.Gpu), outcome);
            return outcome;
        }

        private readonly struct Outcome
        {
            public Outcome(TrainingMemoryEstimate? estimate, InvalidWorkloadException? refusal)
            {
                Estimate = estimate;
                Refusal = refusal;
            }

            public TrainingMemoryEstimate? Estimate { get; }
            public InvalidWorkloadException? Refusal { get; }
        }

        /// <summary>A run in every setting but the GPU, and the GPU where the estimate depends on it.</summary>
        private readonly struct RunKey : System.IEquatable<RunKey>
        {
            public RunKey(Workload workload, GpuSpec? gpu)
            {
                Workload = workload;
                Gpu = gpu;
            }

            public Workload Workload { get; }
            public GpuSpec? Gpu { get; }

            public bool Equals(RunKey other) => ReferenceEquals(Gpu, other.Gpu) && Workload.SameRunAs(other.Workload);

            public override bool Equals(object? obj) => obj is RunKey other && Equals(other);

            public override int GetHashCode() => Workload.RunHash();
        }
    }
}
