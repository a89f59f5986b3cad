using System;
using System.Collections.Generic;
using System.Linq;
using VramPS.Engine.Models;

namespace VramPS.Engine.Estimation
{
    /// <summary>
    /// What autograd keeps for backward, per token, tensor by tensor: a linear keeps its input only when its weight
    /// trains (bitsandbytes' 4-bit matmul always), norms keep fp32 copies, SDPA keeps q and repeated k, v, gated MLPs
    /// keep gate, activation and up, peft's LoRA branch keeps the dropout output and mask in the adapter dtype, eager
    /// attention keeps the heads x s probabilities. Checkpointing keeps only each block's input and recomputes one
    /// block at a time.
    /// </summary>
    internal sealed class ActivationMemory
    {
        private readonly ResolvedRecipe _r;
        private readonly TrainerBehavior _t;
        private readonly ModelArchitecture _m;
        private readonly int _c;
        private readonly int _res;
        private readonly int _out;

        public ActivationMemory(ResolvedRecipe r, TrainerBehavior t)
        {
            _r = r;
            _t = t;
            _m = r.Model;
            _c = TrainerBehavior.ComputeBytes(r.Precision);
            // Autocast over fp32 weights keeps an fp32 residual stream, except under FSDP mixed precision, which
            // gathers 16-bit parameters so the embedding output is already 16-bit.
            bool zero3 = r.Sharding == Sharding.Zero3 && r.GpuCount > 1;
            bool fp32Residual = TrainerBehavior.AutocastOverFp32(r.Precision) && !zero3;
            _res = r.Precision == Precision.Fp32 || fp32Residual || t.Fp32Stream ? 4 : _c;
            _out = t.Fp32Stream ? 4 : _c;

            // A block's saved bytes depend only on its kind (dense or mixture-of-experts) and whether it trains: each
            // of those four is computed once, then added block by block in order.
            double full = 0, largest = 0;
            var savedByKind = new double?[4];
            for (int i = 0; i < _m.NumLayers; i++)
            {
                int kind = (_m.IsMoeLayer(i) ? 2 : 0) + (BlockTrains(i) ? 1 : 0);
                double layer = savedByKind[kind] ??= LayerSaved(i);
                full += layer;
                largest = Math.Max(largest, layer);
            }
            AllLayersSavedPerToken = full;
            LargestLayerSavedPerToken = largest;
            CheckpointPerTokenPerLayer = _res * (double)_m.HiddenSize;
            if (zero3 && r.IsAdapter && r.Checkpointing == Checkpointing.Full && TrainerBehavior.HuggingFaceStack(r.Framework))
            {
                // accelerate's FSDP with adapters keeps one more 16-bit copy of each checkpointed block input
                // (measured in fms-acceleration's FSDP LoRA/QLoRA runs; the holder is not yet identified).
                CheckpointPerTokenPerLayer += _c * (double)_m.HiddenSize;
            }
            OutsideLayersPerToken = Outside();
            long i0 = Math.Max(_m.IntermediateSize, _m.IsMoe ? _m.MoeIntermediateSize * Math.Max(1, _m.ExpertsPerToken) : 0);
            TransientPerToken = 2.0 * _out * i0 + 2.0 * _res * _m.HiddenSize;
        }

        /// <summary>Bytes per token every block saves without checkpointing, summed over blocks.</summary>
        public double AllLayersSavedPerToken { get; }
        public double LargestLayerSavedPerToken { get; }
        /// <summary>Bytes per token a checkpointed block keeps: its input hidden state.</summary>
        public double CheckpointPerTokenPerLayer { get; }
        /// <summary>Final norm and head input, per token.</summary>
        public double OutsideLayersPerToken { get; }
        /// <summary>Gradient buffers alive while one block runs backward, per token.</summary>
        public double TransientPerToken { get; }

        /// <summary>Bytes of 16-bit weight copies that autocast over fp32 weights makes for one block's linears.</summary>
        public double AutocastCopiesPerLayer(int layer) => 2.0 * _m.LinearModules(layer).Sum(x => (double)x.Parameters);

        /// <summary>Bytes per token of one block's saved tensors.</summary>
        private double LayerSaved(int layer)
        {
            var modules = _m.LinearModules(layer);
            bool trains = BlockTrains(layer);
            long h = _m.HiddenSize, q = _m.QDim, kv = _m.KvDim;
            double sum = 0;

            sum += _m.NormsPerLayer * NormSaved(trains);

            var attnIn = new List<LinearModule>(4);
            var attnOut = new List<LinearModule>(1);
            var mlpIn = new List<LinearModule>(2);
            var mlpOut = new List<LinearModule>(1);
            for (int j = 0; j < modules.Count; j++)
            {
                var module = modules[j];
                switch (module.Role)
                {
                    case LinearRole.AttentionInput: attnIn.Add(module); break;
                    case LinearRole.AttentionOutput: attnOut.Add(module); break;
                    case LinearRole.MlpInput: mlpIn.Add(module); break;
                    case LinearRole.MlpOutput: mlpOut.Add(module); break;
                }
            }

            sum += LinearInputs(attnIn, h, trains);
            sum += Attention(q, kv, attnOut.Count > 0 && SavesInput(attnOut[0], trains));
            sum += Adapters(attnOut, q);
            sum += LinearInputs(mlpIn, h, trains) - (_m.ParallelBlock && SavesInputAny(attnIn, trains) && SavesInputAny(mlpIn, trains) ? _c * (double)h : 0);
            sum += Mlp(layer, mlpOut, trains);
            if (_m.IsMoeLayer(layer))
            {
                // Router logits and their fp32 softmax.
                sum += 8.0 * _m.Experts;
            }
            return sum;
        }

        private bool BlockTrains(int layer) => _r.Workload.Method == FinetuneMethod.Full
            || (_r.Workload.Method == FinetuneMethod.Freeze && layer >= _m.NumLayers - _r.TrainableLayers);

        private bool Quantized => _r.Workload.Method == FinetuneMethod.QLoRA && _t.QuantizedLinearSavesInput;

        private bool SavesInput(LinearModule module, bool trains) => trains || Quantized;

        private bool SavesInputAny(List<LinearModule> modules, bool trains) => modules.Count > 0 && SavesInput(modules[0], trains);

        /// <summary>RMSNorm in transformers and litgpt saves an fp32 copy of its input (and the normalized input when its weight trains); fused kernels save the input only.</summary>
        private double NormSaved(bool trains)
        {
            long h = _m.HiddenSize;
            bool fused = (_r.Has(Techniques.FusedKernels) || _r.Has(Techniques.Compile)) && _m.Norm == NormKind.RmsNorm;
            if (fused || _m.Norm == NormKind.LayerNorm) return _res * (double)h;
            return 4.0 * h + (trains ? _res * (double)h : 0);
        }

        /// <summary>The inputs a group of linears reading one tensor keep: one shared copy, or one per module where bitsandbytes casts fp32 input to the compute dtype.</summary>
        private double LinearInputs(List<LinearModule> group, long width, bool trains)
        {
            if (group.Count == 0) return 0;
            double saved = 0;
            if (SavesInput(group[0], trains))
            {
                int copies = Quantized && _out != _c ? group.Count : 1;
                saved += copies * (double)_c * width;
            }
            return saved + Adapters(group, width);
        }

        /// <summary>peft's LoRA branch per adapted module: the dropout mask and output in the adapter dtype (or the cast input), and the rank-wide A output.</summary>
        private double Adapters(List<LinearModule> group, long width)
        {
            if (!_r.IsAdapter) return 0;
            int adapted = 0;
            bool allAttentionInputs = true;
            for (int j = 0; j < group.Count; j++)
            {
                if (!_r.IsTarget(group[j].Name)) continue;
                adapted++;
                allAttentionInputs &= group[j].Role == LinearRole.AttentionInput;
            }
            if (adapted == 0) return 0;
            int a = _t.AdapterBytes;
            int inputs = _t.FusedQkvAdapters && allAttentionInputs ? 1 : adapted;
            bool fusedLora = _r.Has(Techniques.FusedKernels) && _r.Framework == Framework.FmsAcceleration;
            if (fusedLora) inputs = 1;
            double perInput = _t.LoraDropout && !fusedLora ? (a + 1.0) * width : (a != _c ? a * (double)width : 0);
            return inputs * perInput + adapted * (double)a * _r.LoraRank;
        }

        /// <summary>The attention core: SDPA keeps q, k and v repeated to every head (HF's repeat_kv) and its output; FlashAttention keeps k and v at KV heads; eager keeps the probabilities.</summary>
        private double Attention(long q, long kv, bool outputProjectionSavesInput)
        {
            double sum = 0;
            int heads = _m.NumHeads;
            long s = _r.SequenceLength;
            switch (_r.Attention)
            {
                case AttentionKernel.Flash:
                    sum += _c * (double)(q + 2 * kv + q) + 4.0 * heads;
                    break;
                case AttentionKernel.Sdpa:
                    sum += _c * (double)(q + 2 * q + q) + 4.0 * heads;
                    if (outputProjectionSavesInput) sum += _c * (double)q;
                    break;
                default:
                    bool dropout = _m.Encoder;
                    double probs = dropout ? _c + 1 + _c : 4 + _c;
                    sum += _c * (double)(q + 2 * q + q) + heads * (double)s * probs;
                    if (outputProjectionSavesInput) sum += _c * (double)q;
                    break;
            }
            return sum;
        }

        private double Mlp(int layer, List<LinearModule> mlpOut, bool trains)
        {
            bool moe = _m.IsMoeLayer(layer);
            long width = moe ? _m.MoeIntermediateSize : _m.IntermediateSize;
            int copies = moe ? Math.Max(1, _m.ExpertsPerToken) : 1;
            bool gated = _m.Mlp == MlpKind.Gated;
            bool pythonGelu = _m.Activation == "gelu_new";
            double intermediates = gated ? (_r.Has(Techniques.Compile) ? 2 : 3) : pythonGelu && !_r.Has(Techniques.Compile) ? 3 : 1;
            double sum = intermediates * _out * width;
            bool downSaves = mlpOut.Count > 0 && SavesInput(mlpOut[0], trains);
            if (downSaves) sum += _c * (double)width;
            sum += Adapters(mlpOut, width);
            sum *= copies;
            if (moe)
            {
                // Each routed token's gathered input and the expert output kept by the routing-weight multiply.
                sum += copies * 2.0 * _c * _m.HiddenSize;
                if (_m.SharedExperts > 0)
                {
                    long shared = _m.SharedExpertIntermediateSize > 0 ? _m.SharedExpertIntermediateSize : _m.MoeIntermediateSize * _m.SharedExperts;
                    sum += (gated ? 3 : 1) * _out * (double)shared + (downSaves ? _c * (double)shared : 0);
                }
            }
            return sum;
        }

        private double Outside()
        {
            if (_m.Encoder) return 0;
            long h = _m.HiddenSize;
            bool headTrains = _r.Workload.Method == FinetuneMethod.Full || _r.IsTarget("lm_head");
            return NormSaved(_r.Workload.Method == FinetuneMethod.Full) + (headTrains ? _c * (double)h : 0);
        }
    }
}
