using System.Collections.Generic;
using VramPS.Engine.Estimation;
using VramPS.Engine.Frameworks;
using VramPS.Engine.Models;
using Xunit;

namespace VramPS.Engine.Tests.Estimation
{
    /// <summary>
    /// Megatron-Core's distributed optimizer moves every trained parameter into one contiguous buffer and frees the
    /// allocation the model was built with (megatron/core/distributed/param_and_grad_buffer.py@core_v0.12.0
    /// _ParamAndGradBuffer.__init__: param.data = new_param_data; del old_param_data). Transformer Engine's grouped
    /// experts were one tensor per local expert, and PyTorch's caching allocator (c10/cuda/CUDACachingAllocator.cpp:
    /// kSmallSize 1 MiB, kMinLargeAlloc 10 MiB, kLargeBuffer 20 MiB) packed each of those between 1 and 10 MiB into 20
    /// MiB segments, which it keeps; only requests under 20 MiB can reuse them. Expected values by hand from
    /// Qwen3-30B-A3B's config.json (hidden 2048, moe_intermediate_size 768, 128 experts, 48 layers), bf16 weights:
    /// each expert's fc1 (gate and up) is 2 x 768 x 2048 x 2 bytes = 6 MiB, 3 to a segment (20 MiB / 6 MiB); its
    /// fc2 is 2048 x 768 x 2 = 3 MiB, 6 to a segment.
    /// </summary>
    public class FreedParameterBlocksTests
    {
        private const long Segment = 20L << 20;
        /// <summary>Qwen3-30B-A3B's routed experts on one of four expert-parallel ranks: 48 x 128 / 4 x 3 x 2048 x 768.</summary>
        private const long ExpertsPerRank = 48L * 32 * 3 * 2048 * 768;

        private static Workload Qwen3(int gpus, Offload offload, FinetuneMethod method = FinetuneMethod.Full, string model = "Qwen/Qwen3-30B-A3B") =>
            new Workload(ModelCatalog.Default.Get(model))
            {
                Method = method,
                Framework = Framework.MegatronSwift,
                Precision = method == FinetuneMethod.Full ? Precision.Bf16Mixed : Precision.Bf16,
                Optimizer = OptimizerKind.AdamW,
                BatchSize = 1,
                SequenceLength = 8192,
                Checkpointing = Checkpointing.Full,
                GpuCount = gpus,
                ExpertParallel = 4,
                Sharding = Sharding.Zero1,
                Offload = offload,
            };

        /// <summary>The step layout of the workload's first rank, laid out once, and what it leaves stranded.</summary>
        private static long Stranded(Workload w, List<string>? notes = null, FrameworkProfile? profile = null)
        {
            var r = new ResolvedRecipe(w, profile);
            var t = new TrainerBehavior(r);
            var stage = r.Parallel.Stages[0];
            var budget = new ParameterBudget(r, t, stage);
            var layout = new StepLayout(r, t, budget, new ModelStateMemory(r, t, budget), new ActivationMemory(r, t, stage), notes ?? new List<string>());
            layout.Phases();
            return layout.StrandedParameterBlocks;
        }

        [Fact]
        public void Expert_count_per_rank_is_the_configs()
        {
            var m = ModelCatalog.Default.Get("Qwen/Qwen3-30B-A3B");
            Assert.Equal(128, m.Experts);
            Assert.Equal(768, m.MoeIntermediateSize);
            Assert.Equal(48, m.NumLayers);
            Assert.Equal(7_247_757_312, ExpertsPerRank);
        }

        /// <summary>
        /// ms-swift's qwen3_moe_offload.sh (4 GPUs, EP 4, --optimizer_cpu_offload): no expert state is on the GPU to
        /// reuse the segments. 48 x 32 = 1536 fc1 tensors fill 512 segments and 1536 fc2 tensors 256: 768 x 20 MiB =
        /// 16,106,127,360 bytes (15 GiB), and the estimate says so.
        /// </summary>
        [Fact]
        public void Offloaded_optimizer_leaves_every_segment_reserved()
        {
            var notes = new List<string>();
            Assert.Equal(768 * Segment, Stranded(Qwen3(4, Offload.Optimizer), notes));
            Assert.Equal(16_106_127_360, 768 * Segment);
            Assert.Contains(notes, n => n.Contains("expandable_segments") && n.Contains("15 GiB"));
            var e = MemoryEstimator.Estimate(Qwen3(4, Offload.Optimizer));
            Assert.Contains(e.Assumptions, a => a.Contains("expandable_segments"));
        }

        /// <summary>
        /// On the GPU the experts' fp32 main parameters and Adam moments (12 bytes each, over an expert-data-parallel
        /// group of 4 / 4 = 1) are 12 x 7,247,757,312 = 86,973,087,744 bytes of per-expert requests under 20 MiB: more
        /// than the 15 GiB of segments, which they fill.
        /// </summary>
        [Fact]
        public void Optimizer_states_on_the_gpu_fill_the_segments()
        {
            Assert.Equal(0, Stranded(Qwen3(4, Offload.None)));
        }

        /// <summary>
        /// 64 GPUs at EP 4 (ms-swift's expert tensor parallel 1): the expert-data-parallel group is 64 / 4 = 16, so a rank
        /// holds 12 x 7,247,757,312 / 16 = 5,435,817,984 bytes of expert states; of 16,106,127,360 bytes of segments
        /// 10,670,309,376 stay.
        /// </summary>
        [Fact]
        public void Sharded_states_fill_only_part_of_the_segments()
        {
            Assert.Equal(16_106_127_360 - 12 * ExpertsPerRank / 16, Stranded(Qwen3(64, Offload.None)));
            Assert.Equal(10_670_309_376, 16_106_127_360 - 12 * ExpertsPerRank / 16);
        }

        /// <summary>Under LoRA only the adapters train, so the frozen experts never move into the buffer.</summary>
        [Fact]
        public void Frozen_experts_stay_where_they_were_built()
        {
            Assert.Equal(0, Stranded(Qwen3(4, Offload.None, FinetuneMethod.LoRA)));
        }

        /// <summary>Without the distributed optimizer there is no parameter buffer (param_data is None): nothing moves.</summary>
        [Fact]
        public void Plain_data_parallel_moves_nothing()
        {
            var w = Qwen3(4, Offload.Optimizer);
            w.Sharding = Sharding.None;
            Assert.Equal(0, Stranded(w));
        }

        /// <summary>
        /// Mixtral-8x7B's experts (config.json: hidden 4096, intermediate 14336) are 2 x 14336 x 4096 x 2 = 224 MiB and
        /// 112 MiB: each had a segment of its own, which the step's larger activations reuse; none is counted.
        /// </summary>
        [Fact]
        public void Experts_of_ten_mib_or_more_have_segments_of_their_own()
        {
            var w = Qwen3(8, Offload.Optimizer, model: "mistralai/Mixtral-8x7B-v0.1");
            w.ExpertParallel = 8;
            Assert.Equal(0, Stranded(w));
        }

        /// <summary>
        /// With expandable segments (PYTORCH_CUDA_ALLOC_CONF=expandable_segments:True) the allocator maps one growing
        /// segment per stream instead of 20 MiB segments, so a freed expert's pages serve any later request.
        /// </summary>
        [Fact]
        public void Expandable_segments_strand_nothing()
        {
            var expandable = FrameworkProfiles.Of(Framework.MegatronSwift) with { ExpandableSegments = new Cited<bool>(true, "test: expandable_segments:True") };
            Assert.Equal(0, Stranded(Qwen3(4, Offload.Optimizer), profile: expandable));
        }

        [Fact]
        public void Only_frameworks_that_move_parameters_count_them()
        {
            Assert.True(FrameworkProfiles.Of(Framework.MegatronLM).ParametersMovedIntoBuffer.Value);
            Assert.True(FrameworkProfiles.Of(Framework.MegatronSwift).ParametersMovedIntoBuffer.Value);
            Assert.False(FrameworkProfiles.Of(Framework.DeepSpeed).ParametersMovedIntoBuffer.Value);
        }
    }
}
