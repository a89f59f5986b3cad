using System.Management.Automation;
using VramPS.Completion;
using VramPS.Engine.Gpus;
using VramPS.Engine.Errors;
using VramPS.Engine.Estimation;
using VramPS.Transformation;

namespace VramPS.Commands
{
    /// <summary>Estimates the GPU memory one training run needs at its peak, per GPU, by term.</summary>
    [Cmdlet(VerbsCommon.Get, "TrainingMemory", DefaultParameterSetName = ModelSet)]
    [OutputType(typeof(TrainingMemoryEstimate))]
    public sealed class GetTrainingMemoryCommand : SingleWorkloadCommandBase
    {
        /// <summary>The GPU the run uses (catalog name): its CUDA context counts in Total.</summary>
        [Parameter(ValueFromPipelineByPropertyName = true)]
        [ArgumentCompleter(typeof(GpuNameCompleter))]
        [EmptyAsNull]
        public string? Gpu { get; set; }

        protected override void ProcessRecord()
        {
            try
            {
                var workload = BuildSingleWorkload();
                if (Gpu != null) workload.Gpu = GpuCatalog.Default.Get(Gpu);
                WriteObject(MemoryEstimator.Estimate(workload));
            }
            catch (VramException e)
            {
                WriteEngineError(e);
            }
        }
    }
}
