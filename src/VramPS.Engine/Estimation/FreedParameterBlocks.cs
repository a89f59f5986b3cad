using System;
using VramPS.Engine.Models;

namespace VramPS.Engine.Estimation
{
    /// <summary>
    /// What the caching allocator keeps of the parameter allocations a framework frees when it moves the trained
    /// parameters into its own contiguous buffer (FrameworkProfile.ParametersMovedIntoBuffer: Megatron-Core's
    /// distributed optimizer). PyTorch's caching allocator (c10/cuda/CUDACachingAllocator.cpp) rounds every request
    /// to 512 bytes, packs each one above 1 MiB (kSmallSize) and under 10 MiB (kMinLargeAlloc) into a 20 MiB segment
    /// (kLargeBuffer), splits a free block only while more than 1 MiB would remain, and serves a later request from a
    /// cached block only when it fits in it; it gives segments back to the device only on empty_cache. Transformer
    /// Engine's grouped experts are one tensor per local expert and linear (TEGroupedLinear weight{i},
    /// megatron/core/extensions/transformer_engine.py@core_v0.12.0 _sharded_state_dict_grouped), each expert's fc1
    /// holding its gate and up projections: a few MiB each for fine-grained experts, so once moved they leave whole
    /// 20 MiB segments that only requests under 20 MiB can use. The optimizer's per-parameter fp32 main parameters and
    /// moments for those experts (distrib_optimizer.py shard_main_param, the Adam states) are such requests, made after
    /// the move: on the GPU they fill the segments first; what they leave, and all of it when the states are offloaded,
    /// stays reserved. Not counted: tensors of 10 MiB or more (segments of their own, which the step's activations
    /// reuse), the dense weights, and the step's own small tensors that pass through these blocks (a layer's keys,
    /// values and router scores, tens of MiB). With expandable segments (FrameworkProfile.ExpandableSegments) there are no
    /// 20 MiB segments: freed pages serve any later request, and nothing is stranded.
    /// </summary>
    internal static class FreedParameterBlocks
    {
        private const long MinBlock = 512;
        private const long SmallSize = 1L << 20;
        private const long MinLargeAlloc = 10L << 20;
        private const long LargeBuffer = 20L << 20;

        /// <summary>
        /// Bytes of 20 MiB segments the moved routed-expert tensors of this rank leave that nothing reuses.
        /// <paramref name="expertStatesOnGpu"/> is the rank's optimizer states for the routed experts held on the GPU.
        /// </summary>
        public static long Stranded(ResolvedRecipe r, PipelineStage stage, int parameterBytes, double expertStatesOnGpu)
        {
            if (!r.Profile.ParametersMovedIntoBuffer.Value || r.Profile.ExpandableSegments.Value || r.Sharding == Sharding.None
                || r.Workload.Method != FinetuneMethod.Full) return 0;
            var m = r.Model;
            long segments = 0;
            for (int kind = 0; kind < ModelArchitecture.BlockKinds; kind++)
            {
                if (!ModelArchitecture.KindIsMoe(kind)) continue;
                int layers = m.LayersOfKind(kind, stage.FirstLayer, stage.EndLayer);
                if (layers == 0) continue;
                long fc1 = 0, fc2 = 0;
                int experts = 0;
                foreach (var module in m.ModuleArray(m.FirstLayerOfKind(kind, stage.FirstLayer)))
                {
                    if (module.Count <= 1 || module.Role == LinearRole.Router) continue;
                    long perExpert = module.Parameters / module.Count;
                    if (module.Role == LinearRole.MlpInput) fc1 += perExpert;
                    else if (module.Role == LinearRole.MlpOutput) fc2 += perExpert;
                    experts = module.Count;
                }
                long tensors = (long)layers * (experts / stage.Expert);
                segments += Segments(fc1 / stage.ExpertTensor * parameterBytes, tensors) + Segments(fc2 / stage.ExpertTensor * parameterBytes, tensors);
            }
            return (long)Math.Max(0, segments * (double)LargeBuffer - expertStatesOnGpu);
        }

        /// <summary>20 MiB segments holding <paramref name="tensors"/> allocations of <paramref name="bytes"/> each, one after another; none for the small pool or for a segment of their own.</summary>
        private static long Segments(long bytes, long tensors)
        {
            long size = (bytes + MinBlock - 1) / MinBlock * MinBlock;
            if (size <= SmallSize || size >= MinLargeAlloc || tensors == 0) return 0;
            long perSegment = LargeBuffer / size;
            return (tensors + perSegment - 1) / perSegment;
        }
    }
}
