using System;
using System.Collections.Generic;
using VramPS.Engine.Estimation;
using VramPS.Engine.Gpus;

namespace VramPS.Engine.Planning
{
    /// <summary>
    /// The remembered estimates (RunMemo.Shared) of one run at the GPU counts, shardings and micro-batches that
    /// FewestGpus and MaxBatchSize ask about, kept by GPU count (FewestGpus asks every count on each GPU of a
    /// catalog) and by micro-batch, so that each GPU reads them without looking the whole run up in the memo again.
    /// One instance serves one run: every GPU of a planning call where the estimate does not depend on the GPU
    /// (<see cref="MemoryEstimator.DependsOnGpu"/>), else one GPU; the workload and GPU of its first question stand
    /// for the rest.
    /// </summary>
    internal sealed class RunLayouts
    {
        private readonly RunMemo _memo;
        private readonly Dictionary<(Sharding Sharding, int? Batch), Rungs> _byCount = new Dictionary<(Sharding Sharding, int? Batch), Rungs>();
        private readonly Dictionary<(int Gpus, Sharding Sharding), Rungs> _byBatch = new Dictionary<(int Gpus, Sharding Sharding), Rungs>();
        // One probe workload is set to each layout asked about; the memo keeps its own copy of what it estimates.
        private Workload? _probe;

        public RunLayouts(RunMemo memo)
        {
            _memo = memo;
        }

        /// <summary>The workload's estimates with this sharding and micro-batch, by GPU count.</summary>
        public Rungs ByCount(Workload workload, GpuSpec gpu, Sharding sharding, int? batch)
        {
            var key = (sharding, batch);
            if (!_byCount.TryGetValue(key, out var rungs))
                _byCount.Add(key, rungs = new Rungs(gpus => Estimate(workload, gpu, gpus, sharding, batch)));
            return rungs;
        }

        /// <summary>The workload's estimates on this many GPUs with this sharding, by micro-batch.</summary>
        public Rungs ByBatch(Workload workload, GpuSpec gpu, int gpus, Sharding sharding)
        {
            var key = (gpus, sharding);
            if (!_byBatch.TryGetValue(key, out var rungs))
                _byBatch.Add(key, rungs = new Rungs(batch => Estimate(workload, gpu, gpus, sharding, batch)));
            return rungs;
        }

        private TrainingMemoryEstimate? Estimate(Workload workload, GpuSpec gpu, int gpus, Sharding sharding, int? batch)
        {
            _probe ??= workload.Clone();
            _probe.GpuCount = gpus;
            _probe.Sharding = sharding;
            _probe.BatchSize = batch;
            return _memo.Shared(_probe, gpu);
        }

        /// <summary>Estimates by a whole number of one setting, each made once when first asked for (null: refused).</summary>
        internal sealed class Rungs
        {
            private readonly Func<int, TrainingMemoryEstimate?> _estimate;
            private readonly TrainingMemoryEstimate?[] _known = new TrainingMemoryEstimate?[GpuFitFinder.DefaultMaxGpus + 1];
            private readonly bool[] _asked = new bool[GpuFitFinder.DefaultMaxGpus + 1];
            private Dictionary<int, TrainingMemoryEstimate?>? _beyond;

            public Rungs(Func<int, TrainingMemoryEstimate?> estimate)
            {
                _estimate = estimate;
            }

            public TrainingMemoryEstimate? At(int n)
            {
                if (n >= _known.Length)
                {
                    _beyond ??= new Dictionary<int, TrainingMemoryEstimate?>();
                    if (!_beyond.TryGetValue(n, out var far)) _beyond.Add(n, far = _estimate(n));
                    return far;
                }
                if (!_asked[n])
                {
                    _known[n] = _estimate(n);
                    _asked[n] = true;
                }
                return _known[n];
            }
        }
    }
}
