using System;
using System.Linq;
using VramPS.Engine.Estimation;
using Xunit;

namespace VramPS.Engine.Tests.Estimation
{
    /// <summary>
    /// Where DeepSpeed's ZeRO keeps gradients under bf16 mixed precision, read at deepspeedai/DeepSpeed@edaa722:
    /// engine.py get_data_types leaves grad_accum_dtype at the model's bf16 unless data_types says otherwise, so
    /// stage_1_and_2.py (grads_in_partition, the ipg buckets) and stage3.py (grad_partitions_flat_buffer) hold 2-byte
    /// gradients. step() then takes one group at a time: it flattens the group's 16-bit partition (a copy, 2 bytes per
    /// element), casts that to fp32 as the master's .grad (4 bytes), steps, and frees it; ZeRO-3 steps sub-groups of
    /// sub_group_size (1e9) elements. ZeRO-3 allocates its gradient partitions and its reduce bucket (reduce_bucket_size
    /// 5e8 16-bit elements, contiguous_gradients) when the optimizer is built and keeps both for the whole run.
    /// Llama-2-7B (6,738,415,616 parameters) over 4 GPUs: a partition is 1,684,603,904 elements.
    /// </summary>
    public class ZeroGradientLayoutTests
    {
        private const long P = Llama2Fixture.Parameters;
        private const long Partition = P / 4;
        private const long Bucket = 500_000_000L * 2;

        private static PhaseMemory At(Sharding sharding, Phase phase)
        {
            var w = Llama2Fixture.Workload(FinetuneMethod.Full);
            w.Precision = Precision.Bf16Mixed;
            w.Framework = Framework.DeepSpeed;
            w.GpuCount = 4;
            w.Sharding = sharding;
            return MemoryEstimator.Estimate(w).Phases.Single(p => p.Phase == phase);
        }

        [Fact]
        public void Zero2_holds_bf16_gradient_partitions_and_steps_the_whole_partition_in_fp32()
        {
            Assert.Equal(2 * Partition, At(Sharding.Zero2, Phase.BackwardEnd).Gradients);
            var step = At(Sharding.Zero2, Phase.OptimizerStep);
            Assert.Equal(2 * Partition, step.Gradients);
            // FusedAdam has no temporaries of its own: only the flattened 16-bit copy and its fp32 cast.
            Assert.Equal((2 + 4) * Partition, step.Other);
        }

        [Fact]
        public void Zero1_holds_every_bf16_gradient_until_the_step()
        {
            Assert.Equal(2 * P, At(Sharding.Zero1, Phase.BackwardEnd).Gradients);
            Assert.Equal((2 + 4) * Partition, At(Sharding.Zero1, Phase.OptimizerStep).Other);
        }

        [Fact]
        public void Zero3_steps_one_sub_group_in_fp32_beside_its_resident_buffers()
        {
            var step = At(Sharding.Zero3, Phase.OptimizerStep);
            Assert.Equal(2 * Partition, step.Gradients);
            // The partition (1.68e9 elements) exceeds sub_group_size: the step casts 1e9 elements at a time.
            Assert.Equal((2 + 4) * 1_000_000_000L + Bucket, step.Other);
        }

        /// <summary>
        /// ms-swift wraps the Trainer's torch.optim.AdamW (foreach) in DeepSpeed, since its zero3.json has no optimizer
        /// section; stage3.py _optimizer_step hands it one sub-group's fp32 partition at a time, so _foreach_sqrt's
        /// temporary (4 bytes an element) exists for that sub-group only, beside its fp32 gradient (4 bytes): 8 bytes an
        /// element, more than the flattening's 2 + 4. The reduce bucket is hidden_size^2 16-bit elements (reduce_bucket_size
        /// "auto"), 4096 x 4096 x 2 bytes for Llama-2-7B. 4 GPUs: the 1.68e9-element partition is stepped 1e9 at a time;
        /// 8 GPUs: the whole 842,301,952-element partition is one sub-group.
        /// </summary>
        [Theory]
        [InlineData(4, 1_000_000_000L)]
        [InlineData(8, 842_301_952L)]
        public void Zero3_foreach_AdamW_steps_one_sub_group_with_its_own_temporaries(int gpus, long subGroup)
        {
            var step = MemoryEstimator.Estimate(Zero3(Framework.MsSwift, gpus)).Phases.Single(p => p.Phase == Phase.OptimizerStep);
            Assert.Equal((4 + 4) * subGroup + 4096L * 4096 * 2, step.Other);
            Assert.Equal(2 * (P / gpus), step.Gradients);
        }

        /// <summary>
        /// The sub-group's 16-bit flat copy (2 bytes an element) is freed before _foreach_sqrt asks for 4 bytes an element:
        /// the caching allocator cannot serve the larger request from the freed block, so it stays reserved through the
        /// step, 2 bytes for each element of the sub-group. FusedAdam (the DeepSpeed profile) asks for nothing larger.
        /// </summary>
        [Theory]
        [InlineData(4, 1_000_000_000L)]
        [InlineData(8, 842_301_952L)]
        public void Zero3_foreach_step_keeps_the_freed_16_bit_copy_cached(int gpus, long subGroup)
        {
            Assert.Equal(2 * subGroup, new VramPS.Engine.Alignment.TrainedModel(Zero3(Framework.MsSwift, gpus)).StepCache);
            Assert.Equal(0, new VramPS.Engine.Alignment.TrainedModel(Zero3(Framework.DeepSpeed, gpus)).StepCache);
        }

        private static Workload Zero3(Framework framework, int gpus)
        {
            var w = Llama2Fixture.Workload(FinetuneMethod.Full);
            w.Precision = Precision.Bf16Mixed;
            w.Framework = framework;
            w.GpuCount = gpus;
            w.Sharding = Sharding.Zero3;
            return w;
        }

        private static TrainingMemoryEstimate Zero2(int sequence)
        {
            var w = Llama2Fixture.Workload(FinetuneMethod.Full);
            w.Precision = Precision.Bf16Mixed;
            w.Framework = Framework.DeepSpeed;
            w.GpuCount = 4;
            w.Sharding = Sharding.Zero2;
            w.SequenceLength = sequence;
            return MemoryEstimator.Estimate(w);
        }

        /// <summary>
        /// ZeRO-2's step allocates the partition as whole blocks: its flat 16-bit copy (2 x 1.68e9 B), the fp32 cast
        /// (4 x), and before them get_grad_norm_direct's torch.norm(g.data.double()) of each gradient in it
        /// (deepspeedai/DeepSpeed@v0.16.2 stage_1_and_2.py), the largest being the 32000 x 4096 embedding's (8 B each).
        /// With 512 tokens nothing the forward or backward freed (fp32 logits 512 x 32000 x 4 B at most) holds the
        /// smallest of them, so PyTorch's caching allocator, which never splits a request over segments, cudaMallocs
        /// new ones beside everything the forward and backward reserved, and beside the norm copy's, which none of the
        /// later, larger blocks fits in. At the step: the bf16 model (2P), bf16 gradient, fp32 master and Adam
        /// partitions (2 + 4 + 8 B x P / 4), the flat copy and its cast (2 + 4 B x P / 4; FusedAdam adds none): 7P;
        /// plus half a 2 MiB block of rounding per layer.
        /// </summary>
        [Fact]
        public void Zero2_step_blocks_get_segments_of_their_own_beside_the_freed_ones()
        {
            var e = Zero2(512);
            Assert.Equal(7 * P, e.Phases.Single(p => p.Phase == Phase.OptimizerStep).Allocated);
            long freed = e.Phases.Where(p => p.Phase != Phase.OptimizerStep).Max(p => p.Activations + p.Other);
            long normCopy = 8 * Llama2Fixture.Vocab * Llama2Fixture.Hidden;
            Assert.Equal(7 * P + freed + normCopy + 32 * (1L << 20), e.Reserved);
        }

        /// <summary>
        /// With 32768 tokens the fp32 logits (32768 x 32000 x 4 B = 4.19e9) outgrow the flat 16-bit copy (3.37e9 B): the
        /// step can reuse what the forward and backward freed, and Reserved is the usual high-water mark.
        /// </summary>
        [Fact]
        public void Zero2_step_reuses_freed_segments_when_the_forward_held_larger_blocks()
        {
            var e = Zero2(32768);
            long highWater = e.Phases.Max(p => p.Allocated + (p.Activations + p.Other) / 10);
            Assert.Equal(highWater + 32 * (1L << 20), e.Reserved);
        }

        /// <summary>
        /// Reserved can fall when the micro-batch grows across that line (512 tokens: 3.37e9-byte flat copy above the
        /// 6.55e7-byte fp32 logits; 32768 tokens: below 4.19e9), so the estimate says so where the step's blocks take
        /// segments of their own, and only there.
        /// </summary>
        [Fact]
        public void Zero2_step_segments_are_stated_on_the_estimate()
        {
            Assert.Contains(Zero2(512).Assumptions, a => a.StartsWith("DeepSpeed ZeRO-1/2's step takes new segments", StringComparison.Ordinal));
            Assert.DoesNotContain(Zero2(32768).Assumptions, a => a.StartsWith("DeepSpeed ZeRO-1/2's step takes new segments", StringComparison.Ordinal));
        }

        [Fact]
        public void Zero3_gradient_partitions_are_resident_through_forward()
        {
            // Without accumulation no gradient exists yet at the end of the first forward, but the flat buffer does.
            Assert.Equal(2 * Partition, At(Sharding.Zero3, Phase.ForwardEnd).Gradients);
        }
    }
}
