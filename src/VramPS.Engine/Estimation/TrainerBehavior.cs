using System;

namespace VramPS.Engine.Estimation
{
    /// <summary>How the loss path holds logits, per token, as multiples of the vocabulary size (bytes per vocabulary entry).</summary>
    internal readonly struct LogitsFootprint
    {
        public LogitsFootprint(double forwardPeak, double backwardPeak, double held)
        {
            ForwardPeak = forwardPeak;
            BackwardPeak = backwardPeak;
            Held = held;
        }

        /// <summary>Largest moment inside the loss computation.</summary>
        public double ForwardPeak { get; }
        /// <summary>Largest moment of the loss and head backward.</summary>
        public double BackwardPeak { get; }
        /// <summary>Still held between the end of forward and the start of backward.</summary>
        public double Held { get; }
    }

    /// <summary>
    /// What a training stack really does with the tensors of a step: adapter dtype, the fp32 upcast of k-bit
    /// preparation, how the loss holds logits, the optimizer implementation, its module code. One instance per
    /// resolved recipe; every choice traces to the trainer's source (see docs/architecture.md).
    /// </summary>
    internal sealed class TrainerBehavior
    {
        public TrainerBehavior(ResolvedRecipe r)
        {
            var f = r.Framework;
            bool nativeStack = f == Framework.Litgpt || f == Framework.Torchtune;

            // peft upcasts adapters to fp32 (autocast_adapter_dtype); litgpt and torchtune keep them in the model dtype.
            AdapterBytes = nativeStack ? ComputeBytes(r.Precision) : 4;

            // TRL / peft prepare_model_for_kbit_training upcasts every non-quantized parameter to fp32 (axolotl calls
            // it too); fms-acceleration's accelerated-peft, LLaMA-Factory (its own preparation upcasts norms only on
            // request), litgpt, torchtune, fsdp_qlora and Unsloth skip it.
            // Under FSDP every flat parameter must share one dtype, so the upcast does not survive sharding.
            UpcastsNonQuantized = r.Workload.Method == FinetuneMethod.QLoRA
                && !(r.Sharding == Sharding.Zero3 && r.Parallel.ShardDegree > 1)
                && (f == Framework.HfTrainer || f == Framework.Peft || f == Framework.Axolotl);

            // bitsandbytes' 4-bit linear returns its output in its input's dtype. With TRL's upcast the norms run in
            // fp32; under the Trainer's --bf16 autocast a LayerNorm returns fp32 as well (layer_norm is on autocast's
            // fp32 list). Either way the quantized linears then emit fp32, the residual add promotes, and hidden
            // states, MLP intermediates and checkpoints become fp32.
            Fp32Stream = UpcastsNonQuantized
                || (r.Workload.Method == FinetuneMethod.QLoRA && HuggingFaceStack(f) && r.Model.Norm == Models.NormKind.LayerNorm);

            // Adapter dropout (a mask and an output per adapted module) where the framework's default lora_dropout is
            // above 0: litgpt 0.05 (litgpt/finetune/lora.py setup), fms-hf-tuning 0.05 (tuning/config/peft_config.py
            // LoraConfig), fsdp_qlora 0.1 (train.py main). peft's LoraConfig defaults to 0.0 (the HF Trainer, TRL,
            // DeepSpeed and Megatron-LM runs that build one), and so do axolotl (lora_dropout 0.0 in its config schema),
            // LLaMA-Factory (FinetuningArguments.lora_dropout 0.0), torchtune (lora_dropout 0.0 in its builders and
            // configs) and Unsloth (FastLanguageModel.get_peft_model lora_dropout 0).
            LoraDropout = f == Framework.Litgpt || f == Framework.FmsAcceleration || f == Framework.FsdpQlora;

            // The Trainer's --bf16 / --fp16 autocast runs peft's fp32 adapters: lora_A casts its input to 16-bit for
            // itself and saves that copy, and its output is 16-bit.
            // peft's own benchmark loop (method_comparison/MetaMathQA/run.py, use_amp false) runs a 16-bit model without
            // autocast: there only the mixed precisions autocast.
            AutocastAdapters = HuggingFaceStack(f) && r.Precision != Precision.Fp32 && AdapterBytes != ComputeBytes(r.Precision)
                && (f != Framework.Peft || AutocastOverFp32(r.Precision));

            // litgpt computes the head in 128-token chunks and a cross-entropy per chunk.
            ChunkedHead = f == Framework.Litgpt;

            // litgpt fuses q, k, v into one attn linear whatever the checkpoint calls them; adapters see one input.
            FusedQkvAdapters = f == Framework.Litgpt;

            // litgpt computes attention by hand, not through SDPA, when the model caps its attention logits (Gemma 2):
            // litgpt/model.py CausalSelfAttention.scaled_dot_product_attention, "with softcapping we cannot use SDPA".
            SoftcapAttentionByHand = f == Framework.Litgpt;

            // litgpt keeps a separate output head even for tied checkpoints (its converter copies the embedding).
            SeparateHead = f == Framework.Litgpt;

            // torchtune quantizes only the linears that carry an adapter, and torchao's linear_nf4 saves the NF4
            // weight, not the input, for backward (docs/source/tutorials/qlora_finetune.rst). bitsandbytes'
            // 4-bit matmul saves its input whatever trains.
            QuantizesOnlyAdapted = f == Framework.Torchtune;
            QuantizedLinearSavesInput = f != Framework.Torchtune;

            // torchtune's recipes build AdamW with fused=True: the step needs no temporaries. Megatron-LM (apex / Transformer
            // Engine FusedAdam) and DeepSpeed (FusedAdam) step with fused multi-tensor kernels too.
            FusedAdamW = f == Framework.Torchtune || f == Framework.MegatronLM || f == Framework.DeepSpeed;

            // Megatron-LM's --bf16 and DeepSpeed's bf16 / fp16 modes hold the model in 16-bit and give the optimizer an
            // fp32 master copy (Megatron's Float16OptimizerWithFloat16Params, DeepSpeed's BF16_Optimizer and ZeRO's fp32
            // partitions); gradients are accumulated in fp32 (Megatron's main_grad buffer, ZeRO's fp32 gradient
            // partitions). Both count 18 bytes per parameter with AdamW: 2 weights + 4 gradients + 12 master and moments.
            MasterCopyInOptimizer = (f == Framework.MegatronLM || f == Framework.DeepSpeed) && AutocastOverFp32(r.Precision);

            // torch DDP keeps its reduce buckets beside param.grad (gradient_as_bucket_view defaults to False). Megatron-LM's
            // DistributedDataParallel reduces from one contiguous fp32 gradient buffer that the parameters' main_grad
            // fields view. DeepSpeed's engine does not wrap the model in torch DDP: without ZeRO it all-reduces the
            // gradients through flattened buckets of 5e8 elements (deepspeed/runtime/engine.py allreduce_gradients ->
            // buffered_allreduce_fallback(elements_per_buffer=500000000) -> allreduce_and_copy), the reduce bucket.
            DdpBucketCopy = f != Framework.MegatronLM && f != Framework.DeepSpeed;

            // Transformer Engine's fused LayerNormLinear keeps the 16-bit norm input (and rstd), not an fp32 copy, and its
            // fused SwiGLU keeps the fc1 output and the fc2 input only.
            FusedNorms = f == Framework.MegatronLM;
            // Megatron-LM fuses scale, mask and softmax (--masked-softmax-fusion, on by default): the kernel saves its
            // 16-bit output only (megatron/core/fusions/fused_softmax.py).
            FusedSoftmax = f == Framework.MegatronLM;
            FusedActivation = f == Framework.MegatronLM;

            // DeepSpeed ZeRO-3 gathers parameters module by module (estimate_zero3_model_states_mem_needs counts the
            // largest module's 16-bit weight and gradient) and reduces gradients through a reduce bucket of
            // reduce_bucket_size elements (5e8 by default, deepspeed/runtime/zero/config.py).
            GathersModules = f == Framework.DeepSpeed;

            // ZeRO-Offload keeps the fp32 gradient partitions on the host next to the states it steps there.
            OffloadsGradients = f == Framework.DeepSpeed;
            ReduceBucketElements = f == Framework.DeepSpeed ? 500_000_000 : 0;

            // LLaMA-Factory loads the model in its compute dtype (torch_dtype "auto" / bf16) and upcasts only the
            // trainable parameters to fp32 (model/adapter.py init_adapter: "Upcasting trainable params to float32",
            // _setup_freeze_tuning): under Freeze the frozen blocks, embeddings and head stay 16-bit, and so does the
            // residual stream they feed. Full training upcasts every parameter, as the Trainer's fp32 load does.
            UpcastsOnlyTrainable = f == Framework.LlamaFactory && AutocastOverFp32(r.Precision) && r.Workload.Method == FinetuneMethod.Freeze;

            // litgpt's bnb.nf4 is single quantization (nf4-dq is a separate choice); the Trainer stacks follow the QLoRA recipe.
            DoubleQuant = f != Framework.Litgpt;

            Logits = LogitsFor(r);
        }

        /// <summary>The same trainer with its loss path given by the caller (an alignment stage owns its own loss buffers).</summary>
        public TrainerBehavior(ResolvedRecipe r, LogitsFootprint logits) : this(r)
        {
            Logits = logits;
        }

        public bool DoubleQuant { get; }
        /// <summary>Attention with capped logits runs as eager matmul, tanh and softmax whatever kernel was asked for.</summary>
        public bool SoftcapAttentionByHand { get; }
        /// <summary>Only the trainable parameters are fp32; the frozen ones stay in the 16-bit compute dtype (LLaMA-Factory's Freeze).</summary>
        public bool UpcastsOnlyTrainable { get; }
        public bool FusedAdamW { get; }
        public bool MasterCopyInOptimizer { get; }
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

        /// <summary>Stacks built on transformers' Trainer and accelerate.</summary>
        public static bool HuggingFaceStack(Framework f) =>
            f == Framework.HfTrainer || f == Framework.FmsAcceleration || f == Framework.Axolotl || f == Framework.LlamaFactory || f == Framework.Peft;

        public static int ComputeBytes(Precision p) => p == Precision.Fp32 ? 4 : 2;

        public static bool AutocastOverFp32(Precision p) => p == Precision.Bf16Mixed || p == Precision.Fp16Mixed;

        /// <summary>
        /// transformers' causal-LM loss path by release: up to 4.45 the model upcasts the logits (the 16-bit ones are
        /// freed at once), then the loss shifts a contiguous fp32 copy and keeps the log-softmax (12 bytes per entry);
        /// 4.46-4.49 keep the 16-bit logits in the outputs and do the upcast, shift and log-softmax in the loss
        /// function (c + 12); from 4.50 the labels are shifted instead (c + 8). A fast cross-entropy kernel (fms
        /// FOAK, Unsloth) drops the fp32 log-softmax copies. GPTBigCode kept its own loss on the 16-bit logits
        /// before 4.50 when nothing autocasts.
        /// </summary>
        private static LogitsFootprint HuggingFaceLogits(ResolvedRecipe r, int c)
        {
            var v = r.TransformersVersion ?? new Version(4, 46);
            bool chunked = r.Has(Techniques.ChunkedLoss);
            if (v >= new Version(4, 50))
                return chunked ? new LogitsFootprint(c + 4, c + 4, c) : new LogitsFootprint(c + 8, c + 8, c + 4);
            if (r.Model.ModelType == "gpt_bigcode" && !AutocastOverFp32(r.Precision) && !r.IsAdapter)
                return new LogitsFootprint(3 * c, 4 * c, 2 * c);
            if (v >= new Version(4, 46))
                return chunked ? new LogitsFootprint(c + 6, c + 6, c + 4) : new LogitsFootprint(c + 12, c + 10, c + 4);
            return chunked ? new LogitsFootprint(8, 8, 8) : new LogitsFootprint(12, 12, 8);
        }

        private static LogitsFootprint LogitsFor(ResolvedRecipe r)
        {
            if (r.Has(Techniques.FusedLinearLoss)) return new LogitsFootprint(0, 0, 0);
            int c = ComputeBytes(r.Precision);
            switch (r.Framework)
            {
                case Framework.Litgpt:
                    // bf16 logit chunks plus each chunk's log-softmax in the compute dtype.
                    return new LogitsFootprint(2 * c, 2 * c + c, 2 * c);
                case Framework.Torchtune:
                    // CEWithChunkedOutputLoss keeps the 16-bit logit chunks and upcasts one of eight chunks at a time;
                    // without it the whole output is cast to fp32 before the loss.
                    return r.Has(Techniques.ChunkedLoss)
                        ? new LogitsFootprint(c + 1, c + 1, c)
                        : new LogitsFootprint(c + 8, c + 12, 8);
                case Framework.MegatronLM:
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
