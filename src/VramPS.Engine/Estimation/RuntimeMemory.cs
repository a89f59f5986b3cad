using System;
using System.Collections.Generic;
using VramPS.Engine.Gpus;

namespace VramPS.Engine.Estimation
{
    /// <summary>From allocated bytes to what the caching allocator reserves and what the device shows.</summary>
    internal static class RuntimeMemory
    {
        /// <summary>CUDA context and kernels measured on a V100 in transformers' "model training anatomy" guide (no lazy loading).</summary>
        public const long DefaultContextBytes = 1343L << 20;

        /// <summary>The caching allocator rounds large blocks up to 2 MiB and keeps whole segments.</summary>
        private const long BlockRounding = 2L << 20;

        /// <summary>
        /// What the caching allocator holds after a step: its high-water mark over every phase, since it keeps the
        /// segments it has cudaMalloc'ed until empty_cache (c10/cuda/CUDACachingAllocator.cpp frees cached blocks only
        /// when an allocation fails or on request), so a phase that needs more than the peak of Allocated can set it.
        /// At each phase it holds what is allocated there plus what it cannot hand back: half a 2 MiB block of
        /// rounding per layer's tensors, a tenth of the activation and logits churn (freed blocks split for smaller
        /// requests; an estimate, not a measured constant), and, under FSDP, the unsharded units it gathers on its own
        /// stream, whose blocks stay in that stream's pool. <paramref name="heldInOther"/> is, per phase, a reservation
        /// counted in Other (a rollout engine's pool) that never churns. <paramref name="cachedUnused"/> is, per
        /// phase, what the allocator keeps cached but not allocated beyond the churn (StepLayout.CachedUnused: FSDP2's
        /// sharded gradients in the reduce-scatter stream's pool between zero_grad and their reduce-scatter, a loss's
        /// freed 16-bit logits its fp32 gradients cannot use). With expandable segments (c10/cuda/CUDACachingAllocator.cpp ExpandableSegment,
        /// PYTORCH_CUDA_ALLOC_CONF expandable_segments:True) each stream's pool is one segment that maps pages as it
        /// grows, so no freed block is stranded in a segment cudaMalloc'ed for another request's size, and the churn
        /// term is not counted. <paramref name="stepCache"/> is a block the optimizer step freed but cannot reuse
        /// (StepLayout.StepCache), reserved beside the step's allocations either way. Without expandable segments,
        /// where the optimizer step allocates tensors larger than any segment the forward and backward freed
        /// (<paramref name="stepOnlySegments"/> above 0, StepLayout.StepOnlySegments), a request cannot span segments,
        /// so the step's tensors get segments of their own, exactly their size, beside every segment the forward and
        /// backward reserved, and beside those of the step's earlier temporaries that nothing later fits in; that
        /// replaces the step's tenth of churn.
        /// </summary>
        public static long Reserved(IReadOnlyList<PhaseMemory> phases, Func<Phase, long> heldInOther, int tensorsAlive, long otherStreamPool,
            Func<Phase, long>? cachedUnused = null, bool expandableSegments = false, long stepCache = 0, long stepOnlySegments = 0)
        {
            bool ownStepSegments = stepOnlySegments > 0 && !expandableSegments;
            long highWater = 0;
            long freedBeforeStep = 0;
            foreach (var phase in phases)
            {
                long churn = expandableSegments ? 0 : Math.Max(0, Checked.Add(phase.Activations, phase.Other) - heldInOther(phase.Phase));
                long idle = cachedUnused?.Invoke(phase.Phase) ?? 0;
                bool step = phase.Phase == Phase.OptimizerStep;
                if (!step) freedBeforeStep = Math.Max(freedBeforeStep, churn);
                long held = step && ownStepSegments ? 0 : churn / 10;
                long cached = step ? stepCache : 0;
                highWater = Math.Max(highWater, Checked.Add(Checked.Add(phase.Allocated, held), Checked.Add(idle, cached)));
            }
            foreach (var phase in phases)
            {
                if (phase.Phase == Phase.OptimizerStep && ownStepSegments)
                    highWater = Math.Max(highWater, Checked.Add(Checked.Add(phase.Allocated, freedBeforeStep), stepOnlySegments));
            }
            long rounding = tensorsAlive * (BlockRounding / 2);
            return Checked.Add(Checked.Add(highWater, rounding), otherStreamPool);
        }

        public static long Context(GpuSpec? gpu) => gpu is null || gpu.ContextBytes <= 0 ? DefaultContextBytes : gpu.ContextBytes;

        /// <summary>NCCL communicators and their buffers once a process group is up.</summary>
        public static long Nccl(int gpuCount) => gpuCount > 1 ? 512L << 20 : 0;
    }
}
