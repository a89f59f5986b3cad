using VramPS.Engine.Models;

namespace VramPS.Engine.Alignment
{
    /// <summary>
    /// What generation caches per token, all layers: a key and a value per KV head (grouped-query attention shares them
    /// among the query heads: 2 x layers x KV heads x head dim x dtype bytes). Multi-head latent attention (DeepSeek V2/V3)
    /// differs by engine: transformers' DeepseekV3Attention caches the up-projected key (nope and rope dims) and value of
    /// every head, while vLLM's MLA backend caches the compressed latent (kv_lora_rank) and the shared rope key once.
    /// Only attention blocks cache per token: a hybrid's Gated DeltaNet and short-convolution blocks keep a state of fixed
    /// size per sequence (the recurrent state and the convolution's last taps), which is left out.
    /// </summary>
    internal static class KvCache
    {
        public static double PerToken(ModelArchitecture m, int dtypeBytes, bool compressedLatent)
        {
            if (m.IsMla)
            {
                double width = compressedLatent
                    ? m.KvLoraRank + m.QkRopeHeadDim
                    : (double)m.NumHeads * (m.QkNopeHeadDim + m.QkRopeHeadDim + m.VHeadDim);
                return m.NumLayers * width * dtypeBytes;
            }
            int attending = m.LayersOfKind(0, 0, m.NumLayers) + m.LayersOfKind(1, 0, m.NumLayers);
            return 2.0 * attending * m.KvDim * dtypeBytes;
        }
    }
}
