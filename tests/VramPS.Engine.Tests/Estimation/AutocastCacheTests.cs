using System.Linq;
using VramPS.Engine.Estimation;
using VramPS.Engine.Models;
using Xunit;

namespace VramPS.Engine.Tests.Estimation
{
    /// <summary>
    /// Autocast caches the 16-bit cast of every fp32 weight that requires grad until the forward's autocast region ends
    /// (aten/src/ATen/autocast_mode.cpp cached_cast tests no grad mode), so checkpointed blocks, which run their forward
    /// under no_grad, leave their casts in the cache too. The HF guide's BERT-large fp16 runs with gradient checkpointing
    /// (measured-dev hf-bertl-bs1-ga4-gc-fp16-*) sit 10-13% above an estimate that keeps one block's casts.
    /// </summary>
    public sealed class AutocastCacheTests
    {
        [Fact]
        public void CheckpointedMixedPrecisionForwardEndsWithEveryBlocksSixteenBitCopy()
        {
            var w = new Workload(ModelCatalog.Default.Get("HuggingFaceTB/SmolLM-135M"))
            {
                Method = FinetuneMethod.Full, Precision = Precision.Fp16Mixed, Checkpointing = Checkpointing.Full,
                BatchSize = 1, SequenceLength = 512,
            };
            var e = MemoryEstimator.Estimate(w);
            // SmolLM-135M: 30 blocks of q and o 576 x 576, k and v 576 x 192, MLP 3 x 576 x 1536 = 3,538,944 weights; the
            // tied embedding 49152 x 576. fp32 weights 4 x 134,515,008 plus 2 x (30 x 3,538,944 + 28,311,552) of casts.
            Assert.Equal(4L * 134_515_008 + 2L * (30 * 3_538_944 + 28_311_552), e.Phases.First(p => p.Phase == Phase.ForwardEnd).Weights);
        }
    }
}
