using VramPS.Engine.Text;

namespace VramPS.Engine.Estimation
{
    /// <summary>What one GPU holds, by term, at one phase of a step. Bytes.</summary>
    public sealed class PhaseMemory
    {
        public PhaseMemory(Phase phase, long weights, long gradients, long optimizerStates, long activations, long other)
        {
            Phase = phase;
            Weights = weights;
            Gradients = gradients;
            OptimizerStates = optimizerStates;
            Activations = activations;
            Other = other;
            Allocated = Checked.Sum(weights, gradients, optimizerStates, activations, other);
        }

        public Phase Phase { get; }
        public long Weights { get; }
        public long Gradients { get; }
        public long OptimizerStates { get; }
        public long Activations { get; }
        /// <summary>Logits and loss buffers, optimizer temporaries, workspaces.</summary>
        public long Other { get; }
        public long Allocated { get; }

        /// <summary>"ForwardEnd 30.21 GiB".</summary>
        public override string ToString() => $"{Phase} {ByteSize.Format(Allocated)}";
    }
}
