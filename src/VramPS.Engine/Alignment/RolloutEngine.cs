using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using VramPS.Engine.Estimation;
using VramPS.Engine.Gpus;
using VramPS.Engine.Models;

namespace VramPS.Engine.Alignment
{
    /// <summary>
    /// A vLLM engine colocated with training (TRL's vllm_mode="colocate", OpenRLHF's --colocate_all_models): at start it
    /// takes gpu_memory_utilization of the GPU's memory for its own copy of the policy's weights, its activation workspace
    /// and a paged KV cache, and keeps it for the whole run unless sleep mode is on (trl/generation/vllm_generation.py
    /// builds LLM(gpu_memory_utilization=...) without it by default). It loads the checkpoint's 16-bit weights, or 4-bit
    /// bitsandbytes weights when the policy's base is 4-bit, and its automatic prefix caching stores a prompt once for all
    /// the completions sampled from it. verl frees the engine's KV cache after generation by default
    /// (verl/trainer/config/rollout/rollout.yaml, free_cache_engine: True) and OpenRLHF can put the engine to sleep
    /// (--vllm.enable_sleep); as in TRL's default, the reservation here is held in every phase.
    /// </summary>
    internal sealed class RolloutEngine
    {
        public RolloutEngine(ModelArchitecture policy, bool quantized, double fraction, GpuSpec gpu,
            double prompts, double completions, int prompt, int completion, List<string> notes)
        {
            double reservation = fraction * gpu.MemoryBytes;
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
            string share = string.Format(c, "{0:0.##} of {1} ({2:0.0} GiB)", fraction, gpu.Name, reservation / (1L << 30));
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
        }

        /// <summary>vLLM's copy of the policy's weights.</summary>
        public double Weights { get; }
        /// <summary>Keys and values the rollout needs at full length, prompts shared within a group.</summary>
        public double KvCache { get; }
        /// <summary>What the engine holds on the GPU: its reservation, or its weights where those do not fit in it.</summary>
        public double Footprint { get; }

        /// <summary>The engine's row: its weights, and the rest of its reservation (KV cache pool and workspace).</summary>
        public Terms Terms => new Terms(Weights, 0, 0, 0, Footprint - Weights);
    }
}
