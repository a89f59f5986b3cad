using System;
using System.Collections;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using VramPS.Completion;
using VramPS.Engine;
using VramPS.Engine.Errors;
using VramPS.Engine.Estimation;
using VramPS.Engine.Gpus;
using VramPS.Engine.Parsing;
using VramPS.Engine.Planning;
using VramPS.Transformation;

namespace VramPS.Commands
{
    /// <summary>
    /// Two jobs, by what it is given. An estimate (from Get-TrainingMemory) is a run as given: it is tried on each GPU
    /// (-Gpu, else the catalog): whether it fits, on how many, the largest micro-batch that fits and what to change
    /// when it does not. A model and method are planned: on the GPU types named by -Gpu (or a plan file's Gpu column),
    /// piped from Get-VramGpu, or else the whole catalog, the GPU count, parallel layout, sharding, checkpointing and
    /// micro-batch that fit, with their time and cost, within -MaxGpus, -Budget and an -Inventory of the user's GPUs.
    /// A GPU type that gets no plan is named in a warning with the reason.
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

        /// <summary>Catalog names of the GPUs to try an estimate on, or to plan a model on, wildcards allowed; every catalog GPU when not given.</summary>
        [Parameter]
        [SupportsWildcards]
        [ArgumentCompleter(typeof(GpuNameCompleter))]
        [CommaList]
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

        /// <summary>
        /// Fit against the high end of Total's range at this confidence (0.5 to 0.99), earned on VramPS's errors on
        /// validation runs of the same kind (about_VramPS_Accuracy), instead of against Total. Only where GPUs are tried
        /// (an estimate or -Gpu).
        /// </summary>
        [Parameter]
        [ValidateRange(0.5, 0.99)]
        public double? Confidence { get; set; }

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

        /// <summary>Whether this input is planned: a model, not an estimate. The parameter set is known only once a record is bound.</summary>
        private bool Planning => PipedEstimate is null;

        /// <summary>Resolves the command line's -Gpu once, before any row, so an unknown name is reported as the command line's, not a row's.</summary>
        protected override void BeginProcessing()
        {
            base.BeginProcessing();
            if (Gpu != null) _gpus = SelectGpus(Gpu);
        }

        protected override void ProcessRecord()
        {
            if (!ReadInput()) return;
            if (Planning && GpuSpec != null && Gpu is null)
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
                    if (Confidence != null)
                        throw new InvalidWorkloadException("Confidence",
                            "-Confidence applies where an estimate is tried on GPUs: pipe Get-TrainingMemory's estimate into Find-GpuFit; cluster plans fit against Total.");
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
                    var named = _gpus ?? (Gpu is null ? _piped.Distinct().ToArray() : SelectGpus(Gpu));
                    if (Gpu != null && named.Count == 0)
                    {
                        // A plain name the catalog lacks was an UnknownGpu error; patterns that match nothing say so here.
                        if (Gpu.All(GpuCatalog.IsPattern))
                            WriteWarning($"No plan: -Gpu {string.Join(", ", Gpu)} matches no GPU of the catalog.");
                        return;
                    }
                    var workload = BuildSingleWorkload();
                    var plans = ClusterPlanner.Plan(workload, Request(named, inventory), out var unplanned);
                    WarnUnplanned(workload, plans.Count == 0, named.Count > 0, unplanned);
                    foreach (var plan in plans) WriteEstimateWarnings(plan.Estimate);
                    WriteResults(plans);
                    return;
                }
                var fits = GpuFitFinder.Find(PipedEstimate!.Workload, _gpus ?? Gpus.All, MaxGpus, Confidence);
                foreach (var fit in fits) WriteEstimateWarnings(fit.Estimate);
                WriteResults(fits);
            }
            catch (VramException e)
            {
                WriteEngineError(e, PipedEstimate?.Model);
            }
        }

        /// <summary>
        /// Says why a plan is missing: for each GPU type the user named that has none, and, when a sweep of the catalog
        /// finds no plan at all, in one warning: the cheapest plan over -Budget, then each other reason with its GPUs.
        /// A sweep that finds plans drops the GPU types that have none without a word.
        /// </summary>
        private void WarnUnplanned(Workload workload, bool none, bool named, IReadOnlyList<UnplannedGpu> unplanned)
        {
            string model = workload.ModelName.Length > 0 ? workload.ModelName : workload.Model.Id;
            if (named)
            {
                foreach (var u in unplanned) WriteWarning($"No plan for {model} on {u.Gpu}: {Reason(u)}.");
                return;
            }
            if (!none) return;
            var reasons = new List<string>();
            var cheapest = unplanned.Where(u => u.CheapestCost != null).OrderBy(u => u.CheapestCost).FirstOrDefault();
            if (cheapest != null) reasons.Add($"on {cheapest.Gpu}, {cheapest.Why}");
            reasons.AddRange(unplanned.Where(u => u.CheapestCost is null).GroupBy(u => u.Why)
                .Select(g => $"{string.Join(", ", g.Select(u => u.Gpu))}: {g.Key}"));
            WriteWarning(reasons.Count == 0
                ? $"No plan for {model}: no GPU type to try (-Gpu, -Inventory)."
                : $"No plan for {model}: {string.Join("; ", reasons)}.");
        }

        /// <summary>The reason in words; one that speaks of the GPU itself ("has no bf16") names it.</summary>
        private static string Reason(UnplannedGpu u) => u.Why.StartsWith("has ", StringComparison.Ordinal) ? $"{u.Gpu} {u.Why}" : u.Why;

        private PlanRequest Request(IReadOnlyList<GpuSpec> named, IReadOnlyList<InventoryItem>? inventory) => new PlanRequest
        {
            Gpus = named.Count > 0 ? named : Gpus.All,
            GpusChosen = named.Count > 0,
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

        /// <summary>The GPUs -Gpu (or a row's Gpu column) names: patterns (* and ?) match names and aliases; a plain name that the catalog lacks is an error.</summary>
        private IReadOnlyList<GpuSpec> SelectGpus(string[] names)
        {
            var chosen = new List<GpuSpec>();
            foreach (string filter in names)
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
