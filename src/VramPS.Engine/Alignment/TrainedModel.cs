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

        public TrainedModel(Workload workload, FrameworkProfile? profile = null)
        {
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
            HostMemory = layout.HostMemory;
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

        /// <summary>What stays between steps: stored weights and optimizer states (zero_grad frees the gradients).</summary>
        public Terms Resident
        {
            get
            {
                var step = At(Phase.OptimizerStep);
                return new Terms(step.Weights, 0, step.States, 0, 0);
            }
        }
    }
}
