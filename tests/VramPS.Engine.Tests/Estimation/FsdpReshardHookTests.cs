using System.Linq;
using VramPS.Engine.Estimation;
using Xunit;

namespace VramPS.Engine.Tests.Estimation
{
    /// <summary>
    /// The Trainer's FSDP with adapters: peft's fsdp_auto_wrap_policy leaves each block's unit with frozen weights only,
    /// so when the reentrant checkpoint recomputes a block in backward, FSDP registers its reshard-only post-backward
    /// hook (torch _runtime_utils.py _register_post_backward_reshard_only_hook, register_multi_grad_hook) on the block's
    /// detached input. The hook keeps that leaf's grad accumulator, and so the leaf and the gradient accumulated into it,
    /// until _finalize_params removes it at the end of backward. Llama-2-7B, micro-batch 4 of 4096 tokens, bf16.
    /// </summary>
    public class FsdpReshardHookTests
    {
        private const long H = Llama2Fixture.Hidden;
        private const long L = Llama2Fixture.Layers;
        private const long Tokens = 4 * 4096;

        private static Workload Run(FinetuneMethod method, Framework framework, int gpus) => new Workload(Llama2Fixture.Model())
        {
            Method = method, Framework = framework, Precision = Precision.Bf16, BatchSize = 4, SequenceLength = 4096,
            Checkpointing = Checkpointing.Full, Attention = AttentionKernel.Flash, GpuCount = gpus,
            Sharding = gpus > 1 ? Sharding.Zero3 : Sharding.None,
        };

        private static long At(Workload w, Phase phase) => MemoryEstimator.Estimate(w).Phases.Single(p => p.Phase == phase).Activations;

        private static long Backward(Workload w) => At(w, Phase.BackwardTop) - At(w, Phase.ForwardEnd);

        [Fact]
        public void The_forward_holds_only_the_checkpoints_as_on_one_GPU()
        {
            // Each block's bf16 input (2h) and the final RMSNorm's fp32 input (4h) per token.
            Assert.Equal(Tokens * (L * 2 * H + 4 * H), At(Run(FinetuneMethod.LoRA, Framework.HfTrainer, 2), Phase.ForwardEnd));
            Assert.Equal(At(Run(FinetuneMethod.LoRA, Framework.HfTrainer, 1), Phase.ForwardEnd), At(Run(FinetuneMethod.LoRA, Framework.HfTrainer, 2), Phase.ForwardEnd));
        }

        [Fact]
        public void At_the_bottom_block_every_blocks_input_gradient_is_still_held()
        {
            // Beyond one GPU's backward: the bf16 gradient of every block's input, 32 x 2 x 4096 bytes per token.
            long retained = Backward(Run(FinetuneMethod.LoRA, Framework.HfTrainer, 2)) - Backward(Run(FinetuneMethod.LoRA, Framework.HfTrainer, 1));
            Assert.Equal(L * 2 * H * Tokens, retained);
            Assert.Equal(4_294_967_296, retained);
        }

        [Theory]
        [InlineData(FinetuneMethod.Full, Framework.HfTrainer)]
        [InlineData(FinetuneMethod.LoRA, Framework.FsdpQlora)]
        public void No_hook_keeps_them_where_the_block_trains_or_the_checkpoint_sits_inside_the_unit(FinetuneMethod method, Framework framework)
        {
            // A block unit whose flat parameter requires grad gets the regular post-backward hook on its AccumulateGrad
            // (_register_post_backward_hook), not the reshard-only one; fsdp_qlora applies its checkpoint wrapper inside
            // each FSDP unit after wrapping (train.py apply_activation_checkpointing), so the unit's hook sees the
            // block's own input in the forward, not a detached leaf in backward.
            Assert.Equal(Backward(Run(method, framework, 1)), Backward(Run(method, framework, 2)));
        }
    }
}
