using System;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using VramPS.Completion;
using VramPS.Engine.Gpus;
using VramPS.Engine.Errors;
using VramPS.Engine.Estimation;
using VramPS.Engine.Planning;
using VramPS.Transformation;

namespace VramPS.Commands
{
    /// <summary>
    /// Estimates the GPU memory one training run needs at its peak, per GPU, by term. Given a GPU, it also times and
    /// prices the run and, when the run does not fit, suggests what to change.
    /// </summary>
    [Cmdlet(VerbsCommon.Get, "TrainingMemory", DefaultParameterSetName = NoModelSet)]
    [OutputType(typeof(TrainingMemoryEstimate))]
    public sealed class GetTrainingMemoryCommand : SingleWorkloadCommandBase
    {
        /// <summary>The GPU the run uses (catalog name): its CUDA context counts in Total.</summary>
        [Parameter]
        [ArgumentCompleter(typeof(GpuNameCompleter))]
        [EmptyAsNull]
        public string? Gpu { get; set; }

        /// <summary>The GPU as a catalog entry, from Get-VramGpu (or piped).</summary>
        [Parameter]
        public GpuSpec? GpuSpec { get; set; }

        protected override void ProcessRecord()
        {
            if (!ReadInput()) return;
            try
            {
                var workload = BuildSingleWorkload();
                var named = GpuSpec is null && PipedGpu is null && Gpu != null ? NamedGpu(Gpu) : default;
                var gpu = GpuSpec ?? PipedGpu ?? named.Gpu;
                var estimate = gpu is null ? MemoryEstimator.Estimate(workload) : FitAdvisor.Review(workload, gpu, RunSettings);
                if (named.Warning != null) estimate.Warn(named.Warning);
                WriteEstimateWarnings(estimate);
                WriteResult(estimate);
            }
            catch (VramException e)
            {
                WriteEngineError(e);
            }
        }

        /// <summary>The GPU -Gpu names, and a warning when the name also fits other entries (-Gpu A100 fits three).</summary>
        private (GpuSpec Gpu, string? Warning) NamedGpu(string name)
        {
            var gpu = Gpus.Get(name);
            var others = Gpus.AlsoMatching(name, gpu);
            return (gpu, others.Count == 0 ? null
                : $"-Gpu '{name}' was taken as {gpu.Name}; it also fits {string.Join(", ", others.Select(o => o.Name))}. Name the variant to be sure.");
        }
    }
}
