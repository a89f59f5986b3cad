using System.Collections.Generic;
using System.Management.Automation;
using VramPS.Engine;
using VramPS.Transformation;

namespace VramPS.Commands
{
    /// <summary>The workload parameters of a single run: one method, precision and optimizer.</summary>
    public abstract class SingleWorkloadCommandBase : WorkloadCommandBase
    {
        [Parameter(ParameterSetName = ModelSet, Position = 1, ValueFromPipelineByPropertyName = true)]
        [Parameter(ParameterSetName = ConfigSet, Position = 1, ValueFromPipelineByPropertyName = true)]
        [Parameter(ParameterSetName = ParamsSet, Position = 1, ValueFromPipelineByPropertyName = true)]
        [EmptyAsNull]
        public FinetuneMethod? Method { get; set; }

        [Parameter(ParameterSetName = ModelSet, ValueFromPipelineByPropertyName = true)]
        [Parameter(ParameterSetName = ConfigSet, ValueFromPipelineByPropertyName = true)]
        [Parameter(ParameterSetName = ParamsSet, ValueFromPipelineByPropertyName = true)]
        [EmptyAsNull]
        public Precision? Precision { get; set; }

        [Parameter(ParameterSetName = ModelSet, ValueFromPipelineByPropertyName = true)]
        [Parameter(ParameterSetName = ConfigSet, ValueFromPipelineByPropertyName = true)]
        [Parameter(ParameterSetName = ParamsSet, ValueFromPipelineByPropertyName = true)]
        [EmptyAsNull]
        public OptimizerKind? Optimizer { get; set; }

        /// <summary>
        /// The workload of the bound parameters with its method, precision and optimizer; warns about settings the
        /// method ignores. Throws VramException for bad input.
        /// </summary>
        protected Workload BuildSingleWorkload()
        {
            var w = BuildWorkload();
            if (Method != null) w.Method = Method.Value;
            if (Precision != null) w.Precision = Precision;
            if (Optimizer != null) w.Optimizer = Optimizer;
            WarnIgnored(w);
            return w;
        }

        private void WarnIgnored(Workload w)
        {
            bool adapter = w.Method == FinetuneMethod.LoRA || w.Method == FinetuneMethod.QLoRA;
            var ignored = new List<string>();
            if (!adapter && w.LoraRank != null) ignored.Add("-LoraRank");
            if (!adapter && w.LoraTargets != null && w.LoraTargets.Length > 0) ignored.Add("-LoraTargets");
            if (ignored.Count > 0)
            {
                bool one = ignored.Count == 1;
                WriteWarning($"{string.Join(" and ", ignored)} {(one ? "applies" : "apply")} to -Method LoRA and QLoRA only; " +
                             $"-Method {w.Method} ignores {(one ? "it" : "them")}.");
            }
            if (w.Method != FinetuneMethod.Freeze && w.TrainableLayers != null)
                WriteWarning($"-TrainableLayers applies to -Method Freeze only; -Method {w.Method} ignores it.");
        }
    }
}
