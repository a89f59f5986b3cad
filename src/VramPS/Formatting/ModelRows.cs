using System.Collections.Generic;
using System.Linq;
using VramPS.Engine.Alignment;

namespace VramPS.Formatting
{
    /// <summary>An estimate's Models as the list view shows them: one line per model, its share of the peak by term in GiB.</summary>
    public static class ModelRows
    {
        /// <summary>"Policy meta-llama/Llama-3.1-8B (LoRA) 20.98 GiB: weights 14.97, gradients 0.00, states 0.03, activations 2.12, other 3.91".</summary>
        public static string Format(IEnumerable<ModelMemory>? models) =>
            models is null ? "" : string.Join("\n", models.Select(m =>
                $"{m.Role} {m.Model} ({m.Method}) {GiB.Format(m.Total)}: weights {GiB.Number(m.Weights)}, gradients {GiB.Number(m.Gradients)}, " +
                $"states {GiB.Number(m.OptimizerStates)}, activations {GiB.Number(m.Activations)}, other {GiB.Number(m.Other)}"));
    }
}
