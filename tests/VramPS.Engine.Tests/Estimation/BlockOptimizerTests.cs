using System.Linq;
using VramPS.Engine.Errors;
using VramPS.Engine.Estimation;
using Xunit;

namespace VramPS.Engine.Tests.Estimation
{
    /// <summary>
    /// BAdam's layer mode under LLaMA-Factory on Llama-2-7B, by hand. LLaMA-Factory (train/trainer_utils.py
    /// _create_badam_optimizer) wraps the Trainer's AdamW in BlockOptimizer with no block list, so each decoder layer is
    /// one block and the embedding and head never train (block_optim.py infer_param_groups, include_embedding and
    /// include_lm_head False); it upcasts nothing under use_badam, so the model stays bf16. The active block keeps its
    /// bf16 gradient, an fp32 copy (switch_trainable_params: param.clone().float()) and AdamW's two fp32 moments on that
    /// copy. One Llama-2-7B block: q, k, v, o (4096 x 4096), gate, up, down (4096 x 11008) and two norms (4096 each).
    /// </summary>
    public class BlockOptimizerTests
    {
        private const long H = Llama2Fixture.Hidden;
        private const long I = Llama2Fixture.Intermediate;
        private const long L = Llama2Fixture.Layers;
        private const long Block = 4 * H * H + 3 * H * I + 2 * H;

        private static Workload BAdam(Checkpointing checkpointing = Checkpointing.None) => new Workload(Llama2Fixture.Model())
        {
            Method = FinetuneMethod.Full, Optimizer = OptimizerKind.BAdam, Framework = Framework.LlamaFactory,
            BatchSize = 1, SequenceLength = 512, Checkpointing = checkpointing,
        };

        private static long ForwardEnd(Workload w) => MemoryEstimator.Estimate(w).Phases.Single(p => p.Phase == Phase.ForwardEnd).Activations;

        [Fact]
        public void One_block_trains_with_its_fp32_copy_and_moments_over_a_bf16_model()
        {
            Assert.Equal(202_383_360, Block);
            var e = MemoryEstimator.Estimate(BAdam());
            Assert.Equal(Block, e.TrainableParameters);
            Assert.Equal(Llama2Fixture.Parameters * 2, e.Weights);
            // fp32 copy (4) + exp_avg (4) + exp_avg_sq (4) per parameter of the block.
            Assert.Equal(Block * 12, e.OptimizerStates);
            var end = e.Phases.Single(p => p.Phase == Phase.BackwardEnd);
            Assert.Equal(Block * 2, end.Gradients);
            // The step: _grad_to_hp turns each bf16 gradient into the fp32 copy's gradient and frees it (2 bytes more
            // per parameter), then torch's foreach AdamW (the Trainer's adamw_torch) one fp32 temporary list (4).
            var step = e.Phases.Single(p => p.Phase == Phase.OptimizerStep);
            Assert.Equal(Block * (2 + 4), step.Other);
            Assert.Equal(2_428_600_320, e.OptimizerStates);
            Assert.Equal(Precision.Bf16Mixed, e.Precision);
            Assert.Contains(e.Assumptions, a => a.StartsWith("BAdam layer mode: one decoder layer per block"));
        }

        /// <summary>
        /// The peak is with block 0 active: it trains, and the 31 frozen blocks above it pass the gradient down.
        /// Rules as in SavedTensorTests, in a bf16 model (no autocast copy, a bf16 residual stream). Block 0: its input
        /// (the frozen embedding's output) needs no gradient, so its first norm keeps only the bf16 normalized x for
        /// its weight (2h); the second norm its fp32 input and bf16 normalized x (4h + 2h); q, k, v share one bf16
        /// input (2h); SDPA q, k, v, output (4 x 2h) and an fp32 log-sum-exp per head (4 x 32); o_proj its input (2h);
        /// gate and up one shared input (2h); SwiGLU gate, act and up outputs (3 x 2I) and down its input (2I).
        /// A frozen block: each norm only its fp32 input for the input gradient (2 x 4h), SDPA the same 8h + 128,
        /// SwiGLU 6I, and no linear input. Above them the frozen final norm keeps its fp32 input (4h), the frozen
        /// head nothing.
        /// </summary>
        private const long ActiveBlock = 2 * H + 6 * H + 2 * H + (8 * H + 4 * 32) + 2 * H + 2 * H + 6 * I + 2 * I;
        private const long FrozenBlock = 8 * H + (8 * H + 4 * 32) + 6 * I;

        [Fact]
        public void Without_checkpointing_the_lowest_block_trains_and_every_block_above_keeps_its_input_gradient_path()
        {
            Assert.Equal(178_304, ActiveBlock);
            Assert.Equal(131_712, FrozenBlock);
            Assert.Equal((ActiveBlock + (L - 1) * FrozenBlock + 4 * H) * 512, ForwardEnd(BAdam()));
        }

        [Fact]
        public void Llama_factory_checkpoints_only_the_active_block_and_runs_the_frozen_ones_plainly()
        {
            // model_utils/checkpointing.py get_custom_gradient_checkpointing_func: a block without a trainable
            // parameter runs outside the checkpoint, so the 31 frozen blocks keep what they save; block 0 keeps its
            // bf16 checkpointed input (2h).
            Assert.Equal((2 * H + (L - 1) * FrozenBlock + 4 * H) * 512, ForwardEnd(BAdam(Checkpointing.Full)));
        }

        [Fact]
        public void BAdam_needs_full_training_llama_factory_and_one_gpu()
        {
            var lora = BAdam();
            lora.Method = FinetuneMethod.LoRA;
            var e = Assert.Throws<InvalidWorkloadException>(() => MemoryEstimator.Estimate(lora));
            Assert.Equal("Optimizer", e.Parameter);
            Assert.Contains("-Method Full", e.Message);

            var trainer = BAdam();
            trainer.Framework = Framework.HfTrainer;
            e = Assert.Throws<InvalidWorkloadException>(() => MemoryEstimator.Estimate(trainer));
            Assert.Equal("Optimizer", e.Parameter);
            Assert.Contains("-Framework HF-Trainer has no -Optimizer BAdam", e.Message);

            var two = BAdam();
            two.GpuCount = 2;
            Assert.Equal("GpuCount", Assert.Throws<InvalidWorkloadException>(() => MemoryEstimator.Estimate(two)).Parameter);
        }
    }
}
