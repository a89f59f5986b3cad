using System.Collections.Generic;
using System.Management.Automation;
using VramPS.Completion;
using VramPS.Engine;
using VramPS.Engine.Errors;
using VramPS.Engine.Planning;
using VramPS.Transformation;

namespace VramPS.Commands
{
    /// <summary>Estimates one workload under several fine-tuning methods, optionally crossed with optimizers and precisions.</summary>
    [Cmdlet(VerbsData.Compare, "FinetuneMethod", DefaultParameterSetName = NoModelSet)]
    [OutputType(typeof(MethodComparison))]
    public sealed class CompareFinetuneMethodCommand : WorkloadCommandBase
    {
        /// <summary>The methods to compare; Full, Freeze, LoRA and QLoRA when not given (Full, LoRA and QLoRA for an alignment stage).</summary>
        [Parameter(Position = 1)]
        [ValidateNotNullOrEmpty]
        public FinetuneMethod[]? Method { get; set; }

        [Parameter]
        [EnumName(typeof(OptimizerKind), List = true)]
        public OptimizerKind[]? Optimizer { get; set; }

        [Parameter]
        [EnumName(typeof(Precision), List = true)]
        public Precision[]? Precision { get; set; }

        /// <summary>The adapters to compare under LoRA and QLoRA; LoRA alone is compared when -Method is not given.</summary>
        [Parameter]
        [EnumName(typeof(AdapterKind), List = true)]
        public AdapterKind[]? Adapter { get; set; }

        /// <summary>The GPU the run uses (catalog name): its CUDA context counts in Total.</summary>
        [Parameter]
        [ArgumentCompleter(typeof(GpuNameCompleter))]
        [EmptyAsNull]
        public string? Gpu { get; set; }

        /// <summary>Runs each method with its trainer's own defaults (QLoRA with checkpointing, LoRA without) rather than with the same settings.</summary>
        [Parameter]
        public SwitchParameter FrameworkDefaults { get; set; }

        protected override void ProcessRecord()
        {
            if (!ReadInput()) return;
            try
            {
                var workload = BuildWorkload();
                if (Gpu != null) workload.Gpu = Gpus.Get(Gpu);
                IReadOnlyList<FinetuneMethod>? methods = Method;
                if (methods is null && (Adapter is null || Adapter.Length == 0))
                {
                    methods = MethodComparer.DefaultMethodsFor(workload, out var notRun);
                    if (notRun.Count > 0)
                    {
                        WriteWarning($"-Framework {FrameworkNames.ToName(workload.Framework ?? Engine.Framework.HfTrainer)} does not run -Method {string.Join(", ", notRun)}: "
                            + $"compared {string.Join(", ", methods)}. Name -Method to see why each is refused.");
                    }
                }
                var rows = MethodComparer.Compare(workload, methods, Optimizer, Precision, Adapter, FrameworkDefaults);
                foreach (var row in rows) WriteEstimateWarnings(row.Estimate);
                WriteResults(rows);
            }
            catch (VramException e)
            {
                WriteEngineError(e);
            }
        }
    }
}
