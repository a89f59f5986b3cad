using System;
using System.Management.Automation;
using VramPS.Completion;
using VramPS.Engine;
using VramPS.Engine.Errors;
using VramPS.Engine.Gpus;
using VramPS.Engine.Models;
using VramPS.Engine.Parsing;
using VramPS.Transformation;

namespace VramPS.Commands
{
    /// <summary>
    /// The parameters that describe a training run, shared by every VramPS cmdlet: the model (by catalog id, config
    /// file or parameter count) and the workload settings. Every setting binds by property name from the pipeline
    /// and is nullable: null (or an empty CSV cell) means "not given", and the estimator fills in the default.
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

        private bool _modelOnCommandLine;

        [Parameter(ParameterSetName = ModelSet, Mandatory = true, Position = 0, ValueFromPipelineByPropertyName = true)]
        [ArgumentCompleter(typeof(ModelNameCompleter))]
        [ValidateNotNullOrEmpty]
        public string Model { get; set; } = "";

        [Parameter(ParameterSetName = ConfigSet, Mandatory = true, ValueFromPipelineByPropertyName = true)]
        [Alias("PSPath")]
        [ValidateNotNullOrEmpty]
        public string ConfigPath { get; set; } = "";

        [Parameter(ParameterSetName = ParamsSet, Mandatory = true, ValueFromPipelineByPropertyName = true)]
        [ValidateNotNullOrEmpty]
        public string Params { get; set; } = "";

        /// <summary>The workload of a piped estimate or comparison row: its model architecture and settings are the base.</summary>
        [Parameter(ParameterSetName = ModelSet, ValueFromPipelineByPropertyName = true, DontShow = true)]
        [Parameter(ParameterSetName = ConfigSet, ValueFromPipelineByPropertyName = true, DontShow = true)]
        [Parameter(ParameterSetName = ParamsSet, ValueFromPipelineByPropertyName = true, DontShow = true)]
        public Workload? Workload { get; set; }

        [Parameter(ParameterSetName = ModelSet, ValueFromPipelineByPropertyName = true)]
        [Parameter(ParameterSetName = ConfigSet, ValueFromPipelineByPropertyName = true)]
        [Parameter(ParameterSetName = ParamsSet, ValueFromPipelineByPropertyName = true)]
        [EmptyAsNull]
        public int? BatchSize { get; set; }

        [Parameter(ParameterSetName = ModelSet, ValueFromPipelineByPropertyName = true)]
        [Parameter(ParameterSetName = ConfigSet, ValueFromPipelineByPropertyName = true)]
        [Parameter(ParameterSetName = ParamsSet, ValueFromPipelineByPropertyName = true)]
        [EmptyAsNull]
        public int? SequenceLength { get; set; }

        [Parameter(ParameterSetName = ModelSet, ValueFromPipelineByPropertyName = true)]
        [Parameter(ParameterSetName = ConfigSet, ValueFromPipelineByPropertyName = true)]
        [Parameter(ParameterSetName = ParamsSet, ValueFromPipelineByPropertyName = true)]
        [EmptyAsNull]
        public int? GradientAccumulation { get; set; }

        [Parameter(ParameterSetName = ModelSet, ValueFromPipelineByPropertyName = true)]
        [Parameter(ParameterSetName = ConfigSet, ValueFromPipelineByPropertyName = true)]
        [Parameter(ParameterSetName = ParamsSet, ValueFromPipelineByPropertyName = true)]
        [EmptyAsNull]
        public Checkpointing? Checkpointing { get; set; }

        [Parameter(ParameterSetName = ModelSet, ValueFromPipelineByPropertyName = true)]
        [Parameter(ParameterSetName = ConfigSet, ValueFromPipelineByPropertyName = true)]
        [Parameter(ParameterSetName = ParamsSet, ValueFromPipelineByPropertyName = true)]
        [EmptyAsNull]
        public AttentionKernel? Attention { get; set; }

        [Parameter(ParameterSetName = ModelSet, ValueFromPipelineByPropertyName = true)]
        [Parameter(ParameterSetName = ConfigSet, ValueFromPipelineByPropertyName = true)]
        [Parameter(ParameterSetName = ParamsSet, ValueFromPipelineByPropertyName = true)]
        [EmptyAsNull]
        public int? LoraRank { get; set; }

        [Parameter(ParameterSetName = ModelSet, ValueFromPipelineByPropertyName = true)]
        [Parameter(ParameterSetName = ConfigSet, ValueFromPipelineByPropertyName = true)]
        [Parameter(ParameterSetName = ParamsSet, ValueFromPipelineByPropertyName = true)]
        [CommaList]
        public string[]? LoraTargets { get; set; }

        [Parameter(ParameterSetName = ModelSet, ValueFromPipelineByPropertyName = true)]
        [Parameter(ParameterSetName = ConfigSet, ValueFromPipelineByPropertyName = true)]
        [Parameter(ParameterSetName = ParamsSet, ValueFromPipelineByPropertyName = true)]
        [EmptyAsNull]
        public Quantization? Quantization { get; set; }

        [Parameter(ParameterSetName = ModelSet, ValueFromPipelineByPropertyName = true)]
        [Parameter(ParameterSetName = ConfigSet, ValueFromPipelineByPropertyName = true)]
        [Parameter(ParameterSetName = ParamsSet, ValueFromPipelineByPropertyName = true)]
        [EmptyAsNull]
        public int? TrainableLayers { get; set; }

        [Parameter(ParameterSetName = ModelSet, ValueFromPipelineByPropertyName = true)]
        [Parameter(ParameterSetName = ConfigSet, ValueFromPipelineByPropertyName = true)]
        [Parameter(ParameterSetName = ParamsSet, ValueFromPipelineByPropertyName = true)]
        [EmptyAsNull]
        public int? GpuCount { get; set; }

        [Parameter(ParameterSetName = ModelSet, ValueFromPipelineByPropertyName = true)]
        [Parameter(ParameterSetName = ConfigSet, ValueFromPipelineByPropertyName = true)]
        [Parameter(ParameterSetName = ParamsSet, ValueFromPipelineByPropertyName = true)]
        [EmptyAsNull]
        public Sharding? Sharding { get; set; }

        [Parameter(ParameterSetName = ModelSet, ValueFromPipelineByPropertyName = true)]
        [Parameter(ParameterSetName = ConfigSet, ValueFromPipelineByPropertyName = true)]
        [Parameter(ParameterSetName = ParamsSet, ValueFromPipelineByPropertyName = true)]
        [EmptyAsNull]
        public Offload? Offload { get; set; }

        [Parameter(ParameterSetName = ModelSet, ValueFromPipelineByPropertyName = true)]
        [Parameter(ParameterSetName = ConfigSet, ValueFromPipelineByPropertyName = true)]
        [Parameter(ParameterSetName = ParamsSet, ValueFromPipelineByPropertyName = true)]
        [FlagsList(typeof(Techniques))]
        public Techniques? Techniques { get; set; }

        [Parameter(ParameterSetName = ModelSet, ValueFromPipelineByPropertyName = true)]
        [Parameter(ParameterSetName = ConfigSet, ValueFromPipelineByPropertyName = true)]
        [Parameter(ParameterSetName = ParamsSet, ValueFromPipelineByPropertyName = true)]
        [ArgumentCompleter(typeof(FrameworkNameCompleter))]
        [EmptyAsNull]
        public string? Framework { get; set; }

        [Parameter(ParameterSetName = ModelSet, ValueFromPipelineByPropertyName = true)]
        [Parameter(ParameterSetName = ConfigSet, ValueFromPipelineByPropertyName = true)]
        [Parameter(ParameterSetName = ParamsSet, ValueFromPipelineByPropertyName = true)]
        [EmptyAsNull]
        public int? TensorParallel { get; set; }

        [Parameter(ParameterSetName = ModelSet, ValueFromPipelineByPropertyName = true)]
        [Parameter(ParameterSetName = ConfigSet, ValueFromPipelineByPropertyName = true)]
        [Parameter(ParameterSetName = ParamsSet, ValueFromPipelineByPropertyName = true)]
        [EmptyAsNull]
        public int? PipelineParallel { get; set; }

        [Parameter(ParameterSetName = ModelSet, ValueFromPipelineByPropertyName = true)]
        [Parameter(ParameterSetName = ConfigSet, ValueFromPipelineByPropertyName = true)]
        [Parameter(ParameterSetName = ParamsSet, ValueFromPipelineByPropertyName = true)]
        [EmptyAsNull]
        public PipelineSchedule? PipelineSchedule { get; set; }

        [Parameter(ParameterSetName = ModelSet, ValueFromPipelineByPropertyName = true)]
        [Parameter(ParameterSetName = ConfigSet, ValueFromPipelineByPropertyName = true)]
        [Parameter(ParameterSetName = ParamsSet, ValueFromPipelineByPropertyName = true)]
        [EmptyAsNull]
        public int? VirtualStages { get; set; }

        [Parameter(ParameterSetName = ModelSet, ValueFromPipelineByPropertyName = true)]
        [Parameter(ParameterSetName = ConfigSet, ValueFromPipelineByPropertyName = true)]
        [Parameter(ParameterSetName = ParamsSet, ValueFromPipelineByPropertyName = true)]
        public SwitchParameter SequenceParallel { get; set; }

        [Parameter(ParameterSetName = ModelSet, ValueFromPipelineByPropertyName = true)]
        [Parameter(ParameterSetName = ConfigSet, ValueFromPipelineByPropertyName = true)]
        [Parameter(ParameterSetName = ParamsSet, ValueFromPipelineByPropertyName = true)]
        [EmptyAsNull]
        public int? ContextParallel { get; set; }

        [Parameter(ParameterSetName = ModelSet, ValueFromPipelineByPropertyName = true)]
        [Parameter(ParameterSetName = ConfigSet, ValueFromPipelineByPropertyName = true)]
        [Parameter(ParameterSetName = ParamsSet, ValueFromPipelineByPropertyName = true)]
        [EmptyAsNull]
        public int? ExpertParallel { get; set; }

        [Parameter(ParameterSetName = ModelSet, ValueFromPipelineByPropertyName = true)]
        [Parameter(ParameterSetName = ConfigSet, ValueFromPipelineByPropertyName = true)]
        [Parameter(ParameterSetName = ParamsSet, ValueFromPipelineByPropertyName = true)]
        [EmptyAsNull]
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
            _modelOnCommandLine = MyInvocation.BoundParameters.ContainsKey(nameof(Model));
            Gpus = CatalogFiles.Gpus(this, GpuCatalogPath);
            Models = CatalogFiles.Models(this, ModelCatalogPath);
        }

        /// <summary>
        /// The workload the bound parameters describe: the piped workload (when its model is the one to use) or a new
        /// one for the resolved model, with every given setting applied. Throws VramException for bad input.
        /// </summary>
        protected Workload BuildWorkload()
        {
            var w = ParameterSetName == ModelSet && Workload != null && !_modelOnCommandLine
                ? Workload.Clone()
                : ResolveModel();
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
            if (Techniques != null) w.Techniques = Techniques.Value;
            if (Framework != null) w.Framework = FrameworkNames.Parse(Framework);
            if (TensorParallel != null) w.TensorParallel = TensorParallel;
            if (PipelineParallel != null) w.PipelineParallel = PipelineParallel;
            if (PipelineSchedule != null) w.PipelineSchedule = PipelineSchedule;
            if (VirtualStages != null) w.VirtualStages = VirtualStages;
            if (MyInvocation.BoundParameters.ContainsKey(nameof(SequenceParallel))) w.SequenceParallel = SequenceParallel.IsPresent;
            if (ContextParallel != null) w.ContextParallel = ContextParallel;
            if (ExpertParallel != null) w.ExpertParallel = ExpertParallel;
            if (GpusPerNode != null) w.GpusPerNode = GpusPerNode;
            ApplyStage(w);
            ApplyLibrary(w);
            ApplyVision(w);
            ApplyAdapter(w);
            return w;
        }

        private Workload ResolveModel()
        {
            switch (ParameterSetName)
            {
                case ConfigSet:
                    return new Workload(HfConfigReader.Read(FileSystemPath(ConfigPath))) { ModelName = ConfigPath };
                case ParamsSet:
                    return new Workload(ModelArchitecture.LlamaLike(ParameterSize.Parse(Params))) { ModelName = Params.Trim() };
                case NoModelSet:
                    throw new InvalidWorkloadException("Model",
                        "No model named: give -Model (a catalog name or alias), -ConfigPath (a Hugging Face config.json) or -Params (a size such as 7B).");
                default:
                    return new Workload(Models.Get(Model)) { ModelName = Model.Trim() };
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

        /// <summary>How the current input names its model, for error records.</summary>
        private string ModelLabel => ParameterSetName switch
        {
            ConfigSet => ConfigPath,
            ParamsSet => Params,
            _ => Model,
        };

        /// <summary>
        /// Writes an engine error as a non-terminating ErrorRecord with a stable id and category. The target is the
        /// unknown name, the bad file, or else the given target or the current input's model.
        /// </summary>
        protected void WriteEngineError(VramException exception, object? target = null)
        {
            switch (exception)
            {
                case UnknownNameException unknown:
                    WriteError(new ErrorRecord(exception, unknown.Parameter == "Gpu" ? UnknownGpu : UnknownModel,
                        ErrorCategory.ObjectNotFound, unknown.Value));
                    break;
                case InvalidDataFileException file:
                    WriteError(new ErrorRecord(exception, InvalidModelFile, ErrorCategory.InvalidData, file.Path));
                    break;
                default:
                    WriteError(new ErrorRecord(exception, InvalidWorkload, ErrorCategory.InvalidArgument, target ?? ModelLabel));
                    break;
            }
        }
    }
}
