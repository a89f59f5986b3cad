using System;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using VramPS.Completion;
using VramPS.Engine;
using VramPS.Engine.Errors;
using VramPS.Engine.Estimation;
using VramPS.Engine.Gpus;
using VramPS.Engine.Models;
using VramPS.Engine.Parsing;
using VramPS.Transformation;

namespace VramPS.Commands
{
    /// <summary>
    /// The parameters that describe a training run, shared by every VramPS cmdlet: the model (by catalog id, config
    /// file or parameter count) and the workload settings. Every setting is read from a piped object's property of its
    /// name (WorkloadCommandBase.Pipeline) and is nullable: null (or an empty CSV cell) means "not given", and the
    /// estimator fills in the default.
    /// </summary>
    public abstract partial class WorkloadCommandBase : PSCmdlet
    {
        public const string ModelSet = "Model";
        public const string ConfigSet = "Config";
        public const string ParamsSet = "Params";
        /// <summary>
        /// The default set: no model named. PowerShell binds a piped object's properties to the default set first, so
        /// with a model set as default an object with a typed property (BatchSize = 4) was held to -Model and a -Params
        /// row failed; this set takes no piped property and only reports that no model was named.
        /// </summary>
        public const string NoModelSet = "NoModel";

        public const string UnknownModel = nameof(UnknownModel);
        public const string UnknownGpu = nameof(UnknownGpu);
        public const string InvalidWorkload = nameof(InvalidWorkload);
        public const string InvalidModelFile = nameof(InvalidModelFile);
        public const string InvalidCatalogFile = nameof(InvalidCatalogFile);

        [Parameter(ParameterSetName = ModelSet, Mandatory = true, Position = 0, ValueFromPipelineByPropertyName = true)]
        [ArgumentCompleter(typeof(ModelNameCompleter))]
        [EmptyAsNull]
        public string Model { get; set; } = "";

        [Parameter(ParameterSetName = ConfigSet, Mandatory = true, ValueFromPipelineByPropertyName = true)]
        [Alias("PSPath")]
        [EmptyAsNull]
        public string ConfigPath { get; set; } = "";

        [Parameter(ParameterSetName = ParamsSet, Mandatory = true, ValueFromPipelineByPropertyName = true)]
        [EmptyAsNull]
        public string Params { get; set; } = "";

        [Parameter(ParameterSetName = ModelSet)]
        [Parameter(ParameterSetName = ConfigSet)]
        [Parameter(ParameterSetName = ParamsSet)]
        [WholeNumber]
        public int? BatchSize { get; set; }

        [Parameter(ParameterSetName = ModelSet)]
        [Parameter(ParameterSetName = ConfigSet)]
        [Parameter(ParameterSetName = ParamsSet)]
        [TokenLength]
        public int? SequenceLength { get; set; }

        [Parameter(ParameterSetName = ModelSet)]
        [Parameter(ParameterSetName = ConfigSet)]
        [Parameter(ParameterSetName = ParamsSet)]
        [WholeNumber]
        public int? GradientAccumulation { get; set; }

        [Parameter(ParameterSetName = ModelSet)]
        [Parameter(ParameterSetName = ConfigSet)]
        [Parameter(ParameterSetName = ParamsSet)]
        [EnumName(typeof(Checkpointing))]
        public Checkpointing? Checkpointing { get; set; }

        [Parameter(ParameterSetName = ModelSet)]
        [Parameter(ParameterSetName = ConfigSet)]
        [Parameter(ParameterSetName = ParamsSet)]
        [EnumName(typeof(AttentionKernel))]
        public AttentionKernel? Attention { get; set; }

        [Parameter(ParameterSetName = ModelSet)]
        [Parameter(ParameterSetName = ConfigSet)]
        [Parameter(ParameterSetName = ParamsSet)]
        [WholeNumber]
        public int? LoraRank { get; set; }

        [Parameter(ParameterSetName = ModelSet)]
        [Parameter(ParameterSetName = ConfigSet)]
        [Parameter(ParameterSetName = ParamsSet)]
        [CommaList]
        public string[]? LoraTargets { get; set; }

        [Parameter(ParameterSetName = ModelSet)]
        [Parameter(ParameterSetName = ConfigSet)]
        [Parameter(ParameterSetName = ParamsSet)]
        [EnumName(typeof(Quantization))]
        public Quantization? Quantization { get; set; }

        [Parameter(ParameterSetName = ModelSet)]
        [Parameter(ParameterSetName = ConfigSet)]
        [Parameter(ParameterSetName = ParamsSet)]
        [WholeNumber]
        public int? TrainableLayers { get; set; }

        [Parameter(ParameterSetName = ModelSet)]
        [Parameter(ParameterSetName = ConfigSet)]
        [Parameter(ParameterSetName = ParamsSet)]
        [WholeNumber]
        public int? GpuCount { get; set; }

        [Parameter(ParameterSetName = ModelSet)]
        [Parameter(ParameterSetName = ConfigSet)]
        [Parameter(ParameterSetName = ParamsSet)]
        [EnumName(typeof(Sharding))]
        public Sharding? Sharding { get; set; }

        [Parameter(ParameterSetName = ModelSet)]
        [Parameter(ParameterSetName = ConfigSet)]
        [Parameter(ParameterSetName = ParamsSet)]
        [EnumName(typeof(Offload))]
        public Offload? Offload { get; set; }

        [Parameter(ParameterSetName = ModelSet)]
        [Parameter(ParameterSetName = ConfigSet)]
        [Parameter(ParameterSetName = ParamsSet)]
        /// <summary>
        /// Techniques on top of the trainer's defaults, a comma list. Typed object, read into Techniques by EnumName,
        /// because PowerShell completes an enum-typed parameter itself (offering names the list already holds) and never
        /// calls its completer.
        /// </summary>
        [EnumName(typeof(Techniques))]
        [ArgumentCompleter(typeof(TechniqueNameCompleter))]
        public object? Techniques { get; set; }

        [Parameter(ParameterSetName = ModelSet)]
        [Parameter(ParameterSetName = ConfigSet)]
        [Parameter(ParameterSetName = ParamsSet)]
        [ArgumentCompleter(typeof(FrameworkNameCompleter))]
        [EmptyAsNull]
        public string? Framework { get; set; }

        [Parameter(ParameterSetName = ModelSet)]
        [Parameter(ParameterSetName = ConfigSet)]
        [Parameter(ParameterSetName = ParamsSet)]
        [WholeNumber]
        public int? TensorParallel { get; set; }

        [Parameter(ParameterSetName = ModelSet)]
        [Parameter(ParameterSetName = ConfigSet)]
        [Parameter(ParameterSetName = ParamsSet)]
        [WholeNumber]
        public int? PipelineParallel { get; set; }

        [Parameter(ParameterSetName = ModelSet)]
        [Parameter(ParameterSetName = ConfigSet)]
        [Parameter(ParameterSetName = ParamsSet)]
        [EnumName(typeof(PipelineSchedule))]
        public PipelineSchedule? PipelineSchedule { get; set; }

        [Parameter(ParameterSetName = ModelSet)]
        [Parameter(ParameterSetName = ConfigSet)]
        [Parameter(ParameterSetName = ParamsSet)]
        [WholeNumber]
        public int? VirtualStages { get; set; }

        [Parameter(ParameterSetName = ModelSet)]
        [Parameter(ParameterSetName = ConfigSet)]
        [Parameter(ParameterSetName = ParamsSet)]
        [SwitchValue]
        public SwitchParameter SequenceParallel { get; set; }

        [Parameter(ParameterSetName = ModelSet)]
        [Parameter(ParameterSetName = ConfigSet)]
        [Parameter(ParameterSetName = ParamsSet)]
        [WholeNumber]
        public int? ContextParallel { get; set; }

        [Parameter(ParameterSetName = ModelSet)]
        [Parameter(ParameterSetName = ConfigSet)]
        [Parameter(ParameterSetName = ParamsSet)]
        [WholeNumber]
        public int? ExpertParallel { get; set; }

        [Parameter(ParameterSetName = ModelSet)]
        [Parameter(ParameterSetName = ConfigSet)]
        [Parameter(ParameterSetName = ParamsSet)]
        [WholeNumber]
        public int? GpusPerNode { get; set; }

        /// <summary>A GPU catalog file whose entries add to and override the embedded catalog.</summary>
        [Parameter]
        [ValidateNotNullOrEmpty]
        public string? GpuCatalogPath { get; set; }

        /// <summary>A model catalog file whose entries add to and override the embedded catalog.</summary>
        [Parameter]
        [ValidateNotNullOrEmpty]
        public string? ModelCatalogPath { get; set; }

        /// <summary>The GPU catalog in use: the embedded one with -GpuCatalogPath merged over it.</summary>
        protected GpuCatalog Gpus { get; private set; } = GpuCatalog.Default;

        /// <summary>The model catalog in use: the embedded one with -ModelCatalogPath merged over it.</summary>
        protected ModelCatalog Models { get; private set; } = ModelCatalog.Default;

        protected override void BeginProcessing()
        {
            _commandLine.UnionWith(MyInvocation.BoundParameters.Keys);
            Gpus = CatalogFiles.Gpus(this, GpuCatalogPath);
            Models = CatalogFiles.Models(this, ModelCatalogPath);
        }

        /// <summary>
        /// The workload the bound parameters describe: the piped workload (when its model is the one to use) or a new
        /// one for the resolved model, with every given setting applied. Throws VramException for bad input.
        /// </summary>
        protected Workload BuildWorkload()
        {
            var w = BaseWorkload();
            var rowFramework = RowFramework(w);
            if (BatchSize != null) w.BatchSize = BatchSize;
            if (SequenceLength != null) w.SequenceLength = SequenceLength;
            if (GradientAccumulation != null) w.GradientAccumulation = GradientAccumulation;
            if (Checkpointing != null) w.Checkpointing = Checkpointing;
            if (Attention != null) w.Attention = Attention;
            if (LoraRank != null) w.LoraRank = LoraRank;
            if (LoraTargets != null) w.LoraTargets = LoraTargets;
            if (Quantization != null) w.Quantization = Quantization;
            if (TrainableLayers != null) w.TrainableLayers = TrainableLayers;
            if (GpuCount != null) w.GpuCount = GpuCount;
            if (Sharding != null) w.Sharding = Sharding;
            if (Offload != null) w.Offload = Offload;
            if (Techniques != null) w.Techniques = (Techniques)Techniques;
            if (Framework != null)
            {
                var framework = FrameworkNames.Read(Framework);
                w.Framework = framework.Framework;
                w.FrameworkNotes = framework.Notes.Count == 0 ? null : framework.Notes.ToArray();
            }
            if (TensorParallel != null) w.TensorParallel = TensorParallel;
            if (PipelineParallel != null) w.PipelineParallel = PipelineParallel;
            if (PipelineSchedule != null) w.PipelineSchedule = PipelineSchedule;
            if (VirtualStages != null) w.VirtualStages = VirtualStages;
            if (Given(nameof(SequenceParallel))) w.SequenceParallel = SequenceParallel.IsPresent;
            if (ContextParallel != null) w.ContextParallel = ContextParallel;
            if (ExpertParallel != null) w.ExpertParallel = ExpertParallel;
            if (GpusPerNode != null) w.GpusPerNode = GpusPerNode;
            ApplyStage(w);
            ApplyLibrary(w, rowFramework);
            ApplyVision(w);
            ApplyAdapter(w);
            return w;
        }

        /// <summary>A new workload for the model a set names (Model, Config or Params); no set or a blank name is "no model named".</summary>
        private Workload ResolveModel(string? set, string name)
        {
            if (string.IsNullOrWhiteSpace(name)) set = null;
            switch (set)
            {
                case ConfigSet:
                    return new Workload(HfConfigReader.Read(FileSystemPath(name))) { ModelName = name };
                case ParamsSet:
                    return new Workload(ModelArchitecture.LlamaLike(ParameterSize.Parse(name))) { ModelName = name.Trim() };
                case ModelSet:
                    var model = Models.Get(name);
                    if (Models.Find(name) != null) return new Workload(model) { ModelName = name.Trim() };
                    WriteWarning($"-Model '{name}' was taken as {model.Id}, the one catalog entry whose name contains it.");
                    return new Workload(model) { ModelName = model.Id };
                default:
                    throw new InvalidWorkloadException("Model",
                        "No model named: give -Model (a catalog name or alias), -ConfigPath (a Hugging Face config.json) or -Params (a size such as 7B).");
            }
        }

        /// <summary>
        /// -ConfigPath as a file system path. Text PowerShell cannot resolve (a URL such as https://..., an unknown drive)
        /// goes to the engine as given, which refuses it naming the path; a path on another provider (Env:, Function:) is
        /// refused here.
        /// </summary>
        private string FileSystemPath(string path)
        {
            string resolved;
            ProviderInfo provider;
            try
            {
                resolved = SessionState.Path.GetUnresolvedProviderPathFromPSPath(path, out provider, out _);
            }
            catch (Exception e) when (e is SessionStateException || e is NotSupportedException)
            {
                return path;
            }
            if (provider.Name != "FileSystem")
                throw new InvalidDataFileException(path, $"is a path on the {provider.Name} provider; -ConfigPath reads files only.");
            return resolved;
        }

        /// <summary>How the command line names its model, for error records.</summary>
        private string ModelLabel => ParameterSetName switch
        {
            ConfigSet => ConfigPath,
            ParamsSet => Params,
            _ => Model,
        };

        /// <summary>
        /// Writes an estimate's warnings as PowerShell warnings, each once per pipeline however many rows, GPUs or
        /// methods it concerns (every estimate keeps its own in Warnings).
        /// </summary>
        protected void WriteEstimateWarnings(TrainingMemoryEstimate estimate)
        {
            foreach (string warning in estimate.Warnings.Where(_warned.Add)) WriteWarning(warning);
        }

        private readonly HashSet<string> _warned = new HashSet<string>(StringComparer.Ordinal);

        /// <summary>
        /// Writes an engine error as a non-terminating ErrorRecord with a stable id and category. The target is the
        /// unknown name, the bad file, or else the given target or the current input's model.
        /// </summary>
        protected void WriteEngineError(VramException exception, object? target = null)
        {
            switch (exception)
            {
                case UnknownNameException unknown:
                    WriteError(OnRow(new ErrorRecord(exception, unknown.Parameter == "Gpu" ? UnknownGpu : UnknownModel,
                        ErrorCategory.ObjectNotFound, unknown.Value)));
                    break;
                case InvalidDataFileException file:
                    WriteError(OnRow(new ErrorRecord(exception, InvalidModelFile, ErrorCategory.InvalidData, file.Path)));
                    break;
                default:
                    WriteError(OnRow(new ErrorRecord(exception, InvalidWorkload, ErrorCategory.InvalidArgument, target ?? ModelLabel)));
                    break;
            }
        }
    }
}
