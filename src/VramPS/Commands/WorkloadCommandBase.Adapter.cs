using System.Management.Automation;
using VramPS.Engine;
using VramPS.Transformation;

namespace VramPS.Commands
{
    /// <summary>
    /// The settings of the parameter-efficient methods that change memory (the method itself is -Adapter), and the
    /// projection rank of the optimizers that project gradients (GaLore, APOLLO).
    /// </summary>
    public abstract partial class WorkloadCommandBase
    {
        [Parameter(ParameterSetName = ModelSet)]
        [Parameter(ParameterSetName = ConfigSet)]
        [Parameter(ParameterSetName = ParamsSet)]
        [WholeNumber]
        public int? VirtualTokens { get; set; }

        [Parameter(ParameterSetName = ModelSet)]
        [Parameter(ParameterSetName = ConfigSet)]
        [Parameter(ParameterSetName = ParamsSet)]
        [WholeNumber]
        public int? OftBlockSize { get; set; }

        [Parameter(ParameterSetName = ModelSet)]
        [Parameter(ParameterSetName = ConfigSet)]
        [Parameter(ParameterSetName = ParamsSet)]
        [WholeNumber]
        public int? LokrFactor { get; set; }

        [Parameter(ParameterSetName = ModelSet)]
        [Parameter(ParameterSetName = ConfigSet)]
        [Parameter(ParameterSetName = ParamsSet)]
        [WholeNumber]
        public int? AdaLoraInitialRank { get; set; }

        [Parameter(ParameterSetName = ModelSet)]
        [Parameter(ParameterSetName = ConfigSet)]
        [Parameter(ParameterSetName = ParamsSet)]
        [WholeNumber]
        public int? OptimizerRank { get; set; }

        private void ApplyAdapter(Workload w)
        {
            if (VirtualTokens != null) w.VirtualTokens = VirtualTokens;
            if (OftBlockSize != null) w.OftBlockSize = OftBlockSize;
            if (LokrFactor != null) w.LokrFactor = LokrFactor;
            if (AdaLoraInitialRank != null) w.AdaLoraInitialRank = AdaLoraInitialRank;
            if (OptimizerRank != null) w.OptimizerRank = OptimizerRank;
        }
    }
}
