using System.IO;
using System.Management.Automation;
using VramPS.Completion;
using VramPS.Engine;
using VramPS.Engine.Alignment;
using VramPS.Engine.Models;
using VramPS.Transformation;

namespace VramPS.Commands
{
    /// <summary>
    /// The alignment-stage parameters every VramPS cmdlet shares: the stage, its reward model and the shapes of its
    /// rollouts. Like the other workload settings they bind by property name and are "not given" when null.
    /// </summary>
    public abstract partial class WorkloadCommandBase
    {
        [Parameter(ParameterSetName = ModelSet)]
        [Parameter(ParameterSetName = ConfigSet)]
        [Parameter(ParameterSetName = ParamsSet)]
        [EnumName(typeof(TrainingStage))]
        public TrainingStage? Stage { get; set; }

        [Parameter(ParameterSetName = ModelSet)]
        [Parameter(ParameterSetName = ConfigSet)]
        [Parameter(ParameterSetName = ParamsSet)]
        [ArgumentCompleter(typeof(ModelNameCompleter))]
        [EmptyAsNull]
        public string? RewardModel { get; set; }

        [Parameter(ParameterSetName = ModelSet)]
        [Parameter(ParameterSetName = ConfigSet)]
        [Parameter(ParameterSetName = ParamsSet)]
        [WholeNumber]
        public int? NumGenerations { get; set; }

        [Parameter(ParameterSetName = ModelSet)]
        [Parameter(ParameterSetName = ConfigSet)]
        [Parameter(ParameterSetName = ParamsSet)]
        [TokenLength]
        public int? PromptLength { get; set; }

        [Parameter(ParameterSetName = ModelSet)]
        [Parameter(ParameterSetName = ConfigSet)]
        [Parameter(ParameterSetName = ParamsSet)]
        [TokenLength]
        public int? GenerationLength { get; set; }

        [Parameter(ParameterSetName = ModelSet)]
        [Parameter(ParameterSetName = ConfigSet)]
        [Parameter(ParameterSetName = ParamsSet)]
        [Number]
        public double? RolloutMemoryFraction { get; set; }

        [Parameter(ParameterSetName = ModelSet)]
        [Parameter(ParameterSetName = ConfigSet)]
        [Parameter(ParameterSetName = ParamsSet)]
        [SwitchValue]
        public SwitchParameter RolloutSleep { get; set; }

        [Parameter(ParameterSetName = ModelSet)]
        [Parameter(ParameterSetName = ConfigSet)]
        [Parameter(ParameterSetName = ParamsSet)]
        [EnumName(typeof(VllmMode))]
        public VllmMode? VllmMode { get; set; }

        [Parameter(ParameterSetName = ModelSet)]
        [Parameter(ParameterSetName = ConfigSet)]
        [Parameter(ParameterSetName = ParamsSet)]
        [SwitchValue]
        public SwitchParameter PrecomputeReferenceLogProbs { get; set; }

        [Parameter(ParameterSetName = ModelSet)]
        [Parameter(ParameterSetName = ConfigSet)]
        [Parameter(ParameterSetName = ParamsSet)]
        [Number]
        public double? KlCoefficient { get; set; }

        [Parameter(ParameterSetName = ModelSet)]
        [Parameter(ParameterSetName = ConfigSet)]
        [Parameter(ParameterSetName = ParamsSet)]
        [SwitchValue]
        public SwitchParameter EmaCopy { get; set; }

        /// <summary>Applies the bound stage settings to the workload and warns about those its stage ignores.</summary>
        private void ApplyStage(Workload w)
        {
            if (Stage != null) w.Stage = Stage;
            if (RewardModel != null)
            {
                w.RewardModel = ResolveRewardModel(RewardModel);
                w.RewardModelName = RewardModel.Trim();
            }
            if (NumGenerations != null) w.NumGenerations = NumGenerations;
            if (PromptLength != null) w.PromptLength = PromptLength;
            if (GenerationLength != null) w.GenerationLength = GenerationLength;
            if (RolloutMemoryFraction != null) w.RolloutMemoryFraction = RolloutMemoryFraction;
            if (Given(nameof(RolloutSleep))) w.RolloutSleep = RolloutSleep.IsPresent;
            if (VllmMode != null) w.VllmMode = VllmMode;
            if (Given(nameof(PrecomputeReferenceLogProbs))) w.PrecomputeReferenceLogProbs = PrecomputeReferenceLogProbs.IsPresent;
            if (KlCoefficient != null) w.KlCoefficient = KlCoefficient;
            if (Given(nameof(EmaCopy))) w.EmaCopy = EmaCopy.IsPresent;
            foreach (string message in StageSettings.Ignored(w)) WriteWarning(message);
        }

        /// <summary>A catalog id, else a config.json or model folder.</summary>
        private ModelArchitecture ResolveRewardModel(string name)
        {
            var known = Models.Find(name);
            if (known != null) return known;
            string path = SessionState.Path.GetUnresolvedProviderPathFromPSPath(name);
            return File.Exists(path) || Directory.Exists(path)
                ? HfConfigReader.Read(path)
                : Models.Get(name, nameof(RewardModel));
        }
    }
}
