using System.Management.Automation;
using VramPS.Completion;
using VramPS.Engine;
using VramPS.Engine.Errors;
using VramPS.Engine.Planning;
using VramPS.Transformation;

namespace VramPS.Commands
{
    /// <summary>Estimates one workload under several fine-tuning methods, optionally crossed with optimizers and precisions.</summary>
    [Cmdlet(VerbsData.Compare, "FinetuneMethod", DefaultParameterSetName = ModelSet)]
    [OutputType(typeof(MethodComparison))]
    public sealed class CompareFinetuneMethodCommand : WorkloadCommandBase
    {
        /// <summary>The methods to compare; Full, Freeze, LoRA and QLoRA when not given.</summary>
        [Parameter(Position = 1)]
        [ValidateNotNullOrEmpty]
        public FinetuneMethod[]? Method { get; set; }

        [Parameter(ValueFromPipelineByPropertyName = true)]
        [EmptyAsNull]
        public OptimizerKind[]? Optimizer { get; set; }

        [Parameter(ValueFromPipelineByPropertyName = true)]
        [EmptyAsNull]
        public Precision[]? Precision { get; set; }

        /// <summary>The GPU the run uses (catalog name): its CUDA context counts in Total.</summary>
        [Parameter(ValueFromPipelineByPropertyName = true)]
        [ArgumentCompleter(typeof(GpuNameCompleter))]
        [EmptyAsNull]
        public string? Gpu { get; set; }

        protected override void ProcessRecord()
        {
            try
            {
                var workload = BuildWorkload();
                if (Gpu != null) workload.Gpu = Gpus.Get(Gpu);
                WriteObject(MethodComparer.Compare(workload, Method, Optimizer, Precision), true);
            }
            catch (VramException e)
            {
                WriteEngineError(e);
            }
        }
    }
}
