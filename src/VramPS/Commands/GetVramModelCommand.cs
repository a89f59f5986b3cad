using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using VramPS.Completion;
using VramPS.Engine.Errors;
using VramPS.Engine.Models;

namespace VramPS.Commands
{
    /// <summary>Lists the models the catalog knows (the embedded one, with -ModelCatalogPath merged over it), filtered by id or alias.</summary>
    [Cmdlet(VerbsCommon.Get, "VramModel")]
    [OutputType(typeof(ModelInfo))]
    public sealed class GetVramModelCommand : PSCmdlet
    {
        /// <summary>FullyQualifiedErrorId of a -Name that is not a valid wildcard pattern.</summary>
        public const string InvalidPattern = nameof(InvalidPattern);

        /// <summary>Hugging Face ids or aliases, wildcards allowed; every model when not given.</summary>
        [Parameter(Position = 0, ValueFromPipeline = true)]
        [SupportsWildcards]
        [ArgumentCompleter(typeof(ModelNameCompleter))]
        [ValidateNotNullOrEmpty]
        public string[] Name { get; set; } = { "*" };

        [Parameter]
        [ValidateNotNullOrEmpty]
        public string? ModelCatalogPath { get; set; }

        private ModelCatalog _catalog = ModelCatalog.Default;
        private readonly HashSet<string> _written = new HashSet<string>(System.StringComparer.OrdinalIgnoreCase);

        protected override void BeginProcessing()
        {
            _catalog = CatalogFiles.Models(this, ModelCatalogPath);
        }

        protected override void ProcessRecord()
        {
            foreach (string name in Name)
            {
                if (WildcardPattern.ContainsWildcardCharacters(name))
                {
                    WildcardPattern pattern;
                    try
                    {
                        pattern = NamePattern.Get(name, "Name");
                    }
                    catch (InvalidWorkloadException e)
                    {
                        WriteError(new ErrorRecord(e, InvalidPattern, ErrorCategory.InvalidArgument, name));
                        continue;
                    }
                    foreach (var model in _catalog.All.Where(m => pattern.IsMatch(m.Id) || m.Aliases.Any(pattern.IsMatch)))
                    {
                        if (_written.Add(model.Id)) WriteObject(new ModelInfo(model));
                    }
                    continue;
                }
                // A plain name: the entry it names, else every entry whose id or alias contains it ("gemma").
                var found = _catalog.Search(name);
                if (found.Count == 0)
                {
                    var e = new UnknownNameException("Name", name, _catalog.ClosestNames(name, 5));
                    WriteError(new ErrorRecord(e, WorkloadCommandBase.UnknownModel, ErrorCategory.ObjectNotFound, name));
                }
                foreach (var model in found)
                {
                    if (_written.Add(model.Id)) WriteObject(new ModelInfo(model));
                }
            }
        }
    }
}
