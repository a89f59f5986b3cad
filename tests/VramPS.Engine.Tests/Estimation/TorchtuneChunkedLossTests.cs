using System.Linq;
using VramPS.Engine.Estimation;
using VramPS.Engine.Models;
using Xunit;

namespace VramPS.Engine.Tests.Estimation
{
    /// <summary>
    /// torchtune's CEWithChunkedOutputLoss under compile (torchtune modules/loss/ce_chunked_output_loss.py and
    /// training/_compile.py compile_loss at 1814feb, which compiles compute_cross_entropy in place for the LoRA and full
    /// recipes alike), on Llama-3.2-3B (vocabulary 128256), micro-batch 2 of 4096 tokens, bf16, LoRA under full
    /// checkpointing: the README 'Optimization flags' LoRA row (pytorch/torchtune README at bd2a0fc). Values by hand.
    /// </summary>
    public class TorchtuneChunkedLossTests
    {
        private const long Logits = 2L * 4096 * 128256;

        private static PhaseMemory At(Phase phase) => MemoryEstimator.Estimate(new Workload(ModelCatalog.Default.Get("meta-llama/Llama-3.2-3B-Instruct"))
        {
            Method = FinetuneMethod.LoRA, Framework = Framework.Torchtune, Precision = Precision.Bf16, BatchSize = 2, SequenceLength = 4096,
            Checkpointing = Checkpointing.Full, LoraRank = 64, Techniques = Techniques.ChunkedLoss | Techniques.Compile,
        }).Phases.Single(p => p.Phase == phase);

        [Fact]
        public void The_compiled_loss_fuses_the_upcast_so_forward_holds_only_the_16_bit_chunks()
        {
            // The output's eight bf16 chunks, 2 bytes a logit; the compiled cross-entropy saves its bf16 input and a
            // per-token log-sum-exp, never an fp32 copy of the chunk.
            Assert.Equal(Logits * 2, At(Phase.ForwardEnd).Other);
            Assert.Equal(2_101_346_304, At(Phase.ForwardEnd).Other);
        }

        [Fact]
        public void Each_chunks_loss_backward_writes_its_gradient_beside_its_saved_chunk()
        {
            // Every chunk's loss runs backward before the head chunks: at the k-th, chunks 1..k are still saved and
            // chunks k..8 have their bf16 gradient, nine eighths of 2 bytes a logit.
            Assert.Equal(Logits * 2 * 9 / 8, At(Phase.BackwardStart).Other);
            Assert.Equal(2_364_014_592, At(Phase.BackwardStart).Other);
        }
    }
}
