using System.Globalization;
using VramPS.Engine.Models;

namespace VramPS.Engine.Estimation
{
    /// <summary>
    /// One rank of a parallel layout as memory sees it: the layers of its pipeline stage, whether it holds the
    /// embeddings (first stage) and the head (last stage), its tensor-parallel share of each linear (Megatron-LM's
    /// column- and row-parallel linears, vocabulary-parallel embedding and head; norms and routers are replicated),
    /// its share of the experts, and how many micro-batches of activations it holds.
    /// </summary>
    internal sealed class PipelineStage
    {
        public PipelineStage(int index, int stages, int firstLayer, int layers, double inFlight, int tensor, int expert, bool sequenceParallel, int expertTensor)
        {
            ExpertTensor = expertTensor;
            Index = index;
            Stages = stages;
            FirstLayer = firstLayer;
            Layers = layers;
            InFlight = inFlight;
            Tensor = tensor;
            Expert = expert;
            SequenceShards = sequenceParallel ? tensor : 1;
        }

        /// <summary>The whole model on one rank.</summary>
        public static PipelineStage WholeModel(int layers) => new PipelineStage(0, 1, 0, layers, 1, 1, 1, false, 1);

        /// <summary>The pipeline rank, 0 for the first stage.</summary>
        public int Index { get; }
        public int Stages { get; }
        public int FirstLayer { get; }
        public int Layers { get; }
        public int EndLayer => FirstLayer + Layers;
        public int LastLayer => EndLayer - 1;
        /// <summary>Micro-batches of this stage's layers whose activations are held at once (1 without pipelining).</summary>
        public double InFlight { get; }
        public bool HasEmbedding => Index == 0;
        public bool HasHead => Index == Stages - 1;
        public int Tensor { get; }
        public int Expert { get; }
        /// <summary>Tensor-parallel ranks each routed expert splits over: t, or 1 where experts stay whole (expert tensor parallel 1).</summary>
        public int ExpertTensor { get; }
        /// <summary>Ranks the tensors outside attention and MLP (norm inputs, block inputs) are split across: t with sequence parallelism, else 1.</summary>
        public int SequenceShards { get; }

        /// <summary>How many ranks split one module.</summary>
        public long Divisor(LinearModule module, bool moeLayer)
        {
            if (module.Role == LinearRole.Router) return 1;
            return moeLayer && module.Count > 1 ? (long)ExpertTensor * Expert : Tensor;
        }

        /// <summary>The vocabulary rows of an embedding or head this rank holds, with the rest of that part whole.</summary>
        public long VocabularyShare(long parameters, long vocabularyPart) => parameters - vocabularyPart + Share(vocabularyPart, Tensor);

        /// <summary>
        /// value / ranks, rounded down: one rank's share. Most layouts have one rank per tensor, and a 64-bit division
        /// costs tens of cycles, so that case skips it (the estimator runs millions of times in a sweep).
        /// </summary>
        public static long Share(long value, long ranks) => ranks == 1 ? value : value / ranks;

        public string Describe()
        {
            var c = CultureInfo.InvariantCulture;
            string ranks = Tensor > 1 ? string.Format(c, ", 1/{0} of each tensor-parallel linear", Tensor) : "";
            if (Stages == 1) return "every rank alike" + ranks;
            string role = HasEmbedding ? "first stage, embeddings" : "last stage, head and logits";
            return string.Format(c, "pipeline stage {0} of {1} ({2}, layers {3}-{4}, {5:0.##} micro-batches in flight){6}",
                Index + 1, Stages, role, FirstLayer, LastLayer, InFlight, ranks);
        }
    }
}
