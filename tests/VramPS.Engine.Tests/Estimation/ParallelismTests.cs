using System.Linq;
using VramPS.Engine.Errors;
using VramPS.Engine.Estimation;
using VramPS.Engine.Models;
using Xunit;

namespace VramPS.Engine.Tests.Estimation
{
    /// <summary>
    /// Tensor, pipeline, sequence, context and expert parallelism on hand-worked Llama-2-7B and Mixtral-8x7B
    /// examples. Expected values follow Megatron-LM's layout (column- and row-parallel linears, vocabulary-parallel
    /// embedding and head, replicated norms) and Korthikanti et al. 2022 ("Reducing Activation Recomputation in Large
    /// Transformer Models", section 4.2: t divides the tensors inside attention and MLP; sequence parallelism divides
    /// the rest; a 1F1B first stage holds p micro-batches of L/p layers).
    /// </summary>
    public class ParallelismTests
    {
        private const long P = Llama2Fixture.Parameters;
        private const long H = Llama2Fixture.Hidden;
        private const long L = Llama2Fixture.Layers;
        private const long V = Llama2Fixture.Vocab;
        private const long Tokens = 512;
        private const long LayerLinear = 4 * H * H + 3 * H * Llama2Fixture.Intermediate;

        /// <summary>LoRA on q and v, checkpointed, with a fused linear loss: activations are 2H bytes per layer per token (the block inputs) and the final norm's fp32 input.</summary>
        private static Workload Lora()
        {
            var w = Llama2Fixture.Workload(FinetuneMethod.LoRA);
            w.LoraRank = 8;
            w.LoraTargets = new[] { "q_proj", "v_proj" };
            w.Techniques = Techniques.FusedLinearLoss;
            return w;
        }

        private static PhaseMemory At(TrainingMemoryEstimate e, Phase phase) => e.Phases.Single(p => p.Phase == phase);

        [Fact]
        public void Tensor_parallelism_divides_the_linears_and_the_vocabulary_but_not_the_norms()
        {
            var w = Llama2Fixture.Workload(FinetuneMethod.Full);
            w.TensorParallel = 2;
            w.GpuCount = 2;
            var e = MemoryEstimator.Estimate(w);

            // Per rank: half of every block linear, half of the embedding and head rows, every norm whole (2H per block, H final).
            long onRank = L * LayerLinear / 2 + L * 2 * H + 2 * V * H / 2 + H;
            var step = At(e, Phase.OptimizerStep);
            Assert.Equal(2 * onRank, step.Weights);
            Assert.Equal(2 * onRank, step.Gradients);
            Assert.Equal(4 * onRank, step.OptimizerStates);
            Assert.Equal(1, e.DataParallel);
            Assert.Equal(2, e.TensorParallel);
            Assert.Equal(P, e.TrainableParameters);
        }

        [Fact]
        public void Sequence_parallelism_also_divides_the_block_inputs()
        {
            var w = Lora();
            w.TensorParallel = 2;
            w.GpuCount = 2;
            long without = At(MemoryEstimator.Estimate(w), Phase.ForwardEnd).Activations;
            w.SequenceParallel = true;
            long with = At(MemoryEstimator.Estimate(w), Phase.ForwardEnd).Activations;

            // Checkpointed block inputs (2H per token) and the final norm's fp32 input (4H) sit outside attention and MLP.
            Assert.Equal(Tokens * (L * 2 * H + 4 * H), without);
            Assert.Equal(Tokens * (L * 2 * H + 4 * H) / 2, with);
        }

        [Fact]
        public void A_1F1B_first_stage_holds_p_micro_batches_of_its_layers()
        {
            var w = Lora();
            w.PipelineParallel = 4;
            w.GpuCount = 4;
            w.GradientAccumulation = 8;
            var e = MemoryEstimator.Estimate(w);

            Assert.Equal(0, e.PipelineStage);
            // 8 layers per stage, 4 micro-batches in flight: the block inputs of 32 layers, no head on this stage.
            Assert.Equal(Tokens * 4 * (L / 4) * 2 * H, At(e, Phase.ForwardEnd).Activations);
            long adapters = (L / 4) * 8 * 4 * H;
            long embedding = V * H;
            Assert.Equal(2 * (embedding + (L / 4) * (LayerLinear + 2 * H)) + 4 * adapters, At(e, Phase.ForwardEnd).Weights);
            Assert.StartsWith("pipeline stage 1 of 4", e.Rank);
        }

        [Fact]
        public void Only_the_last_stage_holds_the_head_gradient_and_the_logits()
        {
            var w = Llama2Fixture.Workload(FinetuneMethod.Full);
            w.Checkpointing = Checkpointing.None;
            w.PipelineParallel = 2;
            w.GpuCount = 2;
            w.GradientAccumulation = 2;
            w.Optimizer = OptimizerKind.SGD;
            w.SequenceLength = 8192;
            var e = MemoryEstimator.Estimate(w);

            // The first stage holds 2 micro-batches of 16 layers; without the head it has no head gradient and no logits.
            Assert.Equal(0, e.PipelineStage);
            Assert.Equal(At(e, Phase.ForwardEnd).Gradients, At(e, Phase.BackwardStart).Gradients);
            Assert.Equal(0, At(e, Phase.ForwardEnd).Other);
        }

        [Fact]
        public void Fewer_micro_batches_than_stages_hold_only_those()
        {
            var w = Lora();
            w.PipelineParallel = 4;
            w.GpuCount = 4;
            w.GradientAccumulation = 2;
            Assert.Equal(Tokens * 2 * (L / 4) * 2 * H, At(MemoryEstimator.Estimate(w), Phase.ForwardEnd).Activations);
        }

        [Fact]
        public void The_interleaved_schedule_holds_Megatrons_in_flight_micro_batches()
        {
            var w = Lora();
            w.PipelineParallel = 4;
            w.PipelineSchedule = PipelineSchedule.Interleaved;
            w.VirtualStages = 2;
            w.GpuCount = 4;
            w.GradientAccumulation = 8;
            var e = MemoryEstimator.Estimate(w);

            // Megatron-LM theoretical_memory_usage.py: L x (1 + (p - 1) / (p v)) layers of activations on the first stage = 32 x 11/8 = 44.
            double layers = L * (1 + (4 - 1) / (4.0 * 2));
            Assert.Equal(44, layers);
            Assert.Equal((long)(Tokens * layers * 2 * H), At(e, Phase.ForwardEnd).Activations);
        }

        [Fact]
        public void Context_parallelism_splits_each_sequence()
        {
            var w = Lora();
            w.ContextParallel = 2;
            w.GpuCount = 2;
            Assert.Equal(Tokens / 2 * (L * 2 * H + 4 * H), At(MemoryEstimator.Estimate(w), Phase.ForwardEnd).Activations);
        }

        [Fact]
        public void Sharding_spans_the_data_parallel_ranks_only()
        {
            var w = Llama2Fixture.Workload(FinetuneMethod.Full);
            w.TensorParallel = 2;
            w.GpuCount = 8;
            w.Sharding = Sharding.Zero1;
            var e = MemoryEstimator.Estimate(w);

            long onRank = L * LayerLinear / 2 + L * 2 * H + 2 * V * H / 2 + H;
            Assert.Equal(4, e.DataParallel);
            Assert.Equal(4 * onRank / 4, At(e, Phase.OptimizerStep).OptimizerStates);
        }

        [Fact]
        public void Expert_parallelism_divides_the_experts_only()
        {
            var w = new Workload(ModelCatalog.Default.Get("mistralai/Mixtral-8x7B-v0.1"))
            {
                Method = FinetuneMethod.Full, Precision = Precision.Bf16, Checkpointing = Checkpointing.Full,
                SequenceLength = 512, GpuCount = 8, ExpertParallel = 8,
            };
            var e = MemoryEstimator.Estimate(w);

            // Mixtral-8x7B: h 4096, 8 experts of 3 x 4096 x 14336, q and o 4096 x 4096, k and v 4096 x 1024, router 4096 x 8, 32 layers, vocabulary 32000, untied.
            const long h = 4096, layers = 32;
            long attention = h * (h + 1024 + 1024 + h);
            long experts = 8L * 3 * h * 14336;
            long layer = attention + experts / 8 + h * 8 + 2 * h;
            long onRank = layers * layer + 2 * 32000 * h + h;
            Assert.Equal(2 * onRank, At(e, Phase.OptimizerStep).Weights);
        }

        [Theory]
        [InlineData(8, 1, 12, "GpuCount")]
        [InlineData(3, 1, 3, "TensorParallel")]
        [InlineData(1, 64, 64, "PipelineParallel")]
        public void Layouts_that_cannot_run_name_the_parameter(int tp, int pp, int gpus, string parameter)
        {
            var w = Lora();
            w.TensorParallel = tp;
            w.PipelineParallel = pp;
            w.GpuCount = gpus;
            Assert.Equal(parameter, Assert.Throws<InvalidWorkloadException>(() => MemoryEstimator.Estimate(w)).Parameter);
        }

        [Fact]
        public void Combinations_that_cannot_run_name_the_parameter()
        {
            var sp = Lora();
            sp.SequenceParallel = true;
            Assert.Equal("SequenceParallel", Assert.Throws<InvalidWorkloadException>(() => MemoryEstimator.Estimate(sp)).Parameter);

            var interleaved = Lora();
            interleaved.PipelineParallel = 2;
            interleaved.GpuCount = 2;
            interleaved.PipelineSchedule = PipelineSchedule.Interleaved;
            Assert.Equal("VirtualStages", Assert.Throws<InvalidWorkloadException>(() => MemoryEstimator.Estimate(interleaved)).Parameter);

            var dense = Lora();
            dense.ExpertParallel = 2;
            dense.GpuCount = 2;
            Assert.Equal("ExpertParallel", Assert.Throws<InvalidWorkloadException>(() => MemoryEstimator.Estimate(dense)).Parameter);
        }

        [Fact]
        public void GpuCount_defaults_to_one_model_parallel_replica()
        {
            var w = Lora();
            w.GpuCount = null;
            w.TensorParallel = 2;
            w.PipelineParallel = 2;
            var e = MemoryEstimator.Estimate(w);
            Assert.Equal(4, e.GpuCount);
            Assert.Equal(1, e.DataParallel);
        }
    }
}
