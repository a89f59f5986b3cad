using System.Management.Automation;
using VramPS.Engine;
using VramPS.Engine.Parsing;
using VramPS.Transformation;

namespace VramPS.Commands
{
    /// <summary>The library and framework releases a workload runs on, where a release changes what a step holds.</summary>
    public abstract partial class WorkloadCommandBase
    {
        [Parameter(ParameterSetName = ModelSet)]
        [Parameter(ParameterSetName = ConfigSet)]
        [Parameter(ParameterSetName = ParamsSet)]
        [Release]
        public string? TransformersVersion { get; set; }

        [Parameter(ParameterSetName = ModelSet)]
        [Parameter(ParameterSetName = ConfigSet)]
        [Parameter(ParameterSetName = ParamsSet)]
        [Release]
        public string? TorchVersion { get; set; }

        [Parameter(ParameterSetName = ModelSet)]
        [Parameter(ParameterSetName = ConfigSet)]
        [Parameter(ParameterSetName = ParamsSet)]
        [FrameworkVersionText]
        public string? FrameworkVersion { get; set; }

        private void ApplyLibrary(Workload w)
        {
            if (TransformersVersion != null) w.TransformersVersion = LibraryVersion.Parse(TransformersVersion, nameof(TransformersVersion));
            if (TorchVersion != null) w.TorchVersion = LibraryVersion.Parse(TorchVersion, nameof(TorchVersion));
            if (FrameworkVersion != null) w.FrameworkVersion = Engine.FrameworkVersion.Parse(FrameworkVersion, nameof(FrameworkVersion));
        }
    }
}
