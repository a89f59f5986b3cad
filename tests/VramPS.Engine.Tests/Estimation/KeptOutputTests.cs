using System.Linq;
using VramPS.Engine.Estimation;
using Xunit;

namespace VramPS.Engine.Tests.Estimation
{
    /// <summary>
    /// fsdp_qlora's loop (train.py@3afe102 fsdp_main) keeps `output` until after loss.backward() and optimizer.step(),
    /// so the logits the model returned stay alive through the step. Its transformers (4.40) upcasts them in the model
    /// (modeling_llama.py logits.float()): 4 bytes per vocabulary entry per token. Llama-2-7B QLoRA, one 512-token
    /// sample, 32,000-entry vocabulary, FSDP over 2 GPUs (no reduce bucket): 512 x 32,000 x 4 = 65,536,000 bytes held
    /// after the loss's backward. During the loss's backward they sit beside its three fp32 buffers (the saved
    /// log-softmax, its gradient and the input's): 512 x 32,000 x (12 + 4) bytes.
    /// </summary>
    public class KeptOutputTests
    {
        private const long Logits = 512L * 32000;

        private static PhaseMemory At(Framework framework, Phase phase)
        {
            var w = Llama2Fixture.Workload(FinetuneMethod.QLoRA);
            w.Quantization = Quantization.NF4;
            w.Framework = framework;
            w.GpuCount = 2;
            w.Sharding = Sharding.Zero3;
            return MemoryEstimator.Estimate(w).Phases.Single(p => p.Phase == phase);
        }

        [Fact]
        public void Fsdp_qlora_holds_its_fp32_logits_after_the_loss_backward()
        {
            Assert.Equal(4 * Logits, At(Framework.FsdpQlora, Phase.BackwardEnd).Other);
        }

        [Fact]
        public void Fsdp_qlora_loss_backward_holds_the_kept_logits_beside_its_three_buffers()
        {
            Assert.Equal((12 + 4) * Logits, At(Framework.FsdpQlora, Phase.BackwardStart).Other);
        }

        [Fact]
        public void The_trainer_releases_the_outputs_before_backward()
        {
            // transformers trainer.py compute_loss returns the loss alone.
            Assert.Equal(0, At(Framework.HfTrainer, Phase.BackwardEnd).Other);
        }
    
        /// <summary>
        /// litgpt's full.py fit() (litgpt@5895df1): logits = model(input_ids) is rebound only by the next iteration's
        /// forward, so the bf16 logits stay through backward and optimizer.step(). Llama-2-7B full under -Precision
        /// Bf16, one 512-token sample: 512 x 32,000 x 2 bytes after the loss's backward, on one GPU without a bucket.
        /// Beside the new forward they and the new logits are the two buffers litgpt's loss footprint already counts
        /// (2 bytes each, as the new logits and their log-softmax at the loss): the end of forward stays 4 bytes a logit.
        /// </summary>
        [Fact]
        public void Litgpt_holds_its_bf16_logits_until_the_next_forward()
        {
            var w = Llama2Fixture.Workload(FinetuneMethod.Full);
            w.Framework = Framework.Litgpt;
            w.Precision = Precision.Bf16;
            w.Checkpointing = Checkpointing.Full;
            var e = MemoryEstimator.Estimate(w);
            Assert.Equal(2 * Logits, e.Phases.Single(p => p.Phase == Phase.BackwardEnd).Other);
            Assert.Equal(4 * Logits, e.Phases.Single(p => p.Phase == Phase.ForwardEnd).Other);
        }
    }
}
