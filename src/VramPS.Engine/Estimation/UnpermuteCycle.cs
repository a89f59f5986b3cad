using System;
using System.Globalization;

namespace VramPS.Engine.Estimation
{
    /// <summary>
    /// What Megatron-Core's recomputed MoE unpermute can leave allocated until CPython's cyclic garbage collector runs
    /// (NVIDIA/Megatron-LM#3221; fixed by #5197, merged 2026-06). Read at core_v0.12.0 megatron/core/transformer/moe/
    /// moe_utils.py unpermute (unfused path): permuted_tokens * permuted_probs (the dtype both promote to: fp32 under
    /// moe_router_dtype fp32), output_tokens = torch.zeros(restore_shape) of that dtype filled by scatter_add_, and the
    /// int64 sorted_indices its backward keeps. Under full recompute the layer's forward runs again inside backward and
    /// these stay in an autograd reference cycle: how many layers' worth is alive at once depends on when the collector
    /// runs, so no exact figure exists. The bound is every MoE layer of the rank's stage, one backward's worth; it is a
    /// warning and widens the range's High, never Total.
    /// </summary>
    internal static class UnpermuteCycle
    {
        /// <summary>Bytes one MoE layer's recomputed unpermute keeps in the cycle on this rank (0 where the recipe has no such cycle).</summary>
        public static long PerLayer(ResolvedRecipe r, PipelineStage stage)
        {
            var m = r.Model;
            if (!r.Profile.RecomputedUnpermuteAwaitsGc.Value || !m.IsMoe || r.Checkpointing != Checkpointing.Full) return 0;
            long tokens = (long)r.BatchSize * r.SequenceLength / r.Parallel.Context / stage.SequenceShards;
            int k = Math.Max(1, m.ExpertsPerToken);
            // All-to-all: the rank unpermutes its own tokens, each routed k times. All-gather: it restores every token of
            // the tensor- and expert-parallel group and holds the rows routed to its experts (an even share: k per token).
            long restored = r.Profile.AllToAllTokenDispatcher.Value ? tokens : checked(tokens * stage.Tensor * stage.Expert);
            long permuted = r.Profile.AllToAllTokenDispatcher.Value ? checked(tokens * k) : checked(tokens * stage.Tensor * k);
            int weighted = Math.Max(TrainerBehavior.ComputeBytes(r.Precision), r.Profile.Fp32RouterProbs.Value ? 4 : 2);
            return checked((permuted + restored) * m.HiddenSize * weighted + permuted * 8);
        }

        /// <summary>Bytes the stage's MoE layers can keep at once: every one of them.</summary>
        public static long Stage(ResolvedRecipe r, PipelineStage stage)
        {
            long perLayer = PerLayer(r, stage);
            if (perLayer == 0) return 0;
            int moeLayers = 0;
            for (int layer = stage.FirstLayer; layer < stage.EndLayer; layer++)
            {
                if (r.Model.IsMoeLayer(layer)) moeLayers++;
            }
            return checked(perLayer * moeLayers);
        }

        /// <summary>The warning: how much, why, and what the user can do.</summary>
        public static string Warning(long bytes, long perLayer, string profile) => string.Format(CultureInfo.InvariantCulture,
            "-Checkpointing Full on MoE layers: {0} on Megatron-Core releases before NVIDIA/Megatron-LM#5197 (merged 2026-06) each layer's recomputed unpermute "
            + "(the probability-weighted tokens, their scatter target, the sorting indices: {1:0.##} GiB a layer here) stays allocated until Python's garbage collector runs, "
            + "so up to {2:0.##} GiB more (every MoE layer of the stage) can be held in backward; Total leaves it out, High adds it. "
            + "--moe-permute-fusion runs Transformer Engine's fused unpermute instead of this code. To avoid it: a Megatron-Core release with #5197, "
            + "a gc.collect() after each recomputed backward (radixark/miles#2862), or fewer recomputed chunks (recompute_num_layers above 1: verl-project/verl#5251 saw the residue halve at 2); "
            + "--manual-gc turns the threshold collector off, so the cycles wait for --manual-gc-interval.",
            profile, perLayer / (double)(1L << 30), bytes / (double)(1L << 30));
    }
}
