using System;
using System.Collections.Generic;

namespace VramPS.Engine.Estimation
{
    /// <summary>
    /// Estimates what one GPU holds at each phase of a training step and reports the phase that binds.
    /// The terms come from ModelStateMemory (weights, gradients, states, step temporaries), ActivationMemory
    /// (saved tensors per token) and TrainerBehavior (logits and loss buffers); sharding divides them here.
    /// </summary>
    public static class MemoryEstimator
    {
        public static TrainingMemoryEstimate Estimate(Workload workload)
        {
            var r = new ResolvedRecipe(workload);
            var t = new TrainerBehavior(r);
            var p = new ParameterBudget(r, t);
            var states = new ModelStateMemory(r, t, p);
            var acts = new ActivationMemory(r, t);
            var notes = new List<string>(r.Assumptions.Count + 4);
            notes.AddRange(r.Assumptions);
            var step = new StepLayout(r, t, p, states, acts, notes);

            var phases = step.Phases();
            var peak = phases[0];
            for (int i = 1; i < phases.Count; i++)
            {
                if (phases[i].Allocated > peak.Allocated) peak = phases[i];
            }
            long reserved = RuntimeMemory.Reserved(peak.Allocated, Checked.Add(peak.Activations, peak.Other), r.Model.NumLayers);
            long device = Checked.Sum(reserved, RuntimeMemory.Context(workload.Gpu), RuntimeMemory.Nccl(r.GpuCount), step.PagedStates);
            if (step.PagedStates > 0) notes.Add("paged optimizer states live in managed memory: counted in Total, not in Allocated");

            return new TrainingMemoryEstimate(workload, r)
            {
                Parameters = r.Model.TotalParameters,
                TrainableParameters = p.Trainable,
                Weights = peak.Weights,
                Gradients = peak.Gradients,
                OptimizerStates = peak.OptimizerStates,
                Activations = peak.Activations,
                Other = peak.Other,
                Allocated = peak.Allocated,
                Reserved = reserved,
                Total = device,
                HostMemory = step.HostMemory,
                PeakPhase = peak.Phase,
                Phases = phases,
                Assumptions = notes.ToArray(),
            };
        }
    }
}
