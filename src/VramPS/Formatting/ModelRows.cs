using System.Collections.Generic;
using System.Linq;
using VramPS.Engine.Alignment;

namespace VramPS.Formatting
{
    /// <summary>An estimate's Models as the list view shows them: one line per model, its share of the peak by term.</summary>
    public static class ModelRows
    {
        /// <summary>"Policy meta-llama/Llama-3.1-8B (LoRA) 20.98 GiB: weights 14.97 GiB, gradients 0.00 GiB, states 0.03 GiB, activations 2.12 GiB, other 3.91 GiB".</summary>
        public static string Format(IEnumerable<ModelMemory>? models) =>
            models is null ? "" : string.Join("\n", models.Select(m =>
                $"{m.Role} {m.Model} ({m.Method}) {Bytes.Format(m.Total)}: weights {Bytes.Format(m.Weights)}, gradients {Bytes.Format(m.Gradients)}, " +
                $"states {Bytes.Format(m.OptimizerStates)}, activations {Bytes.Format(m.Activations)}, other {Bytes.Format(m.Other)}"));
    }
}
