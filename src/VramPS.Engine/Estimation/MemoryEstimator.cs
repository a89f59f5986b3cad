using System.Linq;

namespace VramPS.Engine.Estimation
{
    /// <summary>Estimates what one GPU holds at the peak of a training step.</summary>
    public static class MemoryEstimator
    {
        public static TrainingMemoryEstimate Estimate(Workload workload)
        {
            var r = new ResolvedRecipe(workload);
            var m = r.Model;
            long p = m.TotalParameters;
            long weights = p * 2;
            long grads = workload.Method == FinetuneMethod.Full ? p * 2 : 0;
            long states = grads * 2;
            long acts = (long)r.BatchSize * r.SequenceLength * m.HiddenSize * m.NumLayers * 34;
            var peak = new PhaseMemory(Phase.OptimizerStep, weights, grads, states, acts, 0);
            return new TrainingMemoryEstimate(workload, r)
            {
                Parameters = p,
                TrainableParameters = workload.Method == FinetuneMethod.Full ? p : 0,
                Weights = peak.Weights,
                Gradients = peak.Gradients,
                OptimizerStates = peak.OptimizerStates,
                Activations = peak.Activations,
                Other = peak.Other,
                Allocated = peak.Allocated,
                Reserved = peak.Allocated,
                Total = peak.Allocated,
                PeakPhase = peak.Phase,
                Phases = new[] { peak },
                Assumptions = r.Assumptions.ToArray(),
            };
        }
    }
}
