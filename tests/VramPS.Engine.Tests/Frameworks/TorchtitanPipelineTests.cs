using System.Collections.Generic;
using System.Linq;
using VramPS.Engine.Estimation;
using VramPS.Engine.Frameworks;
using VramPS.Engine.Models;
using Xunit;

namespace VramPS.Engine.Tests.Frameworks
{
    /// <summary>
    /// torchtitan's pipeline stages under FSDP2 (apply_fsdp@9dec370: no reshard after forward when pp_enabled) and
    /// torch.distributed.pipelining (stage.py, schedules.py): what a stage holds per micro-batch, derived by hand.
    /// </summary>
    public class TorchtitanPipelineTests
    {
        /// <summary>
        /// scale-dev's titan-t5-405b-fsdp8-tp8-pp8-1f1b (benchmarks/llama3_h100_202412_torchtitan.md Table 5): Llama 3.1
        /// 405B, local batch 32 x 8192 tokens split into 8 micro-batches of 4, FSDP 8 x TP 8 x PP 8, full AC, compiled.
        /// </summary>
        private static Workload Table5(string? release = null) =>
            new Workload(ModelCatalog.Default.Get("meta-llama/Llama-3.1-405B"))
            {
                Framework = Framework.Torchtitan, Method = FinetuneMethod.Full, Precision = Precision.Bf16Mixed, Optimizer = OptimizerKind.AdamW,
                BatchSize = 32, SequenceLength = 8192, Checkpointing = Checkpointing.Full, Attention = AttentionKernel.Sdpa, GpuCount = 512,
                Sharding = Sharding.Zero2, Techniques = Techniques.Compile, TensorParallel = 8, PipelineParallel = 8,
                FrameworkVersion = release is null ? null : FrameworkVersion.Parse(release, "FrameworkVersion"),
            };

        private static IReadOnlyList<PhaseMemory> StagePhases(Workload w, int stage)
        {
            var r = new ResolvedRecipe(w);
            var t = new TrainerBehavior(r);
            var budget = new ParameterBudget(r, t, r.Parallel.Stages[stage]);
            return new StepLayout(r, t, budget, new ModelStateMemory(r, t, budget), new ActivationMemory(r, t, r.Parallel.Stages[stage]), new List<string>()).Phases();
        }

        private static PhaseMemory At(IReadOnlyList<PhaseMemory> phases, Phase phase) => phases.Single(p => p.Phase == phase);

        // Llama 3.1 405B per tensor-parallel rank: a block's linears (16384^2 x 2 + 16384 x 1024 x 2 + 16384 x 53248 x 3) / 8 =
        // 398458880 and its two norms whole, 32768: 398491648. The first stage's 16 blocks and 1/8 of the 128256 x 16384
        // embedding: 6375866368 + 262668288 parameters.
        private const long FirstStageParameters = 6638534656;

        // One micro-batch's stage boundary: 4 x 8192 tokens x 16384 / 8 sequence-parallel ranks x 2 bytes (bf16).
        private const long Boundary = 134217728;

        [Fact]
        public void A_stage_keeps_its_parameters_gathered_in_bf16_and_its_gradients_unsharded_in_fp32_until_the_last_backward()
        {
            var phases = StagePhases(Table5(), 0);
            const long p = FirstStageParameters;
            // fp32 shards over the 8 FSDP ranks (4P / 8) and the bf16 parameters fully_shard gathered (2P), no autocast copy.
            Assert.Equal(p / 2 + 2 * p, At(phases, Phase.ForwardEnd).Weights);
            // Every micro-batch's bf16 gradient is cast to the fp32 reduce_dtype and accumulated unsharded (4P) ...
            Assert.Equal(4 * p, At(phases, Phase.ForwardEnd).Gradients);
            Assert.Equal(4 * p, At(phases, Phase.BackwardEnd).Gradients);
            // ... until the last backward's post_backward reshards and reduce-scatters them: fp32 shards, 4P / 8 each.
            Assert.Equal(p / 2, At(phases, Phase.OptimizerStep).Weights);
            Assert.Equal(p / 2, At(phases, Phase.OptimizerStep).Gradients);
        }

        [Fact]
        public void The_residual_stream_is_bf16_as_the_gathered_parameters_are()
        {
            // MixedPrecisionPolicy(param_dtype=bf16) casts the parameters, not an autocast over fp32 ones: each checkpointed
            // block keeps its bf16 input's sequence shard, 2 x 16384 / 8 bytes per token.
            var r = new ResolvedRecipe(Table5());
            var a = new ActivationMemory(r, new TrainerBehavior(r), r.Parallel.Stages[0]);
            Assert.Equal(2, a.ResidualBytes);
            Assert.Equal(2.0 * 16384 / 8, a.CheckpointPerTokenPerLayer);
        }

        [Fact]
        public void The_first_stages_gradients_meet_one_micro_batch_fewer_than_its_warm_up_holds()
        {
            // Schedule1F1B: stage 0 runs all 8 forwards before its first backward, which finds no gradient; the fp32
            // gradients (4P, 26.6 GB) outweigh one micro-batch's checkpoints (16 blocks x 32768 tokens x 4096 bytes, 2.1 GB),
            // so the peak holds them beside the 7 micro-batches left: 16 x 7 x 4096 x 32768 bytes.
            var phases = StagePhases(Table5(), 0);
            Assert.Equal(16L * 7 * 4096 * 32768, At(phases, Phase.ForwardEnd).Activations);
            // The stage's 8 receive buffers for its output's gradient and the outputs of its 7 micro-batches awaiting
            // backward, one boundary each.
            Assert.Equal((8 + 7) * Boundary, At(phases, Phase.ForwardEnd).Other);
            // After backward the outputs are gone; the receive buffers stay for the run.
            Assert.Equal(8 * Boundary, At(phases, Phase.BackwardEnd).Other);
        }

        [Fact]
        public void Where_one_micro_batch_outweighs_the_gradients_the_first_backward_is_the_peak_without_them()
        {
            // Llama 3.1 8B over PP 2 on 4 GPUs, 2 micro-batches of 1 x 131072 tokens: the first stage's 16 blocks (218112000
            // parameters each: 4096^2 x 2 + 4096 x 1024 x 2 + 4096 x 14336 x 3 + two norms of 4096) and the 128256 x 4096
            // embedding hold 4 x 4015128576 bytes of fp32 gradients, less than one micro-batch's checkpoints, 16 x 131072 x
            // 4096 x 2 bytes: the first backward starts with both micro-batches in flight and no gradient.
            var w = new Workload(ModelCatalog.Default.Get("meta-llama/Llama-3.1-8B"))
            {
                Framework = Framework.Torchtitan, Method = FinetuneMethod.Full, Precision = Precision.Bf16Mixed, BatchSize = 2,
                SequenceLength = 131072, Checkpointing = Checkpointing.Full, GpuCount = 4, Sharding = Sharding.Zero2, PipelineParallel = 2,
            };
            var forwardEnd = At(StagePhases(w, 0), Phase.ForwardEnd);
            Assert.Equal(0, forwardEnd.Gradients);
            Assert.Equal(2L * 16 * 131072 * 4096 * 2, forwardEnd.Activations);
        }

        [Fact]
        public void The_last_stage_keeps_every_micro_batchs_logits_until_the_next_step()
        {
            // output_chunks holds each micro-batch's bf16 output: 4 x 8192 tokens x 128256 / 8 vocabulary entries x 2 bytes,
            // 8 of them by the last backward. The stage's 8 receive buffers (one in flight, the first block's checkpoint)
            // and the gradients of its 7 earlier received inputs: 2 x 7 boundaries.
            const long logits = 4L * 8192 * 128256 / 8 * 2;
            Assert.Equal(2 * 7 * Boundary + 8 * logits, At(StagePhases(Table5(), 1), Phase.BackwardTop).Other);
        }

        [Fact]
        public void From_e5ef99a_the_last_stage_keeps_no_logits()
        {
            // Both checkouts split the local batch of 32 into micro-batches of one sample (5e2033c): 32 of 1 x 8192 tokens,
            // a boundary of 8192 x 16384 / 8 x 2 bytes, logits of 8192 x 128256 / 8 x 2 bytes each. train.py@e5ef99a passes
            // return_outputs=False: the day before, the 32 outputs are kept beside the buffers and gradients (2 x 31).
            const long boundary = 8192L * 16384 / 8 * 2, logits = 8192L * 128256 / 8 * 2;
            Assert.Equal(2 * 31 * boundary + 32 * logits, At(StagePhases(Table5("2025-10-21"), 1), Phase.BackwardTop).Other);
            Assert.Equal(2 * 31 * boundary, At(StagePhases(Table5("2025-10-22"), 1), Phase.BackwardTop).Other);
        }

        [Theory]
        [InlineData(null, 8, 4)]
        [InlineData("2025-01-06", 8, 4)]
        [InlineData("2025-01-07", 16, 2)]
        [InlineData("2025-04-06", 16, 2)]
        [InlineData("2025-04-07", 32, 1)]
        [InlineData("v0.1.0", 32, 1)]
        public void The_interleaved_pipeline_splits_the_local_batch_as_each_release_did(string? release, int microBatches, int size)
        {
            // pipelining_utils.py@9dec370: one micro-batch per pipeline rank (8) whatever the stages per rank; @90567fc: one
            // per stage (8 ranks x 2 virtual stages); distributed/pipeline.py@5e2033c: micro-batches of one sample.
            var w = Table5(release);
            w.PipelineSchedule = PipelineSchedule.Interleaved;
            w.VirtualStages = 2;
            var r = new ResolvedRecipe(w);
            Assert.Equal(microBatches, r.Parallel.MicroBatches);
            Assert.Equal(size, r.BatchSize);
        }
    }
}
