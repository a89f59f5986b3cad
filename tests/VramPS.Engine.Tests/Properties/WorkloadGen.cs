using System.Linq;
using FsCheck;
using FsCheck.Fluent;
using VramPS.Engine.Frameworks;
using VramPS.Engine.Models;

namespace VramPS.Engine.Tests.Properties
{
    /// <summary>Generates valid workloads over Llama-like models from 10M to 200B parameters and every knob's range.</summary>
    internal static class WorkloadGen
    {
        private static readonly long[] Sizes = { 10_000_000, 125_000_000, 1_000_000_000, 7_000_000_000, 13_000_000_000, 70_000_000_000, 200_000_000_000 };

        public static Gen<Workload> Any() => Over(Sizes, 256, 64, 32768);

        /// <summary>
        /// Common fine-tunes: models of 7B and more, adapters of rank up to 64, micro-batches up to 64k tokens. Beyond
        /// that, peft's per-module fp32 adapter inputs can outweigh a full fine-tune's sharded states, and on a small
        /// model with a 128k vocabulary bitsandbytes' saved inputs can outweigh what NF4 saves.
        /// </summary>
        public static Arbitrary<Workload> Realistic() => Over(Sizes.Where(s => s >= 7_000_000_000).ToArray(), 64, 8, 8192).ToArbitrary();

        private static Gen<Workload> Over(long[] sizes, int maxRank, int maxBatch, int maxSequence) =>
            from size in Gen.Elements(sizes)
            from method in Gen.Elements(FinetuneMethod.Full, FinetuneMethod.Freeze, FinetuneMethod.LoRA, FinetuneMethod.QLoRA)
            from precision in Gen.Elements(Precision.Bf16, Precision.Bf16Mixed, Precision.Fp32, Precision.Fp16Mixed)
            from optimizer in Gen.Elements(OptimizerKind.AdamW, OptimizerKind.AdamW8bit, OptimizerKind.PagedAdamW, OptimizerKind.SGD, OptimizerKind.Adafactor, OptimizerKind.Lion)
            from batch in Gen.Choose(1, maxBatch)
            from seq in Gen.Choose(16, maxSequence)
            from accumulation in Gen.Choose(1, 8)
            from checkpointing in Gen.Elements(Checkpointing.None, Checkpointing.Full)
            from attention in Gen.Elements(AttentionKernel.Flash, AttentionKernel.Sdpa, AttentionKernel.Eager)
            from rank in Gen.Choose(1, maxRank)
            from gpus in Gen.Elements(1, 2, 4, 8, 64)
            from sharding in Gen.Elements(Sharding.None, Sharding.Zero1, Sharding.Zero2, Sharding.Zero3)
            from framework in Gen.Elements(Framework.HfTrainer, Framework.FmsAcceleration, Framework.Litgpt, Framework.Torchtune, Framework.Peft)
            from techniques in Gen.Elements(Techniques.None, Techniques.ChunkedLoss, Techniques.FusedLinearLoss | Techniques.FusedKernels, Techniques.Compile | Techniques.ActivationOffload)
            select new Workload(ModelArchitecture.LlamaLike(size))
            {
                Method = method,
                Precision = precision,
                Optimizer = optimizer,
                BatchSize = batch,
                SequenceLength = seq,
                GradientAccumulation = accumulation,
                Checkpointing = checkpointing,
                Attention = attention,
                LoraRank = rank,
                LoraTargets = new[] { "q_proj", "k_proj", "v_proj", "o_proj" },
                // litgpt trains over a quantized base on one GPU only (finetune/lora.py: NotImplementedError).
                GpuCount = method == FinetuneMethod.QLoRA && framework == Framework.Litgpt ? 1 : gpus,
                Sharding = sharding,
                // torchtune's and litgpt's recipes freeze no decoder block: Freeze runs under the transformers Trainer.
                Framework = method == FinetuneMethod.Freeze && !FrameworkProfiles.Of(framework).FreezesLayers.Value ? Framework.HfTrainer : framework,
                Techniques = techniques,
            };

        public static Arbitrary<Workload> Arbitrary() => Any().ToArbitrary();

        public static long PeakActivations(VramPS.Engine.Estimation.TrainingMemoryEstimate e) => e.Phases.Max(p => p.Activations);
    }
}
