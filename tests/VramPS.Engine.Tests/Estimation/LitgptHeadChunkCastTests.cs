using System.Linq;
using VramPS.Engine.Estimation;
using VramPS.Engine.Models;
using Xunit;

namespace VramPS.Engine.Tests.Estimation
{
    /// <summary>
    /// litgpt's LoRA loop calls the frozen fp32 head once per 128-token chunk of the sequence (lit-gpt finetune/lora.py
    /// at 8641822: model(input_ids, lm_head_chunk_size=128)). Under bf16-mixed autocast casts a weight once per forward
    /// only where it requires grad (aten/src/ATen/autocast_mode.cpp cached_cast), so each chunk's call makes its own
    /// 16-bit copy of the head, which that chunk's linear keeps for backward. StableLM-Alpha-3B's head is
    /// 50688 x 4096 = 207,618,048 weights (415 MB in 16 bits); litgpt's finetune_lora.md tutorial measured this recipe
    /// (micro-batch 1, the longest Alpaca sample, 1034 tokens) at 26.92 GB.
    /// </summary>
    public class LitgptHeadChunkCastTests
    {
        private const long Head = 50688L * 4096;

        private static long ForwardWeights(Framework framework, int tokens)
        {
            var w = new Workload(ModelCatalog.Default.Get("stabilityai/stablelm-base-alpha-3b"))
            {
                Method = FinetuneMethod.LoRA, Framework = framework, Precision = Precision.Bf16Mixed, BatchSize = 1,
                SequenceLength = tokens, Checkpointing = Checkpointing.None, LoraRank = 8, LoraTargets = new[] { "query_key_value" },
            };
            return MemoryEstimator.Estimate(w).Phases.Single(p => p.Phase == Phase.ForwardEnd).Weights;
        }

        [Fact]
        public void Each_128_token_chunk_keeps_its_own_16_bit_copy_of_the_frozen_head()
        {
            // 1034 tokens are 9 chunks (8 of 128 and one of 10), 128 tokens one: 8 more copies.
            Assert.Equal(8 * 2 * Head, ForwardWeights(Framework.Litgpt, 1034) - ForwardWeights(Framework.Litgpt, 128));
        }

        [Fact]
        public void One_head_call_casts_once_whatever_the_length()
        {
            Assert.Equal(0, ForwardWeights(Framework.Peft, 1034) - ForwardWeights(Framework.Peft, 128));
        }
    }
}
