using VramPS.Engine.Estimation;
using VramPS.Engine.Models;
using Xunit;

namespace VramPS.Engine.Tests.Vision
{
    /// <summary>
    /// Unsloth compiles every vision-language model (FastVisionModel) and unsloth_zoo/compiler.py apply_fused_lm_head
    /// rewrites its "logits = self.lm_head(...); loss = self.loss_function(...)" into unsloth_zoo/loss_utils.py
    /// unsloth_fused_ce_loss, which computes cross_entropy(chunk(X) @ W, chunk(labels)) chunk by chunk: the full logits
    /// never exist, exactly as with a fused linear cross-entropy. transformers' own ForConditionalGeneration materializes them.
    /// </summary>
    public sealed class FusedVisionHeadLossTests
    {
        private static TrainingMemoryEstimate Estimate(string model, Framework framework, Techniques techniques)
        {
            var m = ModelCatalog.Default.Get(model);
            var w = new Workload(m)
            {
                Method = FinetuneMethod.LoRA, Framework = framework, Techniques = techniques, BatchSize = 4, SequenceLength = 2048,
                Checkpointing = Checkpointing.Full, LoraTargets = new[] { "all-linear" },
            };
            if (m.HasVision)
            {
                w.ImageWidth = 320;
                w.ImageHeight = 50;
            }
            return MemoryEstimator.Estimate(w);
        }

        private const string Ministral = "mistralai/Ministral-3-3B-Instruct-2512";

        [Fact]
        public void UnslothHoldsAVisionModelsLogitsAsAFusedLinearLossWould()
        {
            var chunked = Estimate(Ministral, Framework.Unsloth, Techniques.ChunkedLoss | Techniques.FusedKernels);
            var fused = Estimate(Ministral, Framework.Unsloth, Techniques.FusedLinearLoss | Techniques.FusedKernels);
            Assert.Equal(fused.Reserved, chunked.Reserved);
            Assert.Equal(fused.Other, chunked.Other);
            Assert.Contains("Unsloth's fused head and loss for a vision-language model (unsloth_fused_ce_loss): the full logits are never materialized", chunked.Assumptions);
        }

        [Fact]
        public void TheTrainerStillMaterializesAVisionModelsLogits()
        {
            // Ministral 3's vocabulary is 131,072 entries: 4 x 2072 tokens of 16-bit logits alone are 2,172,649,472 bytes.
            var chunked = Estimate(Ministral, Framework.HfTrainer, Techniques.ChunkedLoss);
            var fused = Estimate(Ministral, Framework.HfTrainer, Techniques.FusedLinearLoss);
            Assert.True(chunked.Other - fused.Other >= 4L * 2072 * 131_072 * 2);
        }

        [Fact]
        public void UnslothsTextModelsKeepTheirOwnLossPath()
        {
            var chunked = Estimate("meta-llama/Llama-3.1-8B", Framework.Unsloth, Techniques.ChunkedLoss | Techniques.FusedKernels);
            var fused = Estimate("meta-llama/Llama-3.1-8B", Framework.Unsloth, Techniques.FusedLinearLoss | Techniques.FusedKernels);
            Assert.True(chunked.Other > fused.Other);
            Assert.DoesNotContain("Unsloth's fused head and loss for a vision-language model (unsloth_fused_ce_loss): the full logits are never materialized", chunked.Assumptions);
        }
    }
}
