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

        [Fact]
        public void FrozenBlocksLeaveNoCastInTheCache()
        {
            var w = new Workload(ModelCatalog.Default.Get("meta-llama/Llama-2-7b-hf"))
            {
                Method = FinetuneMethod.Freeze, Checkpointing = Checkpointing.Full, BatchSize = 1, SequenceLength = 2048,
            };
            var e = MemoryEstimator.Estimate(w);
            // cached_cast caches only leaves that require grad: under Freeze (the top 2 blocks train, Bf16Mixed) the cache
            // holds the 2 trained blocks' casts, not all 32. Llama-2-7B: 6,738,415,616 fp32 weights; a block's linears
            // 4 x 4096^2 + 3 x 4096 x 11008 = 202,375,168; the head 32000 x 4096 = 131,072,000, whose cast autograd keeps
            // for the gradient it passes down.
            Assert.Equal(4L * 6_738_415_616 + 2L * (2 * 202_375_168 + 131_072_000), e.Phases.First(p => p.Phase == Phase.ForwardEnd).Weights);
        }
    }
}
