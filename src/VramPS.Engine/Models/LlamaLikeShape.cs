using System;
using System.Globalization;

namespace VramPS.Engine.Models
{
    /// <summary>
    /// Chooses a Llama-3-like decoder (SwiGLU, GQA, RoPE, RMSNorm) for a bare parameter count. The published Llama 3
    /// shapes keep the hidden size near 128 per layer (8B: 4096 and 32 layers, 405B: 16384 and 126) and spend about
    /// 13 h² per block (attention 2h² plus the GQA key and value projections, a SwiGLU MLP 3.5h wide); the 1B and 3B
    /// models tie their embeddings. Depth follows from that ratio, the hidden size from the count, and the MLP width
    /// takes up the rest, so the total lands within a fraction of a percent of the request.
    /// </summary>
    internal static class LlamaLikeShape
    {
        public const long Min = 1_000_000;
        public const long Max = 100_000_000_000_000;

        private const int Llama3Vocab = 128256;
        private const double BlockWeightsPerHiddenSquared = 13.0;
        private const double HiddenPerLayer = 128.0;
        private const long TiedBelow = 5_000_000_000;

        public static ModelArchitecture For(long parameters)
        {
            if (parameters < Min || parameters > Max)
                throw new ArgumentOutOfRangeException(nameof(parameters), parameters, "A Llama-like shape needs 1M to 100T parameters.");

            double p = parameters;
            int layers = Math.Max(2, (int)Math.Round(Math.Pow(p / (BlockWeightsPerHiddenSquared * HiddenPerLayer * HiddenPerLayer), 1.0 / 3)));
            // Llama 3's vocabulary from about 0.5B up; below that a vocabulary that keeps the embedding a modest share.
            int vocab = (int)Math.Min(Llama3Vocab, Math.Max(256, Math.Floor(p / 4000 / 256) * 256));
            bool tied = parameters < TiedBelow;

            double a = BlockWeightsPerHiddenSquared * layers;
            double b = (tied ? 1 : 2) * (double)vocab;
            double width = (-b + Math.Sqrt(b * b + 4 * a * p)) / (2 * a);
            int headDim = width >= 2048 ? 128 : width >= 256 ? 64 : 32;
            // Head counts with divisors for grouped key/value heads: multiples of 8 from 32 heads up (Llama 3 8B, 70B and
            // 405B have 32, 64 and 128 heads over 8 key/value heads), of 4 from 8 heads up.
            double headsWanted = width / headDim;
            int headStep = headsWanted >= 32 ? 8 : headsWanted >= 8 ? 4 : 1;
            int hidden = Math.Max(headDim, (int)Math.Round(width / (headDim * headStep)) * headDim * headStep);
            int heads = hidden / headDim;
            int kvHeads = LargestDivisorUpTo(heads, 8);

            long h = hidden;
            long embeddings = (tied ? 1 : 2) * (long)vocab * h + h;
            long attentionAndNorms = 2 * h * h + 2 * h * kvHeads * headDim + 2 * h;
            // Depth again for the rounded width, with the MLP at Llama 3's 3.5h; the MLP width then takes up the rest.
            layers = Math.Max(2, (int)Math.Round((p - embeddings) / (attentionAndNorms + 3 * 3.5 * h * h)));
            long fixedTotal = embeddings + layers * attentionAndNorms;
            int step = MlpStep(hidden);
            double mlpWidth = (p - fixedTotal) / (3.0 * h * layers);
            int intermediate = Math.Max(step, (int)Math.Round(mlpWidth / step) * step);

            return new ModelArchitecture
            {
                Id = "llama-like-" + (parameters / 1e9).ToString("0.###", CultureInfo.InvariantCulture) + "B",
                ModelType = "llama",
                HiddenSize = hidden,
                IntermediateSize = intermediate,
                NumLayers = layers,
                NumHeads = heads,
                NumKvHeads = kvHeads,
                HeadDim = headDim,
                VocabSize = vocab,
                TiedEmbeddings = tied,
                Source = "Llama-like architecture derived from the requested parameter count",
            };
        }

        private static int LargestDivisorUpTo(int n, int limit)
        {
            for (int d = Math.Min(n, limit); d > 1; d--)
            {
                if (n % d == 0) return d;
            }
            return 1;
        }

        /// <summary>MLP widths in steps of a power of two up to 1/32 of the hidden size (256 at most).</summary>
        private static int MlpStep(int hidden)
        {
            int step = 1;
            while (step * 2 <= hidden / 32 && step < 256) step *= 2;
            return step;
        }
    }
}
