using System;

namespace VramPS.Engine.Alignment
{
    /// <summary>
    /// Generation by the trained model itself (transformers' generate, TRL's default when vLLM is off): a prefill forward
    /// over the prompts that keeps logits for the last position only, then one token at a time. The DynamicCache appends
    /// each step's keys and values with torch.cat, so one layer's cache is briefly held twice, and each step keeps the
    /// last position's logits and generate's fp32 copy of them for sampling.
    /// </summary>
    internal sealed class HfGeneration
    {
        public HfGeneration(ForwardPass forward, double perTokenKv, int layers, double vocabulary, double sequences, int prompt, int completion)
        {
            KvCache = sequences * (prompt + completion) * perTokenKv;
            double lastLogits = sequences * (forward.LogitsPerToken + 4 * vocabulary);
            var prefill = new Terms(0, 0, 0, sequences * prompt * forward.WorkingPerToken,
                sequences * prompt * perTokenKv + sequences * forward.LogitsPerToken);
            var decode = new Terms(0, 0, 0, sequences * forward.WorkingPerToken, KvCache + KvCache / Math.Max(1, layers) + lastLogits);
            Peak = prefill.Activations + prefill.Other >= decode.Activations + decode.Other ? prefill : decode;
        }

        /// <summary>Keys and values of every sequence at its full length, bytes.</summary>
        public double KvCache { get; }

        /// <summary>The larger of the prefill and the last decoding step (activations and KV cache; weights are the caller's).</summary>
        public Terms Peak { get; }
    }
}
