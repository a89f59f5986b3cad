using System;
using System.Collections;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using VramPS.Completion;
using VramPS.Engine.Errors;
using VramPS.Engine.Estimation;
using VramPS.Engine.Gpus;
using VramPS.Engine.Parsing;
using VramPS.Engine.Planning;

namespace VramPS.Commands
{
    /// <summary>
    /// Two jobs. Given an estimate, or GPU names with -Gpu, it tries the workload on each GPU: whether it fits, on how
    /// many, the largest micro-batch that fits and what to change when it does not. Given a model and method without
    /// -Gpu, it plans clusters: GPU type, count, parallel layout, sharding, checkpointing and micro-batch that fit,
    /// with their time and cost, within -MaxGpus, -Budget and an -Inventory of the user's GPUs.
    /// </summary>
    [Cmdlet(VerbsCommon.Find, "GpuFit", DefaultParameterSetName = NoModelSet)]
    [OutputType(typeof(GpuFit), typeof(ClusterPlan))]
    public sealed class FindGpuFitCommand : SingleWorkloadCommandBase
    {
        public const string EstimateSet = "Estimate";
        public const string InvalidInventoryFile = nameof(InvalidInventoryFile);

        private const string AllSets = "__AllParameterSets";

        private IReadOnlyList<GpuSpec>? _gpus;
        private bool? _onlyEstimateParameters;
        private readonly List<GpuSpec> _piped = new List<GpuSpec>();

        /// <summary>An estimate from Get-TrainingMemory: its workload is tried on each GPU.</summary>
        [Parameter(ParameterSetName = EstimateSet, Mandatory = true, ValueFromPipeline = true)]
        public TrainingMemoryEstimate? Estimate { get; set; }

        /// <summary>Catalog names of the GPUs to try the workload as given on, wildcards allowed; every catalog GPU for an estimate when not given.</summary>
        [Parameter]
        [SupportsWildcards]
        [ArgumentCompleter(typeof(GpuNameCompleter))]
        [ValidateNotNullOrEmpty]
        public string[]? Gpu { get; set; }

        /// <summary>The GPU types to plan on, as catalog entries (from Get-VramGpu).</summary>
        [Parameter(ParameterSetName = ModelSet, ValueFromPipeline = true)]
        [Parameter(ParameterSetName = ConfigSet, ValueFromPipeline = true)]
        [Parameter(ParameterSetName = ParamsSet, ValueFromPipeline = true)]
        public GpuSpec[]? GpuSpec { get; set; }

        /// <summary>The most GPUs a plan (or GpusNeeded) may use.</summary>
        [Parameter]
        [ValidateRange(1, 4096)]
        public int MaxGpus { get; set; } = GpuFitFinder.DefaultMaxGpus;

        /// <summary>The most a plan may cost, USD.</summary>
        [Parameter(ParameterSetName = ModelSet)]
        [Parameter(ParameterSetName = ConfigSet)]
        [Parameter(ParameterSetName = ParamsSet)]
        [ValidateRange(0.01, 1e12)]
        public double? Budget { get; set; }

        [Parameter(ParameterSetName = ModelSet)]
        [Parameter(ParameterSetName = ConfigSet)]
        [Parameter(ParameterSetName = ParamsSet)]
        public PlanSortOrder SortBy { get; set; } = PlanSortOrder.Cost;

        /// <summary>The user's GPUs: inventory file paths (JSON or CSV) or objects with Gpu and Count properties.</summary>
        [Parameter(ParameterSetName = ModelSet)]
        [Parameter(ParameterSetName = ConfigSet)]
        [Parameter(ParameterSetName = ParamsSet)]
        [ValidateNotNullOrEmpty]
        public object[]? Inventory { get; set; }

        /// <summary>
        /// The estimate piped with no workload setting on the command line: PowerShell binds it to -Estimate, or, as the
        /// default set also takes any piped object, to -InputObject.
        /// </summary>
        private TrainingMemoryEstimate? PipedEstimate =>
            ParameterSetName == EstimateSet ? Estimate
            : OnlyEstimateParameters ? (InputObject is PSObject wrapped ? wrapped.BaseObject : InputObject) as TrainingMemoryEstimate
            : null;

        /// <summary>Whether every parameter on the command line belongs to the Estimate set (or to every set).</summary>
        private bool OnlyEstimateParameters => _onlyEstimateParameters ??= CommandLine.All(name =>
            MyInvocation.MyCommand.Parameters[name].ParameterSets.Keys.Any(set => set == EstimateSet || set == AllSets));

        /// <summary>Whether this input is planned: a workload without -Gpu. The parameter set is known only once a record is bound.</summary>
        private bool Planning => PipedEstimate is null && Gpu is null;

        /// <summary>Resolves -Gpu once, before any row, so an unknown name is reported as the command line's, not a row's.</summary>
        protected override void BeginProcessing()
        {
            base.BeginProcessing();
            _gpus = SelectGpus();
        }

        protected override void ProcessRecord()
        {
            if (!ReadInput()) return;
            if (Planning && GpuSpec != null)
            {
                _piped.AddRange(GpuSpec);
                return;
            }
            Run();
        }

        protected override void EndProcessing()
        {
            if (_piped.Count > 0) Run();
        }

        private void Run()
        {
            try
            {
                if (Planning)
                {
                    IReadOnlyList<InventoryItem>? inventory;
                    try
                    {
                        inventory = Inventory is null ? null : ReadInventory(Inventory);
                    }
                    catch (InvalidDataFileException e)
                    {
                        WriteError(new ErrorRecord(e, InvalidInventoryFile, ErrorCategory.InvalidData, e.Path));
                        return;
                    }
                    WriteResults(ClusterPlanner.Plan(BuildSingleWorkload(), Request(inventory)));
                    return;
                }
                var workload = PipedEstimate?.Workload ?? BuildSingleWorkload();
                WriteResults(GpuFitFinder.Find(workload, _gpus ?? Gpus.All, MaxGpus));
            }
            catch (VramException e)
            {
                WriteEngineError(e, PipedEstimate?.Model);
            }
        }

        private PlanRequest Request(IReadOnlyList<InventoryItem>? inventory) => new PlanRequest
        {
            Gpus = _piped.Count > 0 ? _piped.Distinct().ToArray() : Gpus.All,
            MaxGpus = MaxGpus,
            Budget = Budget,
            SortBy = SortBy,
            Run = RunSettings,
            Inventory = inventory,
        };

        /// <summary>Inventory lines from file paths and from objects with Gpu and Count properties; GPU names resolve in the catalog in use.</summary>
        private IReadOnlyList<InventoryItem> ReadInventory(object[] entries)
        {
            var items = new List<InventoryItem>();
            foreach (object entry in entries)
            {
                object value = entry is PSObject wrapped ? wrapped.BaseObject : entry;
                switch (value)
                {
                    case InventoryItem item:
                        items.Add(item);
                        break;
                    case string path:
                        items.AddRange(GpuInventory.Load(SessionState.Path.GetUnresolvedProviderPathFromPSPath(path), Gpus));
                        break;
                    default:
                        items.Add(InventoryLine(entry));
                        break;
                }
            }
            return items;
        }

        private InventoryItem InventoryLine(object entry)
        {
            object? gpu = Field(entry, "Gpu");
            int? count;
            try
            {
                count = SettingValue.WholeNumber(Field(entry, "Count"));
            }
            catch (InvalidSettingValueException e)
            {
                throw new InvalidWorkloadException("Inventory", $"-Inventory entry '{entry}': Count {e.Message}");
            }
            if (gpu is null || count is null || count < 1)
            {
                throw new InvalidWorkloadException("Inventory",
                    $"-Inventory entry '{entry}' needs a Gpu and a Count of at least 1: give an inventory file path or objects with Gpu and Count.");
            }
            return new InventoryItem(gpu as GpuSpec ?? Gpus.Get(gpu.ToString(), "Gpu"), count.Value);
        }

        /// <summary>A property of an object or a key of a hashtable, case-insensitively, unwrapped.</summary>
        private static object? Field(object entry, string name)
        {
            object value = entry is PSObject wrapped ? wrapped.BaseObject : entry;
            object? found = null;
            if (value is IDictionary table)
            {
                foreach (DictionaryEntry e in table)
                {
                    if (string.Equals(e.Key?.ToString(), name, StringComparison.OrdinalIgnoreCase)) found = e.Value;
                }
            }
            else
            {
                found = PSObject.AsPSObject(entry).Properties[name]?.Value;
            }
            return found is PSObject inner ? inner.BaseObject : found;
        }

        /// <summary>The GPUs -Gpu names: wildcards match names and aliases; a plain name that the catalog lacks is an error.</summary>
        private IReadOnlyList<GpuSpec> SelectGpus()
        {
            var all = Gpus.All;
            if (Gpu is null) return all;
            var chosen = new List<GpuSpec>();
            foreach (string filter in Gpu)
            {
                if (GpuCatalog.IsPattern(filter))
                {
                    chosen.AddRange(Gpus.Search(filter));
                    continue;
                }
                try
                {
                    chosen.Add(Gpus.Get(filter));
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
