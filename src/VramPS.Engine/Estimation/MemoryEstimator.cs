using System;
using System.Collections.Generic;
using VramPS.Engine.Alignment;

namespace VramPS.Engine.Estimation
{
    /// <summary>
    /// Estimates what one GPU holds at each phase of a training step and reports the phase that binds.
    /// The terms come from ModelStateMemory (weights, gradients, states, step temporaries), ActivationMemory
    /// (saved tensors per token) and TrainerBehavior (logits and loss buffers); sharding divides them here.
    /// Under pipeline parallelism the first and the last stage are both laid out and the one whose GPU needs more reported.
    /// </summary>
    public static class MemoryEstimator
    {
        /// <summary>
        /// Whether an estimate may depend on its GPU beyond the CUDA context in Total: alignment stages do (a rollout
        /// engine reserves a share of the GPU's memory); supervised fine-tuning does not.
        /// </summary>
        internal static bool DependsOnGpu(Workload workload) => workload.Stage != null && workload.Stage != TrainingStage.Sft;

        public static TrainingMemoryEstimate Estimate(Workload workload)
        {
            if (DependsOnGpu(workload)) return StageEstimator.Estimate(workload);
            var r = new ResolvedRecipe(workload);
            var t = new TrainerBehavior(r);
            RankLayout? reported = null;
            foreach (var stage in r.Parallel.Stages)
            {
                var layout = new RankLayout(r, t, stage);
                if (reported is null || layout.Device > reported.Device || layout.Device == reported.Device && layout.Peak.Allocated > reported.Peak.Allocated)
                    reported = layout;
            }
            var rank = reported!;
            var peak = rank.Peak;
            var notes = rank.Notes;
            bool whole = r.Parallel.Stages.Count == 1 && r.Parallel.Tensor == 1 && r.Parallel.Expert == 1;
            long trainable = whole ? rank.Budget.Trainable : new ParameterBudget(r, t, PipelineStage.WholeModel(r.Model.NumLayers)).Trainable;
            long reserved = rank.Reserved;
            long device = Checked.Sum(reserved, RuntimeMemory.Context(workload.Gpu), RuntimeMemory.Nccl(r.GpuCount), rank.Step.PagedStates);
            if (rank.Step.PagedStates > 0) notes.Add("paged optimizer states live in managed memory: counted in Total, not in Allocated");
            if (r.Profile.ExpandableSegments.Assumption is string allocator) notes.Add(allocator);
            long awaitingGc = UnpermuteCycle.Stage(r, rank.Stage);
            if (awaitingGc > 0)
            {
                notes.Add(string.Format(System.Globalization.CultureInfo.InvariantCulture,
                    "not in Total: up to {0:0.##} GiB of recomputed MoE unpermute tensors that Megatron-Core releases before NVIDIA/Megatron-LM#5197 keep until garbage collection (High adds them)",
                    awaitingGc / (double)(1L << 30)));
            }

            var estimate = new TrainingMemoryEstimate(workload, r)
            {
                Parameters = r.Model.TotalParameters,
                TrainableParameters = trainable,
                Reserved = reserved,
                Total = device,
                HostMemory = HostMemory.PerNode(rank.Step.HostMemory, r),
                Nodes = HostMemory.Nodes(r),
                Phases = rank.Phases,
                PipelineStage = rank.Stage.Index,
                RankStage = rank.Stage,
                Assumptions = Concat(r.Assumptions, notes),
                Models = Array.AsReadOnly(new[]
                {
                    new ModelMemory(ModelRole.Policy, workload.ModelName.Length > 0 ? workload.ModelName : workload.Model.Id, workload.Method.ToString(),
                        peak.Weights, peak.Gradients, peak.OptimizerStates, peak.Activations, peak.Other),
                }),
            };
            if (awaitingGc > 0)
            {
                estimate.AwaitingGc = awaitingGc;
                estimate.AwaitingGcWarning = UnpermuteCycle.Warning(awaitingGc, UnpermuteCycle.PerLayer(r, rank.Stage), r.Profile.Name);
            }
            estimate.SetPeak(peak);
            return estimate;
        }

        private static string[] Concat(IReadOnlyList<string> first, List<string> second)
        {
            var all = new string[first.Count + second.Count];
            for (int i = 0; i < first.Count; i++) all[i] = first[i];
            second.CopyTo(all, first.Count);
            return all;
        }

        /// <summary>One rank's terms laid out over the phases of a step.</summary>
        private sealed class RankLayout
        {
            public RankLayout(ResolvedRecipe r, TrainerBehavior t, PipelineStage stage)
            {
                Stage = stage;
                Budget = new ParameterBudget(r, t, stage);
                var states = new ModelStateMemory(r, t, Budget);
                var acts = new ActivationMemory(r, t, stage);
                Notes = new List<string>();
                Step = new StepLayout(r, t, Budget, states, acts, Notes);
                Phases = Step.Phases();
                Peak = Phases[0];
                foreach (var phase in Phases)
                {
                    if (phase.Allocated > Peak.Allocated) Peak = phase;
                }
                Reserved = Checked.Add(RuntimeMemory.Reserved(Phases, _ => 0, stage.Layers, Step.GatherStreamPool,
                    Step.CachedUnused, r.Profile.ExpandableSegments.Value, Step.StepCache, Step.StepOnlySegments), Step.StrandedParameterBlocks);
                Device = Checked.Add(Reserved, Step.PagedStates);
            }

            public PipelineStage Stage { get; }
            public ParameterBudget Budget { get; }
            public StepLayout Step { get; }
            /// <summary>What the layout of this rank adds to the recipe's assumptions.</summary>
            public List<string> Notes { get; }
            public IReadOnlyList<PhaseMemory> Phases { get; }
            public PhaseMemory Peak { get; }
            public long Reserved { get; }
            /// <summary>What the rank's GPU shows beyond the context and NCCL, which every rank has alike: the rank reported is the one that needs the most.</summary>
            public long Device { get; }
        }
    }
}
