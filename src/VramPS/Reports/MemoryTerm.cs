using System.Collections.Generic;

namespace VramPS.Reports
{
    /// <summary>The five terms a step's memory is split into, in stacking order, with the colour each has in every chart.</summary>
    internal sealed class MemoryTerm
    {
        private MemoryTerm(string name, string color)
        {
            Name = name;
            Color = color;
        }

        public string Name { get; }

        /// <summary>A fill that stays distinct in greyscale print (light to dark alternating).</summary>
        public string Color { get; }

        public static IReadOnlyList<MemoryTerm> All { get; } = new[]
        {
            new MemoryTerm("Weights", "#3b6fb6"),
            new MemoryTerm("Gradients", "#f2a541"),
            new MemoryTerm("Optimizer states", "#2e8b57"),
            new MemoryTerm("Activations", "#e06c75"),
            new MemoryTerm("Other", "#8e7cc3"),
        };
    }
}
