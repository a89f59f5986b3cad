using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using VramPS.Completion;
using VramPS.Engine.Errors;
using VramPS.Engine.Gpus;

namespace VramPS.Commands
{
    /// <summary>Lists the GPUs the catalog knows (the embedded one, with -GpuCatalogPath merged over it), filtered by name or alias.</summary>
    [Cmdlet(VerbsCommon.Get, "VramGpu")]
    [OutputType(typeof(GpuSpec))]
    public sealed class GetVramGpuCommand : PSCmdlet
    {
        /// <summary>Names or aliases, wildcards allowed; every GPU when not given.</summary>
        [Parameter(Position = 0, ValueFromPipeline = true)]
        [SupportsWildcards]
        [ArgumentCompleter(typeof(GpuNameCompleter))]
        [ValidateNotNullOrEmpty]
        public string[] Name { get; set; } = { "*" };

        [Parameter]
        [ValidateNotNullOrEmpty]
        public string? GpuCatalogPath { get; set; }

        private GpuCatalog _catalog = GpuCatalog.Default;
        private readonly HashSet<GpuSpec> _written = new HashSet<GpuSpec>();

        protected override void BeginProcessing()
        {
            _catalog = CatalogFiles.Gpus(this, GpuCatalogPath);
        }

        protected override void ProcessRecord()
        {
            foreach (string name in Name)
            {
                var found = _catalog.Search(name);
                if (found.Count == 0 && !GpuCatalog.IsPattern(name))
                {
                    var e = new UnknownNameException("Name", name, _catalog.ClosestNames(name, 5));
                    WriteError(new ErrorRecord(e, WorkloadCommandBase.UnknownGpu, ErrorCategory.ObjectNotFound, name));
                }
                foreach (var gpu in found.Where(_written.Add)) WriteObject(gpu);
            }
        }
    }
}
