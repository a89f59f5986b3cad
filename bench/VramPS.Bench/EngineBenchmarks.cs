using System.Collections.Generic;
using BenchmarkDotNet.Attributes;
using VramPS.Engine;
using VramPS.Engine.Estimation;
using VramPS.Engine.Gpus;
using VramPS.Engine.Models;
using VramPS.Engine.Planning;

namespace VramPS.Bench
{
    /// <summary>
    /// The engine calls a sweep repeats: one estimate, Compare-FinetuneMethod's four methods, Find-GpuFit over the whole
    /// GPU catalog with the fewest-GPU and max-batch searches. The workload is Llama 2 7B, LoRA, micro-batch 4 of 2048
    /// tokens; catalogs are loaded before timing, as they are once per process.
    /// </summary>
    [MemoryDiagnoser]
    public class EngineBenchmarks
    {
        private Workload _workload = null!;
        private IReadOnlyList<GpuSpec> _gpus = null!;

        [GlobalSetup]
        public void Setup()
        {
            _workload = new Workload(ModelCatalog.Default.Get("meta-llama/Llama-2-7b-hf"))
            {
                ModelName = "meta-llama/Llama-2-7b-hf",
                Method = FinetuneMethod.LoRA,
                BatchSize = 4,
                SequenceLength = 2048,
            };
            _gpus = GpuCatalog.Default.All;
        }

        [Benchmark]
        public TrainingMemoryEstimate Estimate() => MemoryEstimator.Estimate(_workload);

        [Benchmark]
        public IReadOnlyList<MethodComparison> CompareFourMethods() => MethodComparer.Compare(_workload);

        [Benchmark]
        public IReadOnlyList<GpuFit> FindGpuFitOverCatalog() => GpuFitFinder.Find(_workload, _gpus);
    }
}
