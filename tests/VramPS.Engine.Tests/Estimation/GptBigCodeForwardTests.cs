using System.Linq;
using VramPS.Engine.Estimation;
using VramPS.Engine.Models;
using Xunit;

namespace VramPS.Engine.Tests.Estimation
{
    /// <summary>
    /// SantaCoder (GPTBigCode: 24 blocks, hidden 2048, one 128-wide key/value head, vocabulary 49280), micro-batch 8 of
    /// 2048 tokens, checkpointed, as fms-acceleration's A100 benchmarks ran it (fms-hf-tuning 2.5.0, transformers 4.48.1).
    /// Its attention returns key_value, a view of the whole fused c_attn output (2048 + 2 x 128 = 2304 wide), as the
    /// block's cache while use_cache is on; the outputs hold every block's until the loss returns. Its own loss (before
    /// transformers 4.50) shifts a contiguous copy of the 16-bit logits into CrossEntropyLoss.
    /// </summary>
    public class GptBigCodeForwardTests
    {
        private const long Tokens = 8 * 2048;
        private const long Vocab = 49280;
        private const long CachePerBlock = 2048 + 2 * 128;

        private static Workload Run(FinetuneMethod method, Framework framework, Techniques techniques = Techniques.None)
        {
            var w = new Workload(ModelCatalog.Default.Get("bigcode/gpt_bigcode-santacoder"))
            {
                Method = method, Framework = framework, Precision = Precision.Bf16, BatchSize = 8, SequenceLength = 2048,
                Checkpointing = Checkpointing.Full, Attention = AttentionKernel.Flash, Techniques = techniques,
            };
            if (method == FinetuneMethod.QLoRA)
            {
                w.Quantization = Quantization.NF4;
                w.LoraRank = 16;
                w.LoraTargets = new[] { "c_attn" };
            }
            return w;
        }

        private static PhaseMemory At(Workload w, Phase phase) => MemoryEstimator.Estimate(w).Phases.Single(p => p.Phase == phase);

        /// <summary>What the forward holds beyond what backward starts from: the returned caches.</summary>
        private static long Cache(Workload w) => At(w, Phase.ForwardEnd).Activations - At(w, Phase.BackwardStart).Activations;

        [Fact]
        public void QLoRA_holds_every_blocks_fp32_c_attn_output_until_the_loss_returns()
        {
            // Under --bf16 autocast the LayerNorm hands bitsandbytes' 4-bit c_attn fp32, and it returns fp32:
            // 24 x 2304 x 4 bytes per token.
            Assert.Equal(24 * CachePerBlock * 4 * Tokens, Cache(Run(FinetuneMethod.QLoRA, Framework.FmsAcceleration)));
            Assert.Equal(3_623_878_656, Cache(Run(FinetuneMethod.QLoRA, Framework.FmsAcceleration)));
        }

        [Fact]
        public void A_16_bit_model_without_autocast_holds_16_bit_caches()
        {
            Assert.Equal(24 * CachePerBlock * 2 * Tokens, Cache(Run(FinetuneMethod.Full, Framework.HfTrainer)));
        }

        [Fact]
        public void No_cache_where_the_loop_turns_use_cache_off()
        {
            // LLaMA-Factory sets model.config.use_cache = False with gradient checkpointing.
            Assert.Equal(0, Cache(Run(FinetuneMethod.Full, Framework.LlamaFactory)));
        }

        [Fact]
        public void Under_autocast_the_loss_holds_the_logits_their_shifted_copy_its_fp32_cast_and_log_softmax()
        {
            // 2 + 2 + 4 + 4 bytes per vocabulary entry and token.
            Assert.Equal(12 * Vocab * Tokens, At(Run(FinetuneMethod.QLoRA, Framework.FmsAcceleration), Phase.ForwardEnd).Other);
        }

        [Fact]
        public void The_fast_cross_entropy_keeps_the_shifted_copy_and_accelerate_an_fp32_copy_of_the_logits()
        {
            // FOAK's kernel saves the 16-bit shifted copy beside the 16-bit logits (2 + 2); once the forward returns,
            // accelerate's convert_outputs_to_fp32 copies the logits to fp32 (4).
            var foak = Run(FinetuneMethod.QLoRA, Framework.FmsAcceleration, Techniques.ChunkedLoss | Techniques.FusedKernels);
            Assert.Equal(8 * Vocab * Tokens, At(foak, Phase.ForwardEnd).Other);
        }

        [Fact]
        public void Without_autocast_the_fast_cross_entropy_backward_adds_only_the_slices_full_gradient()
        {
            // Logits, the shifted copy its gradient is written into, and the slice's zero-filled full gradient: 3 x 2
            // bytes, where the 16-bit log-softmax path holds 4 x 2.
            var foak = Run(FinetuneMethod.Full, Framework.HfTrainer, Techniques.ChunkedLoss | Techniques.FusedKernels);
            Assert.Equal(6 * Vocab * Tokens, At(foak, Phase.BackwardStart).Other);
            Assert.Equal(8 * Vocab * Tokens, At(Run(FinetuneMethod.Full, Framework.HfTrainer), Phase.BackwardStart).Other);
        }
    }
}
