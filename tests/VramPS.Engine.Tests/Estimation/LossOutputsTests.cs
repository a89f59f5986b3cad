using System;
using System.Linq;
using VramPS.Engine.Estimation;
using Xunit;

namespace VramPS.Engine.Tests.Estimation
{
    /// <summary>
    /// transformers 4.50's ForCausalLMLoss (loss/loss_utils.py: logits.float(), labels padded and shifted, then
    /// fixed_cross_entropy) saves the fp32 log-softmax. The Trainer's training_step keeps only the loss compute_loss
    /// returns, so the outputs and their 16-bit logits are gone before backward, which then holds three fp32 buffers
    /// of the logits' size: the saved log-softmax, nll_loss's gradient, and the new tensor
    /// _log_softmax_backward_data writes while both are alive: 12 bytes per vocabulary entry. peft's benchmark loop keeps
    /// its outputs bound through backward, and that path keeps its earlier figure, the 2-byte logits and 8 bytes.
    /// Llama-2-7B, one sequence of 512 tokens, vocabulary 32000, bf16 (ms-swift trains the loaded dtype), one GPU: the
    /// loss is all of Other when backward starts.
    /// </summary>
    public class LossOutputsTests
    {
        private static long BackwardStartOther(Framework framework)
        {
            var w = Llama2Fixture.Workload(FinetuneMethod.Full);
            w.Framework = framework;
            w.TransformersVersion = new Version(4, 50);
            return MemoryEstimator.Estimate(w).Phases.Single(p => p.Phase == Phase.BackwardStart).Other;
        }

        [Fact]
        public void The_Trainer_frees_the_logits_before_backward_and_holds_three_fp32_buffers()
        {
            Assert.Equal(512L * 32000 * 12, BackwardStartOther(Framework.MsSwift));
        }

        [Fact]
        public void A_loop_that_keeps_its_outputs_holds_the_16_bit_logits_through_backward()
        {
            Assert.Equal(512L * 32000 * (2 + 8), BackwardStartOther(Framework.Peft));
        }
    }
}
