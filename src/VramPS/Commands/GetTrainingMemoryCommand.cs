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
                var gpu = GpuSpec ?? PipedGpu ?? (Gpu != null ? Gpus.Get(Gpu) : null);
                WriteResult(gpu is null ? MemoryEstimator.Estimate(workload) : FitAdvisor.Review(workload, gpu, RunSettings));
            }
            catch (VramException e)
            {
                WriteEngineError(e);
            }
        }
    }
}
