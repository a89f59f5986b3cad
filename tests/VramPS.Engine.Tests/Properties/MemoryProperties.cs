using System;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using VramPS.Engine.Estimation;
using static VramPS.Engine.Tests.Properties.Variation;

namespace VramPS.Engine.Tests.Properties
{
    /// <summary>Invariants of the memory model over generated workloads (FsCheck; 300 cases each in CI).</summary>
    public class MemoryProperties
    {
        private const int Cases = 300;

        [Property(MaxTest = Cases)]
        public Property MoreBatchNeverLowersMemory() => Prop.ForAll(WorkloadGen.Arbitrary(), w =>
            NotLower(w, With(w, x => x.BatchSize = w.BatchSize + 1)));

        [Property(MaxTest = Cases)]
        public Property LongerSequencesNeverLowerMemory() => Prop.ForAll(WorkloadGen.Arbitrary(), w =>
            NotLower(w, With(w, x => x.SequenceLength = w.SequenceLength * 2)));

        [Property(MaxTest = Cases)]
        public Property HigherLoraRankNeverLowersMemory() => Prop.ForAll(WorkloadGen.Arbitrary(), w =>
            NotLower(w, With(w, x => x.LoraRank = w.LoraRank * 2)));

        /// <summary>Compared under FlashAttention: eager attention's s x s probabilities scale with heads x layers, which a larger Llama-like shape does not always raise.</summary>
        [Property(MaxTest = Cases)]
        public Property MoreParametersNeverLowerMemory() => Prop.ForAll(WorkloadGen.Arbitrary(), given =>
        {
            var w = With(given, x => x.Attention = AttentionKernel.Flash);
            var bigger = new Workload(VramPS.Engine.Models.ModelArchitecture.LlamaLike(w.Model.TotalParameters * 2));
            var copy = With(w, _ => { });
            var scaled = With(bigger, x =>
            {
                x.Method = copy.Method; x.Precision = copy.Precision; x.Optimizer = copy.Optimizer; x.BatchSize = copy.BatchSize;
                x.SequenceLength = copy.SequenceLength; x.GradientAccumulation = copy.GradientAccumulation; x.Checkpointing = copy.Checkpointing;
                x.Attention = copy.Attention; x.LoraRank = copy.LoraRank; x.LoraTargets = copy.LoraTargets; x.GpuCount = copy.GpuCount;
                x.Sharding = copy.Sharding; x.Framework = copy.Framework; x.Techniques = copy.Techniques;
            });
            long small = Est(w).Allocated, large = Est(scaled).Allocated;
            return (large >= small).Label($"{scaled.Model.Id}: {large} < {small}");
        });

        /// <summary>
        /// Except under Freeze through transformers' reentrant checkpointing, where enable_input_require_grads makes
        /// every frozen block keep its checkpointed input while without checkpointing the frozen blocks keep nothing, and
        /// except where checkpoints are offloaded under the Trainer's FSDP with adapters, whose hook keeps every block's
        /// input and gradient on the GPU until backward ends.
        /// </summary>
        [Property(MaxTest = Cases)]
        public Property CheckpointingNeverRaisesActivations() => Prop.ForAll(WorkloadGen.Arbitrary(), w =>
            (w.Method == FinetuneMethod.Freeze && new ResolvedRecipe(With(w, x => x.Checkpointing = Checkpointing.Full)).FrozenInputsRequireGrad)
            // Offloaded checkpoints come back for backward, where FSDP's hook keeps every block's input and gradient.
            || (w.Techniques.HasFlag(Techniques.ActivationOffload) && ActivationMemory.RetainsInputsInBackward(new ResolvedRecipe(With(w, x => x.Checkpointing = Checkpointing.Full))))
            || WorkloadGen.PeakActivations(Est(With(w, x => x.Checkpointing = Checkpointing.Full)))
                <= WorkloadGen.PeakActivations(Est(With(w, x => x.Checkpointing = Checkpointing.None))));

        /// <summary>
        /// From two GPUs up, at the workload's own sharding: going from one GPU to two adds the gathered units, the reduce
        /// buckets and NCCL, but every GPU added after that only divides what is sharded.
        /// </summary>
        [Property(MaxTest = Cases)]
        public Property MoreGpusNeverRaisePerGpuMemory() => Prop.ForAll(WorkloadGen.Arbitrary(), w =>
        {
            if (w.Method == FinetuneMethod.QLoRA && w.Framework == Framework.Litgpt) return true.ToProperty();
            var two = With(w, x => x.GpuCount = Math.Max(2, w.GpuCount ?? 2));
            TrainingMemoryEstimate fewer = Est(two), more = Est(With(two, x => x.GpuCount = two.GpuCount * 2));
            return (more.Allocated <= fewer.Allocated && more.Total <= fewer.Total)
                .Label($"{two.GpuCount} GPUs: {fewer.Allocated} / {fewer.Total}; twice as many: {more.Allocated} / {more.Total}");
        });

        /// <summary>
        /// QLoRA's weights never exceed LoRA's (LoRA's exceed Full's by the adapters); the peak of LoRA never exceeds
        /// Full's. QLoRA's whole peak
        /// is compared with LoRA's on fms-acceleration's stack (no fp32 upcast, no load-time quantizer transients; litgpt
        /// loads the 16-bit checkpoint first and torchao's 2024 NF4 conversion holds large temporaries, so a tiny batch
        /// really can peak higher under QLoRA there), with FlashAttention (under eager attention a recomputed block's
        /// s x s probabilities and bitsandbytes' saved inputs can outweigh what NF4 saves on a small model). The peaks are compared on one
        /// GPU with AdamW and checkpointing: without checkpointing peft's fp32 dropout copies of each adapted module's
        /// input (5 bytes per element) outweigh the 16-bit inputs a full fine-tune saves, and with sharded gradients
        /// or a stateless optimizer Full's extra state is too small to cover them, so LoRA really can cost more.
        /// </summary>
        [Property(MaxTest = Cases)]
        public Property QloraNeverExceedsLoraWhichNeverExceedsFull() => Prop.ForAll(WorkloadGen.Realistic(), given =>
        {
            var w = With(given, x => { x.GpuCount = 1; x.Sharding = Sharding.None; x.Optimizer = OptimizerKind.AdamW; x.Checkpointing = Checkpointing.Full; x.Attention = AttentionKernel.Flash; });
            var lora = Est(With(w, x => { x.Method = FinetuneMethod.LoRA; x.Precision = Precision.Bf16; }));
            var qlora = Est(With(w, x => { x.Method = FinetuneMethod.QLoRA; x.Precision = Precision.Bf16; x.Framework = Framework.FmsAcceleration; }));
            var loraSameStack = Est(With(w, x => { x.Method = FinetuneMethod.LoRA; x.Precision = Precision.Bf16; x.Framework = Framework.FmsAcceleration; }));
            var fullBf16 = Est(With(w, x => { x.Method = FinetuneMethod.Full; x.Precision = Precision.Bf16; }));
            return (qlora.Weights <= loraSameStack.Weights
                && qlora.Allocated <= loraSameStack.Allocated
                && lora.Allocated <= fullBf16.Allocated)
                .Label($"QLoRA {qlora.Weights}/{qlora.Allocated} LoRA {loraSameStack.Weights}/{loraSameStack.Allocated} LoRA {lora.Allocated} Full {fullBf16.Allocated}");
        });

        [Property(MaxTest = Cases)]
        public Property TermsAddUpAndFiguresAreOrderedAndPositive() => Prop.ForAll(WorkloadGen.Arbitrary(), w =>
        {
            var e = Est(w);
            return e.Weights + e.Gradients + e.OptimizerStates + e.Activations + e.Other == e.Allocated
                && e.Allocated > 0 && e.Allocated <= e.Reserved && e.Reserved <= e.Total
                && e.Weights > 0 && e.Gradients >= 0 && e.OptimizerStates >= 0 && e.Activations >= 0 && e.Other >= 0;
        });
    }
}
