using VramPS.Engine.Estimation;
using VramPS.Engine.Models;
using Xunit;

namespace VramPS.Engine.Tests.Frameworks
{
    /// <summary>
    /// Unsloth's fused loss (unsloth_zoo fused_losses.py UnslothFusedLoss, get_chunk_size): the hidden states' 16-bit
    /// gradient is held from forward to backward, and one chunk's 16-bit logits and their gradient exist at a time; the
    /// chunk count is 1 while all logits at 16 bytes fit 4 GiB, else the next multiple of 4 that does.
    /// </summary>
    public sealed class UnslothFusedLossTests
    {
        private static LogitsFootprint Footprint(int batch, int sequence, Techniques techniques)
        {
            var w = new Workload(ModelCatalog.Default.Get("LiquidAI/LFM2.5-1.2B-Instruct"))
            {
                Method = FinetuneMethod.LoRA, Precision = Precision.Fp16, BatchSize = batch, SequenceLength = sequence,
                Framework = Framework.Unsloth, Techniques = techniques,
            };
            return new TrainerBehavior(new ResolvedRecipe(w)).Logits;
        }

        [Fact]
        public void OneChunkHoldsEveryLogitAndItsGradientOnce()
        {
            // 1024 tokens x 65536 x 16 B = 1 GiB <= 4 GiB: one chunk, 2 + 2 bytes a logit; the gradient of the hidden
            // states, 2 x 2048 bytes a token, is 2 x 2048 / 65536 = 0.0625 bytes a logit.
            var f = Footprint(1, 1024, Techniques.ChunkedLoss | Techniques.FusedKernels);
            Assert.Equal(4.0625, f.ForwardPeak, 9);
            Assert.Equal(0.0625, f.Held, 9);
            Assert.Equal(0.125, f.BackwardPeak, 9);
        }

        [Fact]
        public void LongBatchesSplitIntoMultiplesOfFourChunks()
        {
            // 8 x 4096 = 32768 tokens x 65536 x 16 B = 32 GiB, 8 times the target: ceil(8 / 4) x 4 = 8 chunks, 4 / 8 bytes.
            Assert.Equal(0.5625, Footprint(8, 4096, Techniques.ChunkedLoss).ForwardPeak, 9);
        }

        [Fact]
        public void WithoutChunkedLossTransformersHoldsTheLogits()
        {
            Assert.True(Footprint(1, 1024, Techniques.FusedKernels).Held >= 2);
        }
    }
}
