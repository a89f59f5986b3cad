using System.Linq;
using VramPS.Engine.Errors;
using VramPS.Engine.Estimation;
using VramPS.Engine.Frameworks;
using VramPS.Engine.Models;
using Xunit;

namespace VramPS.Engine.Tests.Frameworks
{
    /// <summary>torchtitan's behaviours, each from the torchtitan source its profile cites.</summary>
    public class TorchtitanProfileTests
    {
        private static Workload Llama8B() =>
            new Workload(ModelCatalog.Default.Get("meta-llama/Llama-3.1-8B")) { Framework = Framework.Torchtitan, Precision = Precision.Bf16Mixed, GpuCount = 8, Sharding = Sharding.Zero3 };

        [Theory]
        [InlineData(FinetuneMethod.LoRA)]
        [InlineData(FinetuneMethod.QLoRA)]
        [InlineData(FinetuneMethod.Freeze)]
        public void Trains_every_parameter_and_refuses_partial_methods_naming_Method(FinetuneMethod method)
        {
            var w = Llama8B();
            w.Method = method;
            var e = Assert.Throws<InvalidWorkloadException>(() => MemoryEstimator.Estimate(w));
            Assert.Equal("Method", e.Parameter);
            Assert.Contains("-Framework torchtitan trains every parameter", e.Message);
            Assert.Contains("Use -Method Full, or -Framework HF-Trainer, torchtune", e.Message);
        }

        [Fact]
        public void Tensor_parallel_always_splits_the_sequence_and_says_so()
        {
            // parallelize.py apply_tp: SequenceParallel() on the norms in every TP plan.
            var w = Llama8B();
            w.TensorParallel = 8;
            w.Precision = Precision.Fp32; // TP over every GPU leaves no fully_shard, so no bf16 mixed precision (TorchtitanRunnableTests)
            var r = new ResolvedRecipe(w);
            Assert.True(r.Parallel.SequenceParallel);
            Assert.Contains(r.Profile.TensorParallelSplitsSequence.Assumption, r.Assumptions);
            Assert.False(new ResolvedRecipe(Llama8B()).Parallel.SequenceParallel);
        }

        [Fact]
        public void The_loss_casts_the_whole_output_to_fp32()
        {
            // components/loss.py cross_entropy_loss: F.cross_entropy(pred.float(), labels): the 16-bit logits (2 bytes),
            // their fp32 copy (4) and the fp32 log-softmax cross_entropy saves (4) at the loss's forward peak.
            var t = new TrainerBehavior(new ResolvedRecipe(Llama8B()));
            Assert.Equal(LossPath.Fp32Upcast, FrameworkProfiles.Of(Framework.Torchtitan).LossPath.Value);
            Assert.Equal(2 + 4 + 4, t.Logits.ForwardPeak);
            // train.py@9dec370 deletes pred before loss.backward(), and .float() saved nothing of it: backward holds the
            // saved log-softmax (4), nll_loss's gradient (4) and log_softmax's (4).
            Assert.Equal(4 + 4 + 4, t.Logits.BackwardPeak);
        }

        [Fact]
        public void Steps_with_foreach_AdamW_over_fp32_sharded_parameters()
        {
            // components/optimizer.py (fused False) and apply_fsdp's MixedPrecisionPolicy over fp32 parameters.
            var t = new TrainerBehavior(new ResolvedRecipe(Llama8B()));
            Assert.False(t.FusedAdamW);
            Assert.False(t.MasterCopyInOptimizer);
        }

        [Fact]
        public void The_pipeline_splits_the_local_batch_into_one_micro_batch_per_pipeline_rank()
        {
            // parallelisms/pipelining_utils.py@9dec370: pipeline_parallel_microbatches None -> pipeline_parallel_degree
            // micro-batches. Table 5 of benchmarks/llama3_h100_202412_torchtitan.md: local batch 32 over PP 8 -> 8 of 4.
            var w = new Workload(ModelCatalog.Default.Get("meta-llama/Llama-3.1-405B"))
            {
                Framework = Framework.Torchtitan, BatchSize = 32, GpuCount = 512, TensorParallel = 8, PipelineParallel = 8, Sharding = Sharding.Zero2,
            };
            var r = new ResolvedRecipe(w);
            Assert.Equal(4, r.BatchSize);
            Assert.Equal(8, r.GradientAccumulation);
            Assert.Equal(8, r.Parallel.MicroBatches);
            w.BatchSize = 12;
            Assert.Equal("BatchSize", Assert.Throws<InvalidWorkloadException>(() => new ResolvedRecipe(w)).Parameter);
        }

        [Fact]
        public void Op_level_selective_checkpointing_keeps_the_block_input_and_its_save_lists_outputs()
        {
            // parallelize.py _custom_policy over Llama 3.1 8B (h 4096, q 4096, kv 1024, MLP 14336, 32 heads), bf16 under
            // FSDP2: block input 2 x 4096; wq 2 x 4096, wv 2 x 1024, w1 2 x 14336, w2 2 x 4096; SDPA output 2 x 4096 and
            // log-sum-exp 4 x 32 = 8192 + 8192 + 2048 + 28672 + 8192 + 8192 + 128 = 63616 bytes per token per block.
            var w = Llama8B();
            w.Checkpointing = Checkpointing.Selective;
            var r = new ResolvedRecipe(w);
            var a = new ActivationMemory(r, new TrainerBehavior(r), r.Parallel.Stages[0]);
            Assert.True(a.CheckpointsBlocks);
            Assert.Equal(63616, a.CheckpointPerTokenPerLayer);
        }

        [Fact]
        public void Compiled_op_level_checkpointing_keeps_only_the_saved_outputs_backward_reads()
        {
            // apply_compile wraps the checkpointed block: the policy only tags the graph, and AOTAutograd's partitioner saves
            // what the backward graph reads. w2's output (2 x 4096 bytes per token) feeds only the residual add, whose
            // backward reads nothing: 63616 - 8192 = 55424 bytes per token per block. wq's output stays (RoPE runs again
            // into SDPA's backward), as do wv's, w1's (silu's backward) and SDPA's output and log-sum-exp.
            var w = Llama8B();
            w.Checkpointing = Checkpointing.Selective;
            w.Techniques = Techniques.Compile;
            var r = new ResolvedRecipe(w);
            Assert.Equal(55424, new ActivationMemory(r, new TrainerBehavior(r), r.Parallel.Stages[0]).CheckpointPerTokenPerLayer);
        }
    
        private static Workload Llama70BTensorParallel(int tp) =>
            new Workload(ModelCatalog.Default.Get("meta-llama/Llama-3.1-70B"))
            {
                Framework = Framework.Torchtitan, Precision = Precision.Bf16Mixed, GpuCount = 8 * tp, Sharding = Sharding.Zero3, TensorParallel = tp,
                Checkpointing = Checkpointing.Full, Techniques = Techniques.Compile,
            };

        [Fact]
        public void Loss_parallel_holds_the_op_by_op_log_softmax_and_its_fused_backward()
        {
            // torch/distributed/tensor/parallel/loss.py, bytes per vocabulary entry of the rank's shard: _log_softmax holds
            // the 16-bit logits (2), their fp32 copy (4), x - max (4) and its exp (4), then the result (4) in their place
            // of the exp; _nll_loss_and_log_softmax_backward holds the saved log-softmax (4), zeros_like of it (4), its
            // exp (4) and their sum (4). train.py deletes the logits before backward.
            var t = new TrainerBehavior(new ResolvedRecipe(Llama70BTensorParallel(8)));
            Assert.Equal(2 + 4 + 4 + 4, t.Logits.ForwardPeak);
            Assert.Equal(4 + 4 + 4 + 4, t.Logits.BackwardPeak);
            // Without tensor parallelism the loss is F.cross_entropy on the whole logits, as before.
            Assert.Equal(2 + 4 + 4, new TrainerBehavior(new ResolvedRecipe(Llama70BTensorParallel(1))).Logits.ForwardPeak);
        }

        [Fact]
        public void The_heads_colwise_linear_saves_its_all_gathered_input_and_the_norm_its_sequence_shard()
        {
            // apply_tp: "norm" SequenceParallel, "output" ColwiseParallel(input_layouts=Shard(1)): the DTensor mm saves the
            // gathered bf16 input, 2h bytes per token on every rank; the compiled RMSNorm keeps its bf16 input, 2h / t.
            const double h = 8192;
            var r = new ResolvedRecipe(Llama70BTensorParallel(8));
            var stage = r.Parallel.Stages[0];
            Assert.Equal(2 * h / 8 + 2 * h, new ActivationMemory(r, new TrainerBehavior(r), stage).OutsideLayersPerToken);
            // Megatron-LM's linears save the sequence shard and gather it again in backward (layers.py).
            var w = Llama70BTensorParallel(8);
            w.Framework = Framework.MegatronLM;
            w.SequenceParallel = true;
            w.Sharding = Sharding.None;
            var m = new ResolvedRecipe(w);
            Assert.Equal((2 * h + 2 * h) / 8, new ActivationMemory(m, new TrainerBehavior(m), m.Parallel.Stages[0]).OutsideLayersPerToken);
        }

        [Fact]
        public void From_83e6941_on_the_embedding_and_the_head_are_units_of_their_own()
        {
            // TorchAO's B200 run (tests/data/torchtitan-fsdp-dev.csv, torchao-b200-l3-8b-fsdp8-compile): Llama 3.1 8B, local
            // batch 1 x 8192, compiled, op-level SAC, 8 ranks. Until 83e6941 one root unit holds tok_embeddings and output,
            // 128256 x 4096 = 525,336,576 parameters each, left gathered after forward in bf16; from it on only the head's
            // unit is: one 16-bit unit less, 525,336,576 x 2 = 1,050,673,152 bytes, allocated at the peak and kept in the
            // all-gather stream's pool. The root unit reduces only once backward ends, so until 83e6941 the head's
            // unsharded bf16 gradient (1,050,673,152) waits through every block's backward, beside a block's bf16
            // gradients and the previous block's fp32 reduce-scatter input (6 x 218,112,000); from it on the head's unit
            // reduces after the head's backward, leaving its fp32 shard (4 x 525,336,576 / 8 = 262,668,288).
            TrainingMemoryEstimate At(string checkout)
            {
                var w = Llama8B();
                w.Method = FinetuneMethod.Full;
                w.Optimizer = OptimizerKind.AdamW;
                w.BatchSize = 1;
                w.SequenceLength = 8192;
                w.GradientAccumulation = 1;
                w.Checkpointing = Checkpointing.Selective;
                w.Attention = AttentionKernel.Sdpa;
                w.Techniques = Techniques.Compile;
                w.FrameworkVersion = FrameworkVersion.Parse(checkout, "FrameworkVersion");
                return MemoryEstimator.Estimate(w);
            }

            var before = At("2025-07-27");
            var after = At("2025-07-28");
            Assert.Equal(Phase.BackwardStart, after.PeakPhase);
            Assert.Equal(1_050_673_152L, before.Allocated - after.Allocated);
            long Top(TrainingMemoryEstimate e) => e.Phases.Single(p => p.Phase == Phase.BackwardTop).Gradients;
            Assert.Equal(1_050_673_152L + 6 * 218_112_000L, Top(before));
            Assert.Equal(262_668_288L + 6 * 218_112_000L, Top(after));
            // Reserved: the phase's allocation, the sharded fp32 gradients idle in the reduce-scatter pool (4 x
            // 8,030,261,248 / 8, less the head's shard the start of backward counts), the all-gather pool (the gathered
            // root or head unit and two blocks in bf16) and 32 blocks of 1 MiB rounding. With the head held, the top of
            // backward outgrows the start (where the compiled loss's 4 bytes per logit stand); without it the start is the peak.
            const long idle = 4 * 8_030_261_248L / 8, blocks = 2 * 2 * 218_112_000L, rounding = 32L << 20;
            Assert.Equal(before.Phases.Single(p => p.Phase == Phase.BackwardTop).Allocated + idle + 2 * 1_050_673_152L + blocks + rounding, before.Reserved);
            Assert.Equal(after.Allocated + idle - 262_668_288L + 1_050_673_152L + blocks + rounding, after.Reserved);
            Assert.False(FrameworkProfiles.Of(Framework.Torchtitan).EmbeddingAndHeadApart.Value);
        }
    }
}
