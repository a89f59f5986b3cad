using System;
using VramPS.Engine.Estimation;
using VramPS.Engine.Models;

namespace VramPS.Engine.Alignment
{
    /// <summary>
    /// A forward pass without autograd (torch.no_grad or inference_mode), as reference, reward and value models score a
    /// batch and as generation prefills its prompts. Nothing is saved for backward, so one block's tensors live at a time
    /// beside the residual stream and the normed block input: a gated MLP's gate activation, up output and their product
    /// (transformers' LlamaMLP.forward), a plain MLP's hidden and activation, or attention's q, k, v and output (HF SDPA
    /// widens k and v to every head with repeat_kv; eager attention adds its scores and fp32 softmax). An LM head returns
    /// logits in the compute dtype, cast to fp32 where accelerate's native AMP wraps the forward (LossBuffers.LogitBytes:
    /// both copies exist while it casts), and TRL's selective_log_softmax (trl/trainer/utils.py) log-softmaxes one sequence at a time. Under ZeRO-3 the forward
    /// gathers the root unit and two blocks at a time, as StepLayout counts for training.
    /// </summary>
    internal sealed class ForwardPass
    {
        private readonly ModelArchitecture _m;
        private readonly int _logitBytes;
        private readonly int _computeBytes;

        public ForwardPass(ResolvedRecipe r, ParameterBudget p, ActivationMemory a)
        {
            _m = r.Model;
            int c = TrainerBehavior.ComputeBytes(r.Precision);
            _logitBytes = LossBuffers.LogitBytes(r);
            _computeBytes = c;
            long width = Math.Max(_m.IntermediateSize, _m.IsMoe ? (long)_m.MoeIntermediateSize * Math.Max(1, _m.ExpertsPerToken) : 0);
            double mlp = (_m.Mlp == MlpKind.Gated ? 3.0 : 2.0) * a.OutputBytes * width;
            long kvWidth = r.Attention == AttentionKernel.Flash ? _m.KvDim : _m.QDim;
            double attention = c * (2.0 * _m.QDim + 2.0 * kvWidth)
                + (r.Attention == AttentionKernel.Eager ? _m.NumHeads * (double)r.SequenceLength * (2 * c + 4) : 0);
            WorkingPerToken = (a.ResidualBytes + c) * (double)_m.HiddenSize + Math.Max(mlp, attention);
            HiddenStatesPerToken = (_m.NumLayers + 1) * a.ResidualBytes * (double)_m.HiddenSize;

            bool zero3 = r.Sharding == Sharding.Zero3 && r.GpuCount > 1;
            double layer = r.Workload.Method == FinetuneMethod.QLoRA
                ? p.LargestLayer * ModelStateMemory.Nf4DoubleQuantBits / 8
                : p.LargestLayer * (double)c;
            InFlightWeights = zero3 ? (p.Embedding + p.Head) * (double)c + 2 * layer : 0;
        }

        /// <summary>Bytes per token alive while one block runs.</summary>
        public double WorkingPerToken { get; }
        /// <summary>Bytes per token of every block's output, which output_hidden_states=True keeps until the caller drops it.</summary>
        public double HiddenStatesPerToken { get; }
        /// <summary>Weights gathered for the forward under ZeRO-3.</summary>
        public double InFlightWeights { get; }

        /// <summary>Bytes per token of a vocabulary-wide row in the logits' dtype (0 for a scalar head).</summary>
        public double LogitsPerToken => _m.ScalarHead ? 0 : (double)_m.VocabSize * _logitBytes;

        /// <summary>
        /// The forward of <paramref name="sequences"/> sequences of <paramref name="tokens"/> tokens whose last
        /// <paramref name="logitTokens"/> positions get LM-head logits that are turned into log-probs.
        /// </summary>
        public Terms Run(double sequences, int tokens, int logitTokens, bool keepHiddenStates)
        {
            double activations = sequences * tokens * (WorkingPerToken + (keepHiddenStates ? HiddenStatesPerToken : 0));
            double perEntry = (sequences + 1) * (double)_logitBytes;
            if (_logitBytes != _computeBytes) perEntry = Math.Max(perEntry, sequences * (double)(_computeBytes + _logitBytes));
            double logits = _m.ScalarHead ? 0 : logitTokens * (double)_m.VocabSize * perEntry;
            return new Terms(InFlightWeights, 0, 0, activations, logits);
        }
    }
}
