using System;
using System.Linq;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using VramPS.Engine.Alignment;
using VramPS.Engine.Estimation;
using VramPS.Engine.Frameworks;
using static VramPS.Engine.Tests.Properties.Variation;

namespace VramPS.Engine.Tests.Properties
{
    /// <summary>What physics guarantees, over workloads of every trainer, model kind and parallel layout (FsCheck).</summary>
    public class WideProperties
    {
        private const int Cases = 300;

        [Property(MaxTest = Cases)]
        public Property MoreBatchNeverLowersTotal() => Prop.ForAll(WideWorkloadGen.Arbitrary(), w =>
        {
            var more = With(w, x => x.BatchSize = w.BatchSize + 1);
            return ChunksByBudget(w) || StepsFlatZeroGroups(w) ? true.ToProperty() : NotLower(w, more);
        });

        /// <summary>
        /// DeepSpeed's ZeRO-1/2 step takes segments of its own for its flat partition blocks while they outgrow the
        /// forward's largest tensor, and reuses the segments the forward and backward freed once that tensor outgrows
        /// them (StepLayout.StepOnlySegments): more tokens per micro-batch can cross that line and lower Reserved.
        /// </summary>
        private static bool StepsFlatZeroGroups(Workload w)
        {
            if (!WideWorkloadGen.Estimable(w)) return false;
            var r = Recipe(w);
            return r.Profile.ZeroSixteenBitGradients.Value && (r.Sharding == Sharding.Zero1 || r.Sharding == Sharding.Zero2) && r.Offload == Offload.None;
        }

        [Property(MaxTest = Cases)]
        public Property LongerSequencesNeverLowerTotal() => Prop.ForAll(WideWorkloadGen.Arbitrary(), w =>
        {
            var longer = With(w, x => x.SequenceLength = w.SequenceLength * 2);
            return ChunksByBudget(w) || StepsFlatZeroGroups(w) ? true.ToProperty() : NotLower(w, longer);
        });

        /// <summary>
        /// The recipe the estimate resolves: an alignment stage's policy takes its stage's defaults (DeepSpeed-Chat's DPO
        /// runs a later transformers than its SFT), so a recipe built from the workload alone may refuse what the stage runs.
        /// </summary>
        private static ResolvedRecipe Recipe(Workload w) =>
            w.Stage is { } stage && stage != TrainingStage.Sft ? new VramPS.Engine.Alignment.StageRecipe(w).Policy : new ResolvedRecipe(w);

        /// <summary>
        /// Unsloth's fused loss splits the logits into one chunk, or 4, 8 ... once they pass its 4 GiB budget
        /// (unsloth_zoo get_chunk_size): a few more tokens can shrink its transient to a quarter, so its peak may fall.
        /// </summary>
        private static bool ChunksByBudget(Workload w)
        {
            if (!WideWorkloadGen.Estimable(w)) return false;
            var r = Recipe(w);
            return r.Profile.LossPath.Value == VramPS.Engine.Frameworks.LossPath.UnslothFused && r.Has(Techniques.ChunkedLoss);
        }

        [Property(MaxTest = Cases)]
        public Property HigherLoraRankNeverLowersTotal() => Prop.ForAll(WideWorkloadGen.Arbitrary(), w =>
            NotLower(w, With(w, x => x.LoraRank = w.LoraRank * 2)));

        /// <summary>Gradients are held across the forwards of an accumulating step; more micro-batches per step never hold less.</summary>
        [Property(MaxTest = Cases)]
        public Property MoreAccumulationNeverLowersTotal() => Prop.ForAll(WideWorkloadGen.Arbitrary(), w =>
            NotLower(w, With(w, x => x.GradientAccumulation = w.GradientAccumulation + 1)));

        /// <summary>Moving the optimizer's states (and, under DeepSpeed, its gradients) to the host never adds to the GPU.</summary>
        [Property(MaxTest = Cases)]
        public Property OffloadNeverRaisesTotal() => Prop.ForAll(WideWorkloadGen.Arbitrary(), w =>
        {
            var kept = With(w, x => x.Offload = Offload.None);
            var offloaded = With(w, x => x.Offload = Offload.Optimizer);
            return WideWorkloadGen.Estimable(kept) && WideWorkloadGen.Estimable(offloaded) ? NotLower(offloaded, kept) : true.ToProperty();
        });

        [Property(MaxTest = Cases)]
        public Property MoreReplicasNeverRaisePerGpuTotal() => Prop.ForAll(WideWorkloadGen.Arbitrary(), w =>
        {
            int replica = Parallelism.ModelParallelOf(w);
            var fewer = With(w, x => x.GpuCount = Math.Max(w.GpuCount ?? 1, 2 * replica));
            var more = With(fewer, x => x.GpuCount = fewer.GpuCount * 2);
            if (!WideWorkloadGen.Estimable(fewer) || !WideWorkloadGen.Estimable(more)) return true.ToProperty();
            TrainingMemoryEstimate a = Est(fewer), b = Est(more);
            return (b.Total <= a.Total && (!OneStage(w) || b.Allocated <= a.Allocated))
                .Label($"{w.Stage} tp={w.TensorParallel} pp={w.PipelineParallel} ep={w.ExpertParallel} cp={w.ContextParallel}, {fewer.GpuCount} GPUs: {a.Allocated} / {a.Total}; {more.GpuCount}: {b.Allocated} / {b.Total}");
        });

        /// <summary>
        /// Sharding and model parallelism split the model's state, never lose any: on a layout where every rank is alike
        /// (one pipeline stage), GpuCount times a rank's weights, gradients and optimizer states at the optimizer step are
        /// at least the whole model's on one GPU. States that leave the GPU (offload, paged, stepped in backward) are not
        /// compared, nor weights whose dtype the sharding changes.
        /// </summary>
        [Property(MaxTest = Cases)]
        public Property RanksTogetherHoldAtLeastTheWholeState() => Prop.ForAll(WideWorkloadGen.Arbitrary(), w =>
        {
            int gpus = w.GpuCount ?? 1;
            var one = With(w, x => { x.GpuCount = 1; x.Sharding = Sharding.None; x.TensorParallel = 1; x.PipelineParallel = 1; x.ExpertParallel = 1; });
            bool leaves = w.Offload != Offload.None || w.Optimizer == OptimizerKind.PagedAdamW || (w.Techniques & Techniques.OptimizerInBackward) != 0;
            if (!OneStage(w) || leaves || !WideWorkloadGen.Estimable(one)) return true.ToProperty();
            var rank = Est(w).Phases.Single(p => p.Phase == Phase.OptimizerStep);
            var whole = Est(one).Phases.Single(p => p.Phase == Phase.OptimizerStep);
            // Each figure is rounded to whole bytes: a rank may lose less than one byte of a fractional share (8-bit states' absmax),
            // and a share scaled up by a factor (16-bit gradients against fp32 ones) that many bytes.
            bool Covers(long share, long all, int factor = 1) => gpus * share >= all - gpus * factor;
            // FSDP's flat parameters hold one dtype, so QLoRA under Zero3 keeps the 16-bit parts peft upcasts on one GPU;
            // TRL's prepare_deepspeed holds an alignment stage's frozen models in DeepSpeed's 16-bit dtype once sharded.
            // DeepSpeed's ZeRO keeps 16-bit gradients under mixed precision (engine.py get_data_types), one GPU without ZeRO fp32
            // ones; its engine casts adapters to the model's 16-bit dtype too, where peft keeps them fp32 on one GPU.
            bool deepSpeedZero = w.Sharding != Sharding.None && FrameworkProfiles.Of(w.Framework ?? Framework.HfTrainer).ZeroSixteenBitGradients.Value;
            bool adapters = w.Method == FinetuneMethod.LoRA || w.Method == FinetuneMethod.QLoRA;
            bool sameDtype = !(w.Method == FinetuneMethod.QLoRA && w.Sharding == Sharding.Zero3)
                && (w.Stage is null || w.Stage == TrainingStage.Sft || w.Sharding == Sharding.None)
                && !(deepSpeedZero && adapters);
            bool mixed = w.Precision == Precision.Bf16Mixed || w.Precision == Precision.Fp16Mixed;
            int gradientShrink = deepSpeedZero && (mixed || adapters) ? 2 : 1;
            return ((!sameDtype || Covers(rank.Weights, whole.Weights)) && Covers(gradientShrink * rank.Gradients, whole.Gradients, gradientShrink) && Covers(rank.OptimizerStates, whole.OptimizerStates))
                .Label($"{w.Stage} tp={w.TensorParallel} ep={w.ExpertParallel} cp={w.ContextParallel}: {gpus} x ({rank.Weights}, {rank.Gradients}, {rank.OptimizerStates}) against ({whole.Weights}, {whole.Gradients}, {whole.OptimizerStates})");
        });
    }
}
