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

        private void ApplyLibrary(Workload w, Engine.Framework? rowFramework)
        {
            if (TransformersVersion != null) w.TransformersVersion = LibraryVersion.Parse(TransformersVersion, nameof(TransformersVersion));
            if (TorchVersion != null) w.TorchVersion = LibraryVersion.Parse(TorchVersion, nameof(TorchVersion));
            if (FrameworkVersion != null) w.FrameworkVersion = Engine.FrameworkVersion.Parse(FrameworkVersion, nameof(FrameworkVersion));
            DropForeignRelease(w, rowFramework);
        }

        /// <summary>
        /// A release piped in (a cell, an estimate's workload) is a release of the framework the row names: where the
        /// command line names another -Framework and no -FrameworkVersion, it is dropped with a warning rather than read
        /// against the other framework's history (a litgpt checkout's date is no torchtitan checkout).
        /// </summary>
        private void DropForeignRelease(Workload w, Engine.Framework? rowFramework)
        {
            if (w.FrameworkVersion is null || rowFramework is null || rowFramework == w.Framework
                || !_commandLine.Contains(nameof(Framework)) || _commandLine.Contains(nameof(FrameworkVersion))) return;
            WriteWarning($"{_row}'s FrameworkVersion {w.FrameworkVersion} is a {FrameworkNames.ToName(rowFramework.Value)} release; -Framework {FrameworkNames.ToName(w.Framework ?? Engine.Framework.HfTrainer)} is estimated without it. Give -{nameof(FrameworkVersion)} for its release.");
            w.FrameworkVersion = null;
        }

        /// <summary>The framework the piped row names: its workload's, or its Framework cell's (null where it names none or none known).</summary>
        private Engine.Framework? RowFramework(Workload w)
        {
            if (w.Framework != null || _row is null || !_row.HasSettings) return w.Framework;
            if (!_row.TryGet(new[] { nameof(Framework) }, out _, out object? cell) || string.IsNullOrWhiteSpace(cell?.ToString())) return null;
            try
            {
                return FrameworkNames.Read(cell!.ToString()!).Framework;
            }
            catch (Engine.Errors.InvalidWorkloadException)
            {
                return null;
            }
        }
    }
}
