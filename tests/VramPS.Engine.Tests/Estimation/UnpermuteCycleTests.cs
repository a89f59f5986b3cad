using System;
using System.Linq;
using VramPS.Engine.Estimation;
using VramPS.Engine.Models;
using Xunit;

namespace VramPS.Engine.Tests.Estimation
{
    /// <summary>
    /// NVIDIA/Megatron-LM#3221 (fixed by #5197, merged 2026-06): under full recompute, moe_utils.py unpermute's
    /// intermediates (read at core_v0.12.0: permuted_tokens * permuted_probs, torch.zeros(restore_shape) of the same
    /// dtype filled by scatter_add_, the int64 sorted_indices) stay in a reference cycle until Python's gc runs. No formula
    /// says how many layers' worth is alive, so the estimate warns with the bound (every MoE layer of the stage) and widens
    /// High by it, never Total. Qwen3-30B-A3B: hidden 2048, 8 experts per token, 48 MoE layers; one micro-batch of 8192
    /// tokens on TP 1, EP 4.
    /// </summary>
    public class UnpermuteCycleTests
    {
        private static Workload Qwen30B(Framework framework, Checkpointing checkpointing) =>
            new Workload(ModelCatalog.Default.Get("Qwen/Qwen3-30B-A3B"))
            {
                Framework = framework, Method = FinetuneMethod.LoRA, Precision = Precision.Bf16, LoraRank = 8, LoraTargets = new[] { "all-linear" },
                GpuCount = 4, ExpertParallel = 4, BatchSize = 1, SequenceLength = 8192, Checkpointing = checkpointing, Sharding = Sharding.Zero1,
            };

        [Fact]
        public void Megatron_SWIFTs_all_to_all_dispatcher_with_fp32_router_probs_can_keep_every_layers_fp32_weighted_tokens()
        {
            // megatron_args.py@ea766ff: moe_token_dispatcher_type alltoall, moe_router_dtype fp32. The rank unpermutes its
            // own 8192 tokens: 8192 x 8 weighted rows, bf16 x fp32 promoted to fp32, and the fp32 zeros of 8192 rows, each
            // 2048 wide, plus 8192 x 8 int64 indices: (65,536 + 8,192) x 2048 x 4 + 65,536 x 8 = 604,504,064 bytes a layer.
            const long perLayer = 604_504_064;
            var e = MemoryEstimator.Estimate(Qwen30B(Framework.MegatronSwift, Checkpointing.Full));
            Assert.Equal(48 * perLayer, e.AwaitingGc);
            Assert.Equal((long)Math.Ceiling(e.Total * e.Range.HighRatio) + 48 * perLayer, e.High);
            Assert.Contains(e.Warnings, w => w.StartsWith("-Checkpointing Full on MoE layers: Megatron-SWIFT", StringComparison.Ordinal)
                && w.Contains("0.56 GiB a layer", StringComparison.Ordinal) && w.Contains("up to 27.02 GiB", StringComparison.Ordinal));
            Assert.Contains(e.Assumptions, a => a.StartsWith("not in Total: up to 27.02 GiB", StringComparison.Ordinal));
        }

        [Fact]
        public void Megatron_LMs_all_gather_dispatcher_restores_the_gathered_tokens_in_bf16()
        {
            // arguments.py@core_v0.12.0: --moe-token-dispatcher-type allgather, --moe-router-dtype None (bf16 probs). The
            // rank restores every token of the TP x EP group (8192 x 4 rows) and holds the rows routed to its experts, an
            // even share of 8192 x 8: (65,536 + 32,768) x 2048 x 2 + 65,536 x 8 = 403,177,472 bytes a layer.
            var e = MemoryEstimator.Estimate(Qwen30B(Framework.MegatronLM, Checkpointing.Full));
            Assert.Equal(48L * 403_177_472, e.AwaitingGc);
        }

        [Fact]
        public void Nothing_awaits_the_collector_without_full_recompute_or_outside_Megatron()
        {
            foreach (var e in new[]
            {
                MemoryEstimator.Estimate(Qwen30B(Framework.MegatronSwift, Checkpointing.Selective)),
                MemoryEstimator.Estimate(OneGpu(Qwen30B(Framework.HfTrainer, Checkpointing.Full))),
            })
            {
                Assert.Equal(0, e.AwaitingGc);
                Assert.Equal((long)Math.Ceiling(e.Total * e.Range.HighRatio), e.High);
                Assert.DoesNotContain(e.Warnings, x => x.Contains("Megatron-LM#5197", StringComparison.Ordinal));
            }
        }

        private static Workload OneGpu(Workload w)
        {
            w.GpuCount = 1;
            w.ExpertParallel = null;
            w.Sharding = null;
            return w;
        }

        [Fact]
        public void A_dense_model_has_no_unpermute()
        {
            var w = new Workload(ModelCatalog.Default.Get("Qwen/Qwen2.5-7B-Instruct"))
            {
                Framework = Framework.MegatronSwift, Method = FinetuneMethod.Full, Precision = Precision.Bf16Mixed, GpuCount = 2, TensorParallel = 2,
                Checkpointing = Checkpointing.Full, SequenceLength = 2048,
            };
            Assert.Equal(0, MemoryEstimator.Estimate(w).AwaitingGc);
        }
    }
}
