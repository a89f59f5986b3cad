using System;
using VramPS.Engine.Frameworks;

namespace VramPS.Engine.Estimation
{
    /// <summary>How the loss path holds logits, per token, as multiples of the vocabulary size (bytes per vocabulary entry).</summary>
    internal readonly struct LogitsFootprint
    {
        public LogitsFootprint(double forwardPeak, double backwardPeak, double held, double strandedAtBackward = 0)
        {
            ForwardPeak = forwardPeak;
            BackwardPeak = backwardPeak;
            Held = held;
            StrandedAtBackward = strandedAtBackward;
        }

        /// <summary>Largest moment inside the loss computation.</summary>
        public double ForwardPeak { get; }
        /// <summary>Largest moment of the loss and head backward.</summary>
        public double BackwardPeak { get; }
        /// <summary>Still held between the end of forward and the start of backward.</summary>
        public double Held { get; }
        /// <summary>
        /// Freed before backward but cached where the backward's larger buffers cannot use it, at their peak (reserved,
        /// never allocated).
        /// </summary>
        public double StrandedAtBackward { get; }
    }

    /// <summary>
    /// What a training stack really does with the tensors of a step: adapter dtype, the fp32 upcast of k-bit
    /// preparation, how the loss holds logits, the optimizer implementation, its module code. One instance per
    /// resolved recipe: the framework's profile (Frameworks/Profiles, each behaviour with its source) applied to the
    /// recipe's method, precision and sharding.
    /// </summary>
    internal sealed class TrainerBehavior
    {
        public TrainerBehavior(ResolvedRecipe r)
        {
            var f = r.Profile;
            MasterCopyInOptimizer = f.MasterCopyInOptimizer.Value && AutocastOverFp32(r.Precision);
            HoldsUnshardedStage = f.PipelineHoldsUnshardedStage.Value && r.Parallel.Pipeline > 1 && r.Sharding == Sharding.Zero2
                && r.Parallel.ShardDegree > 1 && r.Workload.Method == FinetuneMethod.Full;
            // Under a 16-bit DeepSpeed config the engine builds its mixed-precision ZeRO optimizer whatever dtype the
            // frozen model was loaded in, so an adapter run's 16-bit precision brings it too.
            bool zeroMixed = AutocastOverFp32(r.Precision)
                || r.IsAdapter && (r.Precision == Precision.Bf16 || r.Precision == Precision.Fp16);
            ZeroSixteenBitGradients = f.MasterCopyInOptimizer.Value && zeroMixed && f.ZeroSixteenBitGradients.Value && r.Sharding != Sharding.None;
            Fp16GradientsFlattenedAtStep = MasterCopyInOptimizer && r.Precision == Precision.Fp16Mixed && r.Sharding == Sharding.None
                && f.Fp16GradientsFlattenedAtStep.Value && !r.IsAdapter;
            // DeepSpeed's bf16/fp16 engine casts the whole module, adapters included, to the 16-bit dtype
            // (deepspeedai/DeepSpeed engine.py _configure_distributed_model: module.bfloat16() / half(), in recent releases
            // _cast_module_mixed_precision on the parameters) and
            // gives its ZeRO optimizer the trainable adapters, whose fp32 master partition it keeps beside Adam's moments.
            AdapterBytes = f.AdaptersInComputeDtype.Value || ZeroSixteenBitGradients ? ComputeBytes(r.Precision) : 4;
            // A stack that gives every 16-bit trained parameter an fp32 gradient and main copy (Megatron-Core under --bf16)
            // does so for a 16-bit model's adapters as for its weights, whether or not the recipe calls the precision mixed.
            Fp32MainCopy = f.Fp32MainCopyOfSixteenBitTrainables.Value && r.Precision != Precision.Fp32
                && (!r.IsAdapter || AdapterBytes == 2);

            // Under FSDP every flat parameter must share one dtype, so the k-bit preparation's upcast does not survive sharding.
            UpcastsNonQuantized = r.Workload.Method == FinetuneMethod.QLoRA
                && !(r.Sharding == Sharding.Zero3 && r.Parallel.ShardDegree > 1)
                && f.KbitPreparationUpcast.Value;

            // bitsandbytes' 4-bit linear returns its output in its input's dtype. With TRL's upcast the norms run in
            // fp32; under the Trainer's --bf16 autocast a LayerNorm returns fp32 as well (layer_norm is on autocast's
            // fp32 list). Either way the quantized linears then emit fp32, the residual add promotes, and hidden
            // states, MLP intermediates and checkpoints become fp32.
            Fp32Stream = UpcastsNonQuantized
                || (r.Workload.Method == FinetuneMethod.QLoRA && f.TransformersTrainer.Value && r.Model.Norm == Models.NormKind.LayerNorm);

            LoraDropout = f.LoraDropout.Value > 0;

            // The Trainer's --bf16 / --fp16 autocast runs peft's fp32 adapters: lora_A casts its input to 16-bit for
            // itself and saves that copy, and its output is 16-bit.
            // A 16-bit model runs under autocast too, except where the profile says the loop runs it without (peft's
            // own benchmark: only the mixed precisions autocast there).
            AutocastAdapters = f.TransformersTrainer.Value && r.Precision != Precision.Fp32 && AdapterBytes != ComputeBytes(r.Precision)
                && (f.AutocastsSixteenBitModel.Value || AutocastOverFp32(r.Precision));

            ChunkedHead = f.ChunkedHead.Value;
            FusedQkvAdapters = f.FusedQkvAdapters.Value;
            SoftcapAttentionByHand = f.SoftcapAttentionByHand.Value;
            SeparateHead = f.SeparateHead.Value;
            QuantizesOnlyAdapted = f.Nf4OnlyAdaptedLinears.Value;
            QuantizedLinearSavesInput = !f.Nf4OnlyAdaptedLinears.Value;
            bool fourBit = r.Workload.Method == FinetuneMethod.QLoRA && r.Quantization != Quantization.Int8;
            QuantizesHead = fourBit && f.QuantizesHead.Value;
            // dequantize_4bit returns the dtype the weight was quantized from; MatMul4Bit casts it to its input's.
            int c = ComputeBytes(r.Precision);
            HeadDequantBytes = !QuantizesHead ? 0 : f.QuantizesFromFp16.Value && r.Precision != Precision.Fp16 ? 2 + c : c;
            // The previous micro-batch's graph survives into the next forward, and its 4-bit matmuls still hold their inputs.
            KeepsPreviousQuantizedInputs = fourBit && QuantizedLinearSavesInput && f.OutputKept.Value == OutputLifetime.UntilNextForward && f.QuantizedInputOutlivesBackward.Value;
            GeluNewInPython = f.GeluNewInPython.Value;
            FusedAdamW = f.FusedAdamW.Value;

            // Both count 18 bytes per parameter with AdamW: 2 weights + 4 gradients + 12 master and moments; ZeRO's
            // 16-bit gradients make it 16 and an fp32 gradient for the (sub-)group being stepped (StepLayout).
            ZeroSubGroupElements = f.ZeroSubGroupElements.Value;
            DdpBucketCopy = f.DdpBucketCopy.Value;
            FusedNorms = f.FusedNorms.Value;
            FusedSoftmax = f.FusedSoftmax.Value;
            FusedActivation = f.FusedActivation.Value;
            GathersModules = f.GathersModules.Value;
            OffloadsGradients = f.OffloadsGradients.Value;
            ReduceBucketElements = r.Sharding == Sharding.Zero3 && f.Zero3ReduceBucketFromHiddenSize.Value
                ? (long)r.Model.HiddenSize * r.Model.HiddenSize : f.ReduceBucketElements.Value;
            UpcastsOnlyTrainable = f.UpcastsOnlyTrainable.Value && AutocastOverFp32(r.Precision) && r.Workload.Method == FinetuneMethod.Freeze;
            DoubleQuant = f.DoubleQuant.Value;

            ClampsMaskedScores = OwnOptCode(r);

            Logits = LogitsFor(r);
            // The output a loop keeps holds the logits as the model returns them: upcast to fp32 by transformers up to
            // 4.45 (modeling_llama.py logits.float()), in the compute dtype from 4.46 (the loss function upcasts its own
            // copy) and where the model takes its own loss on the 16-bit logits (OPT, GPTBigCode).
            var v = r.TransformersVersion ?? new Version(4, 46);
            bool upcastInModel = f.LossPath.Value == LossPath.Transformers && v < new Version(4, 46) && !OwnShiftedLoss(r);
            HeldOutputLogitsBytes = f.OutputKept.Value == OutputLifetime.UntilLoss || r.Has(Techniques.FusedLinearLoss) ? 0 : upcastInModel ? 4 : c;
            // A loop that keeps the output until the next forward returns holds the previous step's logits beside that
            // forward's, where the model takes its loss inside forward (DeepSpeed-Chat). litgpt takes its loss after
            // model() has returned and rebound the logits: beside its head's forward the old and new chunks are the two
            // buffers its loss footprint counts at the end of forward (the new chunks and their log-softmax at the loss).
            PreviousOutputLogitsBytes = f.OutputKept.Value == OutputLifetime.UntilNextForward && f.LossPath.Value != LossPath.Litgpt ? HeldOutputLogitsBytes : 0;
            // Up to 4.45 the loss's backward peak is its own three fp32 buffers (the saved log-softmax, its gradient and
            // the input's); the kept fp32 output lives beside them. From 4.46 the footprint counts the 16-bit logits already.
            if (HeldOutputLogitsBytes > 0 && upcastInModel)
                Logits = new LogitsFootprint(Logits.ForwardPeak, Logits.BackwardPeak + HeldOutputLogitsBytes, Logits.Held);
        }

        /// <summary>The first transformers release whose OPT hands its loss to the shared loss_function (which upcasts the logits).</summary>
        private static readonly Version OptSharedLossFrom = new Version(4, 46);

        /// <summary>
        /// OPT's model code in the transformers releases VramPS reads as before 4.46 (modeling_opt.py as DeepSpeed-Chat's
        /// April 2023 logs ran it, transformers main of 2023-04, and unchanged in these two respects through 4.36):
        /// OPTAttention clamps the masked scores with torch.max(attn_weights, finfo.min), and OPTForCausalLM computes its
        /// own CrossEntropyLoss on a shifted contiguous copy of the 16-bit logits, without upcasting them.
        /// </summary>
        private static bool OwnOptCode(ResolvedRecipe r) =>
            r.Model.ModelType == "opt" && r.TransformersVersion is Version v && v < OptSharedLossFrom;

        /// <summary>The model takes its own loss on its 16-bit logits (below 4.50, where transformers' shared loss has not taken over).</summary>
        private static bool OwnShiftedLoss(ResolvedRecipe r) => r.Model.ModelType == "gpt_bigcode" || OwnOptCode(r);

        /// <summary>
        /// The same trainer with its loss path given by the caller: an alignment stage owns its own loss buffers, the
        /// outputs its loop keeps among them (OfflineLayout).
        /// </summary>
        public TrainerBehavior(ResolvedRecipe r, LogitsFootprint logits) : this(r)
        {
            Logits = logits;
            HeldOutputLogitsBytes = 0;
            PreviousOutputLogitsBytes = 0;
            StageOwnsLoss = true;
        }

        /// <summary>An alignment stage lays out its own loss buffers (fused or not); the step holds none of the SFT loss's.</summary>
        public bool StageOwnsLoss { get; }

        public bool DoubleQuant { get; }
        /// <summary>
        /// Without ZeRO, DeepSpeed's FP16_Optimizer: 16-bit gradients on the parameters, flattened to an fp32 copy at the
        /// step beside a per-parameter fp32 copy of each.
        /// </summary>
        public bool Fp16GradientsFlattenedAtStep { get; }
        /// <summary>
        /// Eager attention clamps the masked scores with torch.max, whose backward (aten maximum) keeps its 16-bit input,
        /// the scores plus the mask: one more heads x keys tensor per token (OPT before transformers 4.46).
        /// </summary>
        public bool ClampsMaskedScores { get; }
        /// <summary>Attention with capped logits runs as eager matmul, tanh and softmax whatever kernel was asked for.</summary>
        public bool SoftcapAttentionByHand { get; }
        /// <summary>Only the trainable parameters are fp32; the frozen ones stay in the 16-bit compute dtype (LLaMA-Factory's Freeze).</summary>
        public bool UpcastsOnlyTrainable { get; }
        public bool FusedAdamW { get; }
        public bool MasterCopyInOptimizer { get; }
        /// <summary>
        /// A pipeline stage sharded without resharding after forward keeps its parameters gathered in the 16-bit
        /// param_dtype and its gradients unsharded in fp32 until the step's last backward (PipelineHoldsUnshardedStage).
        /// </summary>
        public bool HoldsUnshardedStage { get; }
        /// <summary>Every trained parameter is 16-bit with an fp32 gradient, an fp32 main copy and fp32 moments (Megatron-Core).</summary>
        public bool Fp32MainCopy { get; }
        /// <summary>ZeRO holds 16-bit gradients; its step casts one (sub-)group's partition to fp32 at a time.</summary>
        public bool ZeroSixteenBitGradients { get; }
        public long ZeroSubGroupElements { get; }
        /// <summary>torch DDP holds a bucket copy of every gradient on several data-parallel ranks.</summary>
        public bool DdpBucketCopy { get; }
        public bool FusedNorms { get; }
        public bool FusedSoftmax { get; }
        public bool FusedActivation { get; }
        public bool GathersModules { get; }
        public bool OffloadsGradients { get; }
        public long ReduceBucketElements { get; }
        public bool QuantizesOnlyAdapted { get; }
        public bool QuantizedLinearSavesInput { get; }
        /// <summary>Under QLoRA the output head is a 4-bit linear too.</summary>
        public bool QuantizesHead { get; }
        /// <summary>Bytes per head weight element that one dequantization of the 4-bit head holds at once (the dequantized copy and its cast); 0 when the head is not quantized.</summary>
        public int HeadDequantBytes { get; }
        /// <summary>While the next forward runs, the previous micro-batch's 4-bit matmuls still hold their inputs.</summary>
        public bool KeepsPreviousQuantizedInputs { get; }
        /// <summary>gelu_new runs as the Python tanh formula, op by op.</summary>
        public bool GeluNewInPython { get; }

        public int AdapterBytes { get; }
        public bool UpcastsNonQuantized { get; }
        public bool Fp32Stream { get; }
        public bool LoraDropout { get; }
        /// <summary>Adapters in fp32 run under the Trainer's 16-bit autocast: what they save for backward is 16-bit.</summary>
        public bool AutocastAdapters { get; }
        public bool ChunkedHead { get; }
        public bool FusedQkvAdapters { get; }
        public bool SeparateHead { get; }
        public LogitsFootprint Logits { get; }
        /// <summary>Bytes per vocabulary entry per token of the logits the loop's kept output holds through backward and the step; 0 where it keeps none.</summary>
        public int HeldOutputLogitsBytes { get; }
        /// <summary>Bytes per vocabulary entry per token of the previous step's kept logits beside the next forward's loss; 0 where none.</summary>
        public int PreviousOutputLogitsBytes { get; }

        public static int ComputeBytes(Precision p) => p == Precision.Fp32 ? 4 : 2;

        public static bool AutocastOverFp32(Precision p) => p == Precision.Bf16Mixed || p == Precision.Fp16Mixed;

        /// <summary>The Trainer's accelerate autocast runs the Hugging Face forward: a mixed precision, or an adapter run where the profile autocasts a 16-bit model.</summary>
        public static bool AutocastsHfForward(ResolvedRecipe r) =>
            AutocastOverFp32(r.Precision) || r.IsAdapter && r.Profile.AutocastsSixteenBitModel.Value;

        /// <summary>
        /// transformers' causal-LM loss path by release: up to 4.45 the model upcasts the logits (the 16-bit ones are
        /// freed at once), then the loss shifts a contiguous fp32 copy and keeps the log-softmax (12 bytes per entry);
        /// 4.46-4.49 keep the 16-bit logits in the outputs and do the upcast, shift and log-softmax in the loss
        /// function (c + 12); from 4.50 the labels are shifted instead (c + 8). A fast cross-entropy kernel (fms
        /// FOAK, Unsloth) drops the fp32 log-softmax copies. GPTBigCode kept its own loss before 4.50.
        /// </summary>
        private static LogitsFootprint HuggingFaceLogits(ResolvedRecipe r, int c)
        {
            var v = r.TransformersVersion ?? new Version(4, 46);
            bool chunked = r.Has(Techniques.ChunkedLoss);
            if (v >= new Version(4, 50))
                return chunked ? new LogitsFootprint(c + 4, c + 4, c) : new LogitsFootprint(c + 8, c + 8, c + 4);
            if (OwnShiftedLoss(r)) return OwnShiftedLossLogits(r, c, chunked);
            if (v >= new Version(4, 46))
                return chunked ? new LogitsFootprint(c + 6, c + 6, c + 4) : new LogitsFootprint(c + 12, c + 10, c + 4);
            return chunked ? new LogitsFootprint(8, 8, 8) : new LogitsFootprint(12, 12, 8);
        }

        /// <summary>
        /// A model's own loss on its 16-bit logits: GPTBigCode's before 4.50 (modeling_gpt_bigcode.py
        /// GPTBigCodeForCausalLM.forward) and OPT's before 4.46 (modeling_opt.py OPTForCausalLM.forward, logits =
        /// self.lm_head(outputs[0]).contiguous(), no upcast), each a contiguous shifted copy of the 16-bit logits into
        /// CrossEntropyLoss. Without autocast the log-softmax is 16-bit (3c
        /// forward, 4c with its gradient). Under autocast cross-entropy casts that copy to fp32 and keeps an fp32
        /// log-softmax beside the logits and the copy (2c + 8); the backward is the loss function's (c + 10). A fast
        /// cross-entropy kernel (fms FOAK patches CrossEntropyLoss in that module) keeps only the shifted copy and
        /// writes its gradient into it, so backward adds the slice's full-size gradient (3c); under autocast
        /// accelerate's convert_outputs_to_fp32 then copies the returned logits to fp32 (2c + 4).
        /// </summary>
        private static LogitsFootprint OwnShiftedLossLogits(ResolvedRecipe r, int c, bool fastLoss)
        {
            // A stack that keeps the master copy in its optimizer (DeepSpeed's engine) runs the 16-bit model without autocast.
            bool autocast = AutocastsHfForward(r) && !r.Profile.MasterCopyInOptimizer.Value;
            if (fastLoss) return new LogitsFootprint(autocast ? 2 * c + 4 : 2 * c, 3 * c, 2 * c);
            return autocast ? new LogitsFootprint(2 * c + 8, c + 10, c + 4) : new LogitsFootprint(3 * c, 4 * c, 2 * c);
        }

        /// <summary>What unsloth_zoo sizes chunks by (_CE_BYTES_PER_LOGIT 16) against its target of 4 GiB a chunk (min(free / 2, 4 GiB)).</summary>
        private const double UnslothSizingBytesPerLogit = 16, UnslothChunkTarget = 4.0 * (1L << 30);

        /// <summary>
        /// unsloth_zoo's UnslothFusedLoss (unslothai/unsloth-zoo unsloth_zoo/fused_losses.py, which its compiler puts in place of
        /// lm_head and the loss; loss_utils.py@002a0c9 imports it): forward computes each chunk's logits, loss and input
        /// gradient (torch.func.grad_and_value) and keeps only the 16-bit gradient of the hidden states until backward, which
        /// scales it into a new tensor. The chunk count is get_chunk_size's: one chunk while all logits at 16 bytes each fit
        /// the 4 GiB target (the cap when half the free memory exceeds it), else the next multiple of 4 chunks that does.
        /// Its chunk step runs torch.compile'd (fullgraph, the default torch_compile=True): the chunk's logits and their
        /// gradient are what it materializes, in the compute dtype (2c bytes a logit; reasoned from the compiled graph, not
        /// measured; the eager fallback holds 14 by unsloth_zoo's own count). Bytes per logit of the whole output: the
        /// chunk's share of 2c, and the hidden states' gradient (c x hidden per token) spread over the vocabulary.
        /// </summary>
        /// <summary>Whether the step's loss is Unsloth's fused one (its profile's loss path with a chunked loss, the logits materialized).</summary>
        internal static bool UsesUnslothFusedLoss(ResolvedRecipe r) =>
            r.Profile.LossPath.Value == LossPath.UnslothFused && r.Has(Techniques.ChunkedLoss) && !r.Has(Techniques.FusedLinearLoss);

        /// <summary>get_chunk_size's chunk count for the micro-batch's logits.</summary>
        internal static double UnslothFusedChunks(ResolvedRecipe r)
        {
            double tokens = (double)r.BatchSize * r.SequenceLength;
            double exact = tokens * r.Model.VocabSize * UnslothSizingBytesPerLogit / UnslothChunkTarget;
            return exact <= 1 ? 1 : Math.Min(tokens, Math.Ceiling(exact / 4) * 4);
        }

        private static LogitsFootprint UnslothFusedLoss(ResolvedRecipe r, int c)
        {
            double chunks = UnslothFusedChunks(r);
            double gradient = (double)c * r.Model.HiddenSize / r.Model.VocabSize;
            return new LogitsFootprint(gradient + 2.0 * c / chunks, 2 * gradient, gradient);
        }

        /// <summary>CEWithChunkedOutputLoss's num_output_chunks default (torchtune modules/loss/ce_chunked_output_loss.py at 1814feb).</summary>
        private const int TorchtuneOutputChunks = 8;

        /// <summary>The compiled loss over the 16-bit output in this many chunks: it keeps the output, and backward one chunk's gradient beside it.</summary>
        private static LogitsFootprint CompiledLoss(int c, int chunks) => new LogitsFootprint(c, c + (double)c / chunks, c);

        private static bool LossParallel(ResolvedRecipe r) => r.Profile.LossParallel.Value && r.Parallel.Tensor > 1;

        /// <summary>
        /// Whether the recipe's loss runs compiled whole where the profile compiles it (<paramref name="compilesLoss"/>):
        /// compiled, on the Fp32Upcast path, neither chunked nor torch's op-by-op loss_parallel, nor a fused linear loss.
        /// </summary>
        internal static bool CompilesWholeLoss(ResolvedRecipe r, bool compilesLoss) =>
            compilesLoss && r.Has(Techniques.Compile) && r.Profile.LossPath.Value == LossPath.Fp32Upcast
            && !r.Has(Techniques.ChunkedLoss) && !r.Has(Techniques.FusedLinearLoss) && !LossParallel(r);

        private static LogitsFootprint LogitsFor(ResolvedRecipe r)
        {
            if (r.Has(Techniques.FusedLinearLoss)) return new LogitsFootprint(0, 0, 0);
            int c = ComputeBytes(r.Precision);
            switch (r.Profile.LossPath.Value)
            {
                case LossPath.Litgpt:
                    // bf16 logit chunks plus each chunk's log-softmax in the compute dtype.
                    return new LogitsFootprint(2 * c, 2 * c + c, 2 * c);
                case LossPath.Fp32Upcast:
                    // CEWithChunkedOutputLoss keeps the 16-bit logit chunks and upcasts one of eight chunks at a time;
                    // without it the whole output is cast to fp32 before the loss. Under compile the recipes compile its
                    // compute_cross_entropy (torchtune training/_compile.py compile_loss at 1814feb): the upcast fuses into
                    // the loss kernels, which save only their 16-bit input, so forward holds the chunks alone; backward runs
                    // every chunk's loss before any head chunk (higher autograd sequence numbers), each writing its 16-bit
                    // gradient beside its saved chunk before releasing it: one chunk (an eighth) more.
                    if (r.Has(Techniques.ChunkedLoss))
                        return r.Has(Techniques.Compile) ? CompiledLoss(c, TorchtuneOutputChunks) : new LogitsFootprint(c + 1, c + 1, c);
                    // torch's loss_parallel runs on the vocabulary shard op by op (tensor/parallel/loss.py): _log_softmax
                    // holds the fp32 copy, x - max, its exp and the result beside the 16-bit logits; the fused
                    // nll_loss backward holds the saved log-softmax, zeros_like of it, its exp, their sum and the product
                    // with the incoming gradient, all fp32.
                    if (LossParallel(r)) return new LogitsFootprint(c + 12, 16, c + 4);
                    // A loss compiled whole (torchtitan's, in the releases its profile dates) is that one chunk.
                    if (CompilesWholeLoss(r, r.Profile.CompilesLoss.Value)) return CompiledLoss(c, 1);
                    // The recipes delete the 16-bit logits before backward (torchtune recipes "free logits otherwise it
                    // peaks backward memory", torchtitan train.py@9dec370 del pred), which .float() did not save: backward
                    // holds the saved log-softmax, nll_loss's gradient and log_softmax's, 4 bytes each. The 16-bit logits
                    // and their fp32 copy were allocated one after the other just below the log-softmax, so once both are
                    // freed that hole (c + 4 bytes) holds one of the two fp32 gradients and the other is allocated past
                    // the log-softmax: c bytes stay cached and unused at that peak, whether the allocator's segments are
                    // expandable (one growing segment) or not (each block its own segment).
                    return new LogitsFootprint(c + 8, 12, 8, c);
                case LossPath.UnslothFused when r.Has(Techniques.ChunkedLoss):
                    return UnslothFusedLoss(r, c);
                case LossPath.Megatron:
                    // megatron/core/tensor_parallel/cross_entropy.py: the vocabulary-parallel loss casts the 16-bit logits
                    // to fp32 and turns that copy into the softmax in place, which it saves; backward writes the gradient
                    // into it and hands a 16-bit copy to the output layer.
                    return new LogitsFootprint(c + 4, 4 + c, 4);
                default:
                    return HuggingFaceLogits(r, c);
            }
        }
    }
}
