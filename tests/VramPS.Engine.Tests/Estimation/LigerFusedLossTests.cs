using System.Linq;
using VramPS.Engine.Estimation;
using Xunit;

namespace VramPS.Engine.Tests.Estimation
{
    /// <summary>
    /// Liger's fused linear cross-entropy (linkedin/Liger-Kernel@c7dd3294 src/liger_kernel/ops/fused_linear_cross_entropy.py
    /// fused_linear_cross_entropy_forward), which transformers' use_liger_kernel puts in place of lm_head and the loss:
    /// forward allocates grad_input (zeros_like the hidden states), grad_weight (zeros_like the head's weight, when it
    /// trains) and an fp32 loss per token, runs the tokens chunk by chunk (chunk_size = next_power_of_2(cdiv(BT,
    /// cdiv(V, H)))), each chunk's logits (chunk x V) and its grad_input product (chunk x H) alive while it runs, and
    /// saves both gradients for backward.
    /// </summary>
    public class LigerFusedLossTests
    {
        [Theory]
        // The source's own example: "BT = 4096*4, V = 32000, H = 4096 ==> inc_factor = 8, chunk_size = 2048".
        [InlineData(16384, 32000, 4096, 2048)]
        // Qwen2.5-7B packed to 8192: cdiv(152064, 3584) = 43, cdiv(8192, 43) = 191, next power of two 256.
        [InlineData(8192, 152064, 3584, 256)]
        // cdiv(3, 43) = 1: one token a chunk.
        [InlineData(3, 152064, 3584, 1)]
        // A vocabulary smaller than the hidden size: cdiv(3, 1) = 3, next power of two 4, cut to the 3 tokens there are.
        [InlineData(3, 1000, 4096, 3)]
        public void Chunk_size_is_Ligers(long tokens, long vocab, long hidden, long chunk)
        {
            Assert.Equal(chunk, StepLayout.LigerChunk(tokens, vocab, hidden));
        }

        /// <summary>
        /// Llama-2-7B, bf16, one 512-token sequence on one GPU: cdiv(32000, 4096) = 8, chunk 64. Forward ends holding
        /// grad_input 512 x 4096 x 2, the loss 512 x 4 and, for full training, the head's gradient 32000 x 4096 x 2, while
        /// the last chunk's logits and product are 64 x (32000 + 4096) x 2. Backward starts with the weight's gradient
        /// handed over as the head's, so the loss keeps only grad_input and the loss.
        /// </summary>
        [Theory]
        [InlineData(FinetuneMethod.Full, 32000L * 4096 * 2)]
        [InlineData(FinetuneMethod.LoRA, 0L)]
        public void Forward_holds_the_gradients_and_one_chunk(FinetuneMethod method, long headGradient)
        {
            var w = Llama2Fixture.Workload(method);
            w.Techniques = Techniques.FusedLinearLoss;
            var phases = MemoryEstimator.Estimate(w).Phases;
            long held = 512L * (4096 * 2 + 4);
            long chunk = 64L * (32000 + 4096) * 2;
            Assert.Equal(held + headGradient + chunk, phases.Single(p => p.Phase == Phase.ForwardEnd).Other);
            Assert.Equal(held, phases.Single(p => p.Phase == Phase.BackwardStart).Other);
        }
    }
}
