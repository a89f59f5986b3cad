using System;

namespace VramPS.Engine.Estimation
{
    /// <summary>
    /// Weights, gradients, optimizer states and the optimizer step's temporaries, per GPU, after sharding.
    /// Bytes per parameter follow the recipe: fp32 master weights under autocast, pure 16-bit, NF4 blocks,
    /// fp32 or 16-bit adapters, and each optimizer's own state layout.
    /// </summary>
    internal sealed class ModelStateMemory
    {
        /// <summary>NF4 with double quantization: 4 bits + 8/64 bits of block constants + 32/(64*256) (QLoRA paper).</summary>
        public const double Nf4DoubleQuantBits = 4 + 8.0 / 64 + 32.0 / (64 * 256);
        /// <summary>NF4 without double quantization: 4 bits + one fp32 constant per 64 weights.</summary>
        public const double Nf4Bits = 4 + 32.0 / 64;

        public ModelStateMemory(ResolvedRecipe r, TrainerBehavior t, ParameterBudget p)
        {
            var method = r.Workload.Method;
            bool pure = r.Precision == Precision.Bf16 || r.Precision == Precision.Fp16;
            int masterBytes = pure ? 2 : 4;
            bool adapter = r.IsAdapter;
            // BAdam (block_optim.py) keeps the whole model and its gradients in the load dtype and an fp32 copy of the
            // active block beside its moments: the optimizer-side master copy of that block.
            bool blockWise = r.Optimizer == OptimizerKind.BAdam;
            // Under ZeRO the optimizer steps an fp32 master partition of the trainable parameters, adapters included.
            // Megatron-Core keeps an fp32 main copy of every 16-bit trained parameter, adapters included, with fp32 gradients.
            int trainableBytes = t.ZeroSixteenBitGradients || t.Fp32MainCopy ? 4 : adapter ? t.AdapterBytes : blockWise ? TrainerBehavior.ComputeBytes(r.Precision) : masterBytes;
            // ZeRO keeps the trainable parameters' gradients in its 16-bit dtype; the fp32 ones exist only group by group at the step.
            GradientBytes = t.ZeroSixteenBitGradients || t.Fp16GradientsFlattenedAtStep ? TrainerBehavior.ComputeBytes(r.Precision) : trainableBytes;
            // With an optimizer-side fp32 master copy the model itself holds 16-bit weights.
            int modelBytes = t.MasterCopyInOptimizer || blockWise ? TrainerBehavior.ComputeBytes(r.Precision) : masterBytes;

            double bits = r.Quantization == Quantization.Int8 ? 8 + 32.0 / 4096
                : t.DoubleQuant ? Nf4DoubleQuantBits : Nf4Bits;
            int rest = t.UpcastsNonQuantized ? 4 : 2;
            int computeBytes = TrainerBehavior.ComputeBytes(r.Precision);
            double Weights(long total, long quantizable, long adapters, long trainable)
            {
                if (method == FinetuneMethod.QLoRA) return quantizable * bits / 8 + (double)(total - quantizable) * rest + (double)adapters * t.AdapterBytes;
                if (adapter) return (double)total * modelBytes + (double)adapters * t.AdapterBytes;
                if (t.UpcastsOnlyTrainable) return (double)trainable * modelBytes + (double)(total - trainable) * computeBytes;
                return (double)total * modelBytes;
            }
            FullWeights = Weights(p.Total, p.Quantizable, p.Adapters + p.FrozenAdapters, p.Trainable);
            ExpertWeights = Weights(p.Experts, p.QuantizableExperts, p.ExpertAdapters, p.TrainableExperts);
            // Of the quantized weights' bits, all but the packed data's (4, or 8 for Int8) are block statistics.
            double statisticsBits = method == FinetuneMethod.QLoRA ? bits - (r.Quantization == Quantization.Int8 ? 8 : 4) : 0;
            QuantStatistics = p.Quantizable * statisticsBits / 8;
            ExpertQuantStatistics = p.QuantizableExperts * statisticsBits / 8;
            FrozenBytesPerParameter = method == FinetuneMethod.QLoRA ? 2 : modelBytes;
            HeadBytes = method == FinetuneMethod.QLoRA ? rest : modelBytes;

            double master = (t.MasterCopyInOptimizer && !adapter) || t.ZeroSixteenBitGradients || t.Fp32MainCopy || blockWise ? 4.0 : 0;
            Gradients = (double)p.Trainable * GradientBytes;
            ExpertGradients = (double)p.TrainableExperts * GradientBytes;
            // AdaLoRA's RankAllocator (peft/tuners/adalora/layer.py update_ipt) keeps, beside the optimizer, each adapter
            // tensor's sensitivity |p * grad| and its two moving averages (exp_avg_ipt, exp_avg_unc) between steps.
            double rankAllocator = r.Adapter.Kind == AdapterKind.AdaLoRA ? 3.0 * p.Trainable * trainableBytes : 0;
            States = StatesFor(r.Optimizer, p.Trainable, trainableBytes, r, p, expertsOnly: false) + master * p.Trainable + rankAllocator;
            ExpertStates = p.TrainableExperts == 0 ? 0 : StatesFor(r.Optimizer, p.TrainableExperts, trainableBytes, r, p, expertsOnly: true) + master * p.TrainableExperts;
            StepTemporaries = t.FusedAdamW && r.Optimizer == OptimizerKind.AdamW ? 0 : TemporariesFor(r, p, trainableBytes, t.FusedAdamW);
            // The multi-tensor step's temporaries follow the trainable parameters; a per-tensor step's belong to no part.
            StepTemporariesFollowTrainable = r.Optimizer == OptimizerKind.AdamW || r.Optimizer == OptimizerKind.SGD || r.Optimizer == OptimizerKind.ScheduleFreeAdamW;
            ExpertTemporaries = StepTemporariesFollowTrainable ? StepTemporaries * p.TrainableExperts / Math.Max(1, p.Trainable) : 0;
        }

        /// <summary>Bytes per element of a trainable parameter's gradient.</summary>
        public int GradientBytes { get; }
        /// <summary>Bytes per parameter of a frozen or gathered 16-bit copy.</summary>
        public int FrozenBytesPerParameter { get; }
        /// <summary>Bytes per element of the LM head's stored weight (never quantized).</summary>
        public int HeadBytes { get; }
        public double FullWeights { get; }
        /// <summary>The quantization statistics within FullWeights (bitsandbytes' absmax and nested absmax, Int8's row scales); 0 without a quantized base.</summary>
        public double QuantStatistics { get; }
        public double ExpertQuantStatistics { get; }
        public double Gradients { get; }
        public double States { get; }
        public double StepTemporaries { get; }
        /// <summary>Whether the step's temporaries are a multi-tensor step's, in proportion to the parameters it steps.</summary>
        public bool StepTemporariesFollowTrainable { get; }
        /// <summary>The routed experts' part of each term (ParameterBudget.Experts): sharded over the expert-data-parallel ranks only.</summary>
        public double ExpertWeights { get; }
        public double ExpertGradients { get; }
        public double ExpertStates { get; }
        public double ExpertTemporaries { get; }

        private static double StatesFor(OptimizerKind o, double n, int bytes, ResolvedRecipe r, ParameterBudget p, bool expertsOnly)
        {
            switch (o)
            {
                case OptimizerKind.AdamW:
                case OptimizerKind.PagedAdamW:
                    return 2 * n * bytes;
                case OptimizerKind.BAdam:
                    // The base AdamW's two moments on the block's fp32 copy.
                    return 2 * n * 4.0;
                case OptimizerKind.AdamW8bit:
                case OptimizerKind.PagedAdamW8bit:
                    // One byte per state plus one fp32 absmax per 2048-element block (bitsandbytes blockwise quantization).
                    return 2 * n * (1 + 4.0 / 2048);
                case OptimizerKind.Lion:
                    return n * bytes;
                case OptimizerKind.SGD:
                    return n * bytes;
                case OptimizerKind.Adafactor:
                    return AdafactorStates(r, p, n, expertsOnly);
                case OptimizerKind.ScheduleFreeAdamW:
                    // facebookresearch/schedule_free@70785b5 schedulefree/adamw_schedulefree.py step: state z (a clone
                    // of the parameter) and exp_avg_sq; the parameter holds y.
                    return 2 * n * bytes;
                default:
                    return MatrixStates(o, n, bytes, r, p, expertsOnly);
            }
        }

        /// <summary>8-bit blockwise state: one byte per element and one fp32 absmax per 2048 (bitsandbytes).</summary>
        private const double EightBit = 1 + 4.0 / 2048;

        /// <summary>
        /// The optimizers that treat each block weight as a matrix, under Full (with adapters or Freeze every trained
        /// tensor is counted as the optimizer's per-parameter state, the per-row statistics left out):
        /// GaLore (jiaweizzhao/GaLore@2cc66f8 galore_torch/adamw.py and galore_projector.py): Adam's two moments on the
        /// r x max(m, n) projected gradient and the r x min(m, n) orthogonal factor (cast back to the gradient's dtype),
        /// AdamW on the rest; GaLore8bit the same over bitsandbytes' 8-bit Adam; APOLLO (zhuhanqing/APOLLO@76b3472
        /// apollo_torch/apollo.py, random_projector.py, which keeps its ortho_matrix) likewise with a random projection;
        /// Adam-mini (zyushun/Adam-mini@402aadf adam_mini/adam_mini.py step: m = zeros_like(p), vmean one per output row,
        /// per head for q and k) in the parameter's dtype; Muon (hiyouga/LLaMA-Factory@ff6d4d1
        /// src/llamafactory/third_party/muon/muon.py, trainer_utils.py _create_muon_optimizer: momentum_buffer =
        /// zeros_like(g) on the 2-D weights but the embedding and head, moment1 and moment2 on the rest) one momentum
        /// buffer per block matrix and AdamW's two moments on the rest; CAME (yangluo7/CAME@e77c5c0
        /// came_pytorch/CAME.py step: every state made from grad.float(), so fp32 whatever the parameter) the momentum,
        /// a row and a column statistic for the second moment and for the confidence of each matrix (the embedding and
        /// head too), full moments for vectors.
        /// </summary>
        private static double MatrixStates(OptimizerKind o, double n, int bytes, ResolvedRecipe r, ParameterBudget p, bool expertsOnly)
        {
            bool full = r.Workload.Method == FinetuneMethod.Full;
            if (!full) return o == OptimizerKind.Came ? n * 4.0 : n * bytes;
            var b = BlockMatrices.Of(r, p.Stage, expertsOnly);
            double rest = Math.Max(0, n - b.Elements);
            long h = r.Model.HiddenSize;
            switch (o)
            {
                case OptimizerKind.GaLore:
                case OptimizerKind.Apollo:
                    return (2 * b.Projected + b.Projectors) * bytes + 2 * rest * bytes;
                case OptimizerKind.GaLore8bit:
                    return 2 * b.Projected * EightBit + b.Projectors * bytes + 2 * rest * EightBit;
                case OptimizerKind.AdamMini:
                    return (n + b.Rows + rest / h) * bytes;
                case OptimizerKind.Muon:
                    return b.Elements * bytes + 2 * rest * bytes;
                default:
                    return (n + 2 * (b.Rows + b.Columns) + 2 * (rest / h + h)) * 4.0;
            }
        }

        /// <summary>
        /// Adafactor keeps a row and a column statistic per matrix, a full one per vector (fp32), no momentum; of the
        /// routed experts' matrices only, where asked.
        /// </summary>
        private static double AdafactorStates(ResolvedRecipe r, ParameterBudget p, double trainable, bool expertsOnly)
        {
            var m = r.Model;
            var stage = p.Stage;
            if (r.Workload.Method != FinetuneMethod.Full) return trainable * 4.0;
            double sum = stage.HasEmbedding && !expertsOnly ? (m.VocabSize / (double)stage.Tensor + m.HiddenSize) * 4.0 : 0;
            for (int i = stage.FirstLayer; i < stage.EndLayer; i++)
            {
                bool moe = m.IsMoeLayer(i);
                foreach (var mod in m.LinearModules(i))
                {
                    bool expert = moe && mod.Count > 1 && mod.Role != Models.LinearRole.Router;
                    if (expert || !expertsOnly) sum += (mod.InFeatures + mod.OutFeatures) * 4.0 * mod.Count / stage.Divisor(mod, moe);
                }
                if (!expertsOnly) sum += m.LayerNormParameters * 4.0;
            }
            return sum;
        }

        private static double TemporariesFor(ResolvedRecipe r, ParameterBudget p, int bytes, bool fusedAdamW)
        {
            if (r.Has(Techniques.OptimizerInBackward)) return 0;
            double largest = Math.Min(p.LargestTensor, p.Trainable);
            switch (r.Optimizer)
            {
                case OptimizerKind.AdamW when r.Release.StepTemporariesOfLargest > 0:
                    return r.Release.StepTemporariesOfLargest * largest * bytes;
                case OptimizerKind.AdamW:
                case OptimizerKind.SGD:
                case OptimizerKind.ScheduleFreeAdamW:
                    // torch's default multi-tensor (foreach) step: _foreach_sqrt of the second moment is one
                    // trainable-size temporary list (AdamWScheduleFree takes the foreach path where torch has it).
                    return (double)p.Trainable * bytes;
                case OptimizerKind.Adafactor:
                case OptimizerKind.Lion:
                case OptimizerKind.Apollo:
                    // Per-tensor implementations: the largest tensor's fp32 update and squared gradient (APOLLO: the
                    // scaled full-rank gradient and its update).
                    return 2.0 * largest * 4;
                case OptimizerKind.AdamMini:
                    // adam_mini.py step, one tensor at a time in its own dtype: grad * grad for the row means, then
                    // the update m * stepsize.
                    return 2.0 * largest * bytes;
                case OptimizerKind.BAdam:
                    // _grad_to_hp: each 16-bit gradient becomes the fp32 copy's gradient and is freed (2 more bytes
                    // per parameter than the gradients held), then the base AdamW's foreach step (one fp32 temporary
                    // list) unless it is fused.
                    return (4.0 - bytes) * p.Trainable + (fusedAdamW ? 0 : 4.0 * p.Trainable);
                case OptimizerKind.Came:
                    // CAME.py step on the largest tensor, all fp32: the update (grad**2, then its factored approximation
                    // times the gradient), update - exp_avg and its square; a 16-bit gradient's grad.float() copy beside them.
                    return (bytes < 4 ? 4.0 : 3.0) * largest * 4;
                default:
                    return MatrixTemporaries(r, p, bytes, largest);
            }
        }

        /// <summary>
        /// GaLore's projection update (every update_proj_gap steps, the step that peaks): torch.linalg.svd of the
        /// largest block matrix cast to fp32 (full_matrices=False: U m x k, Vh k x n, k = min(m, n)), beside the
        /// per-tensor AdamW on the rest. Muon's Newton-Schulz on the largest block matrix in bf16 (X, A = X X^T,
        /// A A, B, B X) and the Nesterov update in the parameter dtype.
        /// </summary>
        private static double MatrixTemporaries(ResolvedRecipe r, ParameterBudget p, int bytes, double largest)
        {
            if (r.Workload.Method != FinetuneMethod.Full) return 2.0 * largest * bytes;
            var b = BlockMatrices.Of(r, p.Stage, expertsOnly: false);
            double rows = b.LargestRows, cols = b.LargestColumns, k = Math.Min(rows, cols);
            double matrix = r.Optimizer == OptimizerKind.Muon
                ? 2.0 * (2 * rows * cols + 3 * k * k) + rows * cols * bytes
                : 4.0 * (rows * cols + rows * k + k * cols);
            return Math.Max(matrix, 2.0 * largest * bytes);
        }
    }
}
