using System.Collections.Generic;
using System.Linq;
using VramPS.Engine.Estimation;
using VramPS.Engine.Frameworks;

namespace VramPS.Engine.Alignment
{
    /// <summary>
    /// A model of the cast that trains (the policy, PPO's value model, the reward model being trained): the SFT memory
    /// model of one step for its own batch shape, with the stage's loss buffers left to the stage.
    /// </summary>
    internal sealed class TrainedModel
    {
        private readonly IReadOnlyList<PhaseMemory> _phases;
        private readonly Offload _betweenPhases;

        /// <param name="workload">The model's run at the stage's batch shape.</param>
        /// <param name="profile">The framework's profile where the stage resolved it; null: the workload's framework.</param>
        /// <param name="betweenPhases">
        /// What the framework moves to the host between the phases that use it (FrameworkProfile.OffloadsBetweenPhases):
        /// the step itself is laid out with everything on the GPU; None: the workload's -Offload applies to the step.
        /// </param>
        public TrainedModel(Workload workload, FrameworkProfile? profile = null, Offload betweenPhases = Offload.None)
        {
            if (betweenPhases != Offload.None)
            {
                workload = workload.Clone();
                workload.Offload = Offload.None;
            }
            _betweenPhases = betweenPhases;
            Recipe = new ResolvedRecipe(workload, profile);
            var behavior = new TrainerBehavior(Recipe, new LogitsFootprint(0, 0, 0));
            var whole = PipelineStage.WholeModel(Recipe.Model.NumLayers);
            Budget = new ParameterBudget(Recipe, behavior, whole);
            var states = new ModelStateMemory(Recipe, behavior, Budget);
            HeadBytes = states.HeadBytes;
            var activations = new ActivationMemory(Recipe, behavior, whole);
            Notes = new List<string>();
            var layout = new StepLayout(Recipe, behavior, Budget, states, activations, Notes);
            _phases = layout.Phases();
            var step = At(Phase.OptimizerStep);
            HostMemory = Checked.Add(layout.HostMemory, Checked.Bytes((betweenPhases == Offload.OptimizerAndParameters ? step.Weights : 0)
                + (betweenPhases != Offload.None ? step.States : 0)));
            PagedStates = layout.PagedStates;
            GatherStreamPool = layout.GatherStreamPool;
            StepCache = layout.StepCache;
            StepOnlySegments = layout.StepOnlySegments;
            Forward = new ForwardPass(Recipe, Budget, activations);
            int c = TrainerBehavior.ComputeBytes(Recipe.Precision);
            GatheredWeights = workload.Method == FinetuneMethod.QLoRA
                ? Budget.Quantizable * ModelStateMemory.Nf4DoubleQuantBits / 8 + Budget.NotQuantized * 2.0
                : Budget.Total * (double)c;
        }

        public ResolvedRecipe Recipe { get; }
        public ParameterBudget Budget { get; }
        /// <summary>Bytes per element of the stored LM head weight.</summary>
        public int HeadBytes { get; }
        public ForwardPass Forward { get; }
        public List<string> Notes { get; }
        public long HostMemory { get; }
        public long PagedStates { get; }
        /// <summary>FSDP's gathered units kept in the all-gather stream's allocator pool.</summary>
        public long GatherStreamPool { get; }
        /// <summary>The block its optimizer step frees and cannot reuse (StepLayout.StepCache).</summary>
        public long StepCache { get; }
        /// <summary>StepLayout.StepOnlySegments of its step.</summary>
        public long StepOnlySegments { get; }

        /// <summary>The whole model in its compute dtype, as ZeRO-3 gathers it for generation (TRL's ds3_gather_for_generation).</summary>
        public double GatheredWeights { get; }

        /// <summary>The phases of its training step.</summary>
        public IEnumerable<Phase> UpdatePhases => _phases.Select(p => p.Phase);

        public Terms At(Phase phase) => Terms.Of(_phases.First(p => p.Phase == phase));

        /// <summary>
        /// What stays on the GPU between steps: stored weights and optimizer states (zero_grad frees the gradients), less
        /// what the framework offloads between phases.
        /// </summary>
        public Terms Resident
        {
            get
            {
                var step = At(Phase.OptimizerStep);
                return new Terms(_betweenPhases == Offload.OptimizerAndParameters ? 0 : step.Weights, 0, _betweenPhases == Offload.None ? step.States : 0, 0, 0);
            }
        }

        /// <summary>The weights offloaded between phases that its own forwards load back onto the GPU.</summary>
        public Terms LoadedForForward => Terms.WeightsOnly(_betweenPhases == Offload.OptimizerAndParameters ? At(Phase.OptimizerStep).Weights : 0);
    }
}
