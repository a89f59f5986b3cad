using System;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using VramPS.Completion;
using VramPS.Engine.Errors;
using VramPS.Engine.Estimation;
using VramPS.Engine.Gpus;
using VramPS.Engine.Planning;

namespace VramPS.Commands
{
    /// <summary>Tries a workload on every catalog GPU: whether it fits, on how many, and the largest micro-batch that fits.</summary>
    [Cmdlet(VerbsCommon.Find, "GpuFit", DefaultParameterSetName = ModelSet)]
    [OutputType(typeof(GpuFit))]
    public sealed class FindGpuFitCommand : SingleWorkloadCommandBase
    {
        public const string EstimateSet = "Estimate";

        private IReadOnlyList<GpuSpec> _gpus = Array.Empty<GpuSpec>();

        /// <summary>An estimate from Get-TrainingMemory: its workload is tried on each GPU.</summary>
        [Parameter(ParameterSetName = EstimateSet, Mandatory = true, ValueFromPipeline = true)]
        public TrainingMemoryEstimate? Estimate { get; set; }

        /// <summary>Catalog names of the GPUs to try, wildcards allowed; every catalog GPU when not given.</summary>
        [Parameter]
        [SupportsWildcards]
        [ArgumentCompleter(typeof(GpuNameCompleter))]
        [ValidateNotNullOrEmpty]
        public string[]? Gpu { get; set; }

        /// <summary>The most GPUs GpusNeeded may report.</summary>
        [Parameter]
        [ValidateRange(1, 4096)]
        public int MaxGpus { get; set; } = GpuFitFinder.DefaultMaxGpus;

        protected override void BeginProcessing()
        {
            base.BeginProcessing();
            _gpus = SelectGpus();
        }

        protected override void ProcessRecord()
        {
            try
            {
                var workload = Estimate != null && ParameterSetName == EstimateSet ? Estimate.Workload : BuildSingleWorkload();
                WriteObject(GpuFitFinder.Find(workload, _gpus, MaxGpus), true);
            }
            catch (VramException e)
            {
                WriteEngineError(e, Estimate?.Model);
            }
        }

        /// <summary>The GPUs -Gpu names: wildcards match names and aliases; a plain name that the catalog lacks is an error.</summary>
        private IReadOnlyList<GpuSpec> SelectGpus()
        {
            var all = GpuCatalog.Default.All;
            if (Gpu is null) return all;
            var chosen = new List<GpuSpec>();
            foreach (string filter in Gpu)
            {
                if (WildcardPattern.ContainsWildcardCharacters(filter))
                {
                    var pattern = WildcardPattern.Get(filter, WildcardOptions.IgnoreCase | WildcardOptions.CultureInvariant);
                    chosen.AddRange(all.Where(g => pattern.IsMatch(g.Name) || g.Aliases.Any(pattern.IsMatch)));
                    continue;
                }
                try
                {
                    chosen.Add(GpuCatalog.Default.Get(filter));
                }
                catch (UnknownNameException e)
                {
                    WriteEngineError(e);
                }
            }
            return chosen.Distinct().ToArray();
        }
    }
}
