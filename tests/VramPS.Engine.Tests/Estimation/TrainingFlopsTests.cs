using VramPS.Engine.Estimation;
using Xunit;

namespace VramPS.Engine.Tests.Estimation
{
    /// <summary>
    /// FLOPs per token of the Llama-2-7B example, derived by hand: 2N forward, 2N input gradients and 2N weight
    /// gradients per matrix multiply of N parameters (Kaplan et al. 2020), 12 x L x s x d_attn for attention (PaLM,
    /// Chowdhery et al. 2022, appendix B); the head is a 32000 x 4096 multiply, the embedding lookup costs nothing.
    /// </summary>
    public class TrainingFlopsTests
    {
        private const double H = Llama2Fixture.Hidden;
        private const double L = Llama2Fixture.Layers;
        private const double S = 512;
        private const double Blocks = Llama2Fixture.BlockLinear;
        private const double Head = Llama2Fixture.Vocab * Llama2Fixture.Hidden;
        private const double Attention = 4 * S * H;

        private static Workload With(FinetuneMethod method, Checkpointing checkpointing)
        {
            var w = Llama2Fixture.Workload(method);
            w.Checkpointing = checkpointing;
            return w;
        }

        [Fact]
        public void Full_training_is_6N_plus_PaLMs_attention_term()
        {
            var f = new TrainingFlops(With(FinetuneMethod.Full, Checkpointing.None));
            Assert.Equal(6 * (Blocks + Head) + 3 * L * Attention, f.PerToken);
            Assert.Equal(f.PerToken, f.Model);
        }

        [Fact]
        public void Full_checkpointing_repeats_every_block_forward()
        {
            var f = new TrainingFlops(With(FinetuneMethod.Full, Checkpointing.Full));
            Assert.Equal(2 * Blocks + L * Attention, f.Recomputation);
            Assert.Equal(8 * Blocks + 6 * Head + 4 * L * Attention, f.PerToken);
        }

        [Fact]
        public void Selective_checkpointing_repeats_the_attention_core()
        {
            var w = With(FinetuneMethod.Full, Checkpointing.Selective);
            w.Framework = Framework.MegatronLM;
            Assert.Equal(L * Attention, new TrainingFlops(w).Recomputation);
        }

        [Fact]
        public void LoRA_skips_the_frozen_weight_gradients_and_adds_its_adapters()
        {
            var w = With(FinetuneMethod.LoRA, Checkpointing.None);
            w.LoraRank = 8;
            w.LoraTargets = new[] { "q_proj", "v_proj" };
            double adapters = L * 8 * (H + H) * 2;
            Assert.Equal(4 * (Blocks + Head) + 3 * L * Attention + 6 * adapters, new TrainingFlops(w).PerToken);
        }

        [Fact]
        public void Freeze_runs_backward_through_the_training_blocks_only()
        {
            var w = With(FinetuneMethod.Freeze, Checkpointing.None);
            w.TrainableLayers = 2;
            double perBlock = Blocks / L;
            double forward = 2 * (Blocks + Head) + L * Attention;
            double backward = 2 * (2 * perBlock) + 2 * 2 * Attention + 2 * Head + 2 * (2 * perBlock);
            Assert.Equal(forward + backward, new TrainingFlops(w).PerToken);
        }

        [Fact]
        public void The_pipeline_bubble_is_p_minus_1_over_v_m()
        {
            var w = With(FinetuneMethod.LoRA, Checkpointing.Full);
            w.PipelineParallel = 4;
            w.GpuCount = 4;
            w.GradientAccumulation = 8;
            Assert.Equal(3 / 8.0, new TrainingFlops(w).PipelineBubble);
            w.PipelineSchedule = PipelineSchedule.Interleaved;
            w.VirtualStages = 2;
            Assert.Equal(3 / 16.0, new TrainingFlops(w).PipelineBubble);
        }
    }
}
