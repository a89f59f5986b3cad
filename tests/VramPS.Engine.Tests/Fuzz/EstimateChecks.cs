using System;
using System.Linq;
using VramPS.Engine.Estimation;

namespace VramPS.Engine.Tests.Fuzz
{
    /// <summary>What every estimate must satisfy, however extreme its workload: no negative, wrapped or unordered figure.</summary>
    internal static class EstimateChecks
    {
        public static void Verify(TrainingMemoryEstimate e)
        {
            long[] terms = { e.Weights, e.Gradients, e.OptimizerStates, e.Activations, e.Other };
            if (terms.Any(t => t < 0) || e.HostMemory < 0 || e.Parameters <= 0 || e.TrainableParameters < 0)
                throw Broken(e, "a negative term, host memory or parameter count");
            decimal sum = terms.Sum(t => (decimal)t);
            if (sum != e.Allocated) throw Broken(e, $"terms add up to {sum}, not Allocated {e.Allocated}");
            if (!(e.Allocated > 0 && e.Allocated <= e.Reserved && e.Reserved <= e.Total))
                throw Broken(e, $"Allocated {e.Allocated}, Reserved {e.Reserved}, Total {e.Total} out of order");
            if (e.Phases.Any(p => p.Allocated < 0 || p.Allocated > e.Allocated) || e.Phases.All(p => p.Allocated != e.Allocated))
                throw Broken(e, "the peak is not the largest phase");
        }

        private static InvalidOperationException Broken(TrainingMemoryEstimate e, string what) =>
            new InvalidOperationException($"Estimate of {e.Workload}: {what}.");
    }
}
