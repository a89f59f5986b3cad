using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using VramPS.Engine.Estimation;
using VramPS.Engine.Frameworks;
using VramPS.Engine.Gpus;
using VramPS.Engine.Models;

namespace VramPS.Engine.Alignment
{
    /// <summary>
    /// A vLLM engine colocated with training (TRL's vllm_mode="colocate", Unsloth's fast_inference, OpenRLHF's
    /// --colocate_all_models). vLLM takes gpu_memory_utilization of the GPU's total memory for its weights, its
    /// activation workspace and a paged KV cache (vllm/config/cache.py); Unsloth hands it that fraction of the memory free
    /// when it loads instead (unsloth_zoo/vllm_utils.py approximate_vllm_memory_usage). TRL's engine loads its own copy of
    /// the checkpoint's 16-bit weights, or 4-bit bitsandbytes weights when the policy's base is 4-bit; Unsloth's trained
    /// model runs on the engine's weights, so the weights are the policy's and the engine adds only the rest of its share.
    /// Its automatic prefix caching stores a prompt once for all the completions sampled from it. Asleep between
    /// generations (TRL's vllm_enable_sleep_mode: sleep(level=2) after each generation drops weights and KV cache,
    /// grpo_trainer.py@v0.26.2 lines 1421-1422; Unsloth's standby drops the KV cache and keeps the shared weights,
    /// unsloth_zoo/vllm_utils.py patch_vllm_enable_sleep_mode), it holds its share only while it generates; awake it holds
    /// it in every phase.
    /// </summary>
    internal sealed class RolloutEngine
    {
        public RolloutEngine(ModelArchitecture policy, bool quantized, double fraction, GpuSpec gpu, FrameworkProfile framework, bool sleeps,
            double prompts, double completions, int prompt, int completion, List<string> notes)
        {
            SharesWeights = framework.RolloutSharesWeights.Value;
            Sleeps = sleeps;
            bool ofFree = framework.RolloutFractionOfFree.Value;
            double memory = ofFree ? gpu.MemoryBytes - RuntimeMemory.Context(gpu) : gpu.MemoryBytes;
            double reservation = fraction * memory;
            if (quantized)
            {
                long blockLinears = Enumerable.Range(0, policy.NumLayers).Sum(i => policy.LinearModules(i).Sum(x => x.Parameters));
                Weights = blockLinears * ModelStateMemory.Nf4Bits / 8 + (policy.TotalParameters - blockLinears) * 2.0;
            }
            else
            {
                Weights = policy.TotalParameters * 2.0;
            }
            KvCache = (prompts * prompt + completions * completion) * Alignment.KvCache.PerToken(policy, 2, compressedLatent: true);
            Footprint = Math.Max(reservation, Weights);

            var c = CultureInfo.InvariantCulture;
            string share = string.Format(c, "{0:0.##} of {1}'s {2} ({3:0.0} GiB)", fraction, gpu.Name,
                ofFree ? "memory free after its CUDA context" : "memory", reservation / (1L << 30));
            if (reservation < Weights)
            {
                notes.Add(string.Format(c, "vLLM's reservation, {0}, cannot hold its {1:0.0} GiB of weights: it fails at start; counted at its weights",
                    share, Weights / (1L << 30)));
            }
            else if (reservation - Weights < KvCache)
            {
                notes.Add(string.Format(c, "vLLM's reservation, {0}, leaves {1:0.0} GiB for a KV cache that needs {2:0.0} GiB: it generates the batch in waves",
                    share, (reservation - Weights) / (1L << 30), KvCache / (1L << 30)));
            }
            else
            {
                notes.Add("vLLM reserves " + share + " for its weights, KV cache and workspace");
            }
            if (SharesWeights) notes.Add("vLLM and the trained model share one copy of the base weights (" + framework.Name + "'s fast_inference)");
            notes.Add(sleeps
                ? "vLLM sleeps between generations: its share is held while it generates, freed for scoring and the update"
                : "vLLM stays awake: its share is held in every phase");
        }

        /// <summary>vLLM's copy of the policy's weights (the policy's own where they are shared).</summary>
        public double Weights { get; }
        /// <summary>Keys and values the rollout needs at full length, prompts shared within a group.</summary>
        public double KvCache { get; }
        /// <summary>What the engine holds on the GPU while it generates: its reservation, or its weights where those do not fit in it.</summary>
        public double Footprint { get; }
        public bool SharesWeights { get; }
        /// <summary>Asleep between generations, so its share is freed for scoring and the update.</summary>
        public bool Sleeps { get; }

        /// <summary>The engine's row while it generates: its own weights, and the rest of its reservation (KV cache pool and workspace).</summary>
        public Terms Generating => new Terms(SharesWeights ? 0 : Weights, 0, 0, 0, Footprint - Weights);

        /// <summary>The engine's row between generations: nothing while it sleeps.</summary>
        public Terms Between => Sleeps ? new Terms(0, 0, 0, 0, 0) : Generating;

        /// <summary>What the engine's reservation keeps in Other at a moment, outside the training allocator's churn.</summary>
        public double HeldInOther(Phase phase) => (phase == Phase.Generation ? Generating : Between).Other;
    }
}
