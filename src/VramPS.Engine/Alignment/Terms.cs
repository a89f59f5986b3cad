using VramPS.Engine.Estimation;

namespace VramPS.Engine.Alignment
{
    /// <summary>One model's bytes at one moment, by term, before rounding.</summary>
    internal readonly struct Terms
    {
        public Terms(double weights, double gradients, double states, double activations, double other)
        {
            Weights = weights;
            Gradients = gradients;
            States = states;
            Activations = activations;
            Other = other;
        }

        public double Weights { get; }
        public double Gradients { get; }
        public double States { get; }
        public double Activations { get; }
        public double Other { get; }

        public static Terms Of(PhaseMemory p) => new Terms(p.Weights, p.Gradients, p.OptimizerStates, p.Activations, p.Other);

        public static Terms WeightsOnly(double weights) => new Terms(weights, 0, 0, 0, 0);

        public static Terms OtherOnly(double other) => new Terms(0, 0, 0, 0, other);

        public static Terms operator +(Terms a, Terms b) =>
            new Terms(a.Weights + b.Weights, a.Gradients + b.Gradients, a.States + b.States, a.Activations + b.Activations, a.Other + b.Other);
    }
}
