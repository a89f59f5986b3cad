using VramPS.Engine.Estimation;
using VramPS.Engine.Text;

namespace VramPS.Engine.Alignment
{
    /// <summary>
    /// One model of a stage's cast and what it holds on one GPU at the estimate's peak phase, bytes. The rows of an
    /// estimate add up to its terms, so the largest row is the model to shrink, shard or offload first.
    /// </summary>
    public sealed class ModelMemory
    {
        internal ModelMemory(ModelRole role, string model, string method, long weights, long gradients, long optimizerStates, long activations, long other)
        {
            Role = role;
            Model = model;
            Method = method;
            Weights = weights;
            Gradients = gradients;
            OptimizerStates = optimizerStates;
            Activations = activations;
            Other = other;
            Total = Checked.Sum(weights, gradients, optimizerStates, activations, other);
        }

        public ModelRole Role { get; }
        /// <summary>The model as the user named it (or the policy's name where the stage reuses its architecture).</summary>
        public string Model { get; }
        /// <summary>How the model is held: its fine-tuning method when it trains, Frozen, Shared (the policy's base with its adapters off) or vLLM.</summary>
        public string Method { get; }
        public long Weights { get; }
        public long Gradients { get; }
        public long OptimizerStates { get; }
        /// <summary>Saved activations of a trained model, or the working set of a forward without autograd.</summary>
        public long Activations { get; }
        /// <summary>Logits and loss buffers, optimizer temporaries, the KV cache and a vLLM engine's reserve.</summary>
        public long Other { get; }
        public long Total { get; }

        public override string ToString() => $"{Role} {Model} ({Method}): {ByteSize.Format(Total)}";
    }
}
