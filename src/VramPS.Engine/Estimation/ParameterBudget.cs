using System;
using VramPS.Engine.Models;

namespace VramPS.Engine.Estimation
{
    /// <summary>The model's parameters split the way memory treats them: quantizable block linears, the rest, trainable, adapters.</summary>
    internal sealed class ParameterBudget
    {
        public ParameterBudget(ResolvedRecipe r, TrainerBehavior t)
        {
            var m = r.Model;
            int layers = m.NumLayers;
            long extraHead = t.SeparateHead && m.TiedEmbeddings ? (long)m.VocabSize * m.HiddenSize : 0;
            Head = m.HeadParameters + extraHead;
            Embedding = m.EmbeddingParameters;
            Total = m.TotalParameters + extraHead;

            // Blocks come in at most two kinds, dense ones first and then mixture-of-experts ones, alike within a kind:
            // each kind is measured once and counted as often as it occurs.
            int firstMoe = m.IsMoe ? Math.Max(0, Math.Min(m.DenseLayers, layers)) : layers;
            int firstTrainable = layers - r.TrainableLayers;
            long perLayerMax = 0;
            for (int kind = 0; kind < 2; kind++)
            {
                int first = kind == 0 ? 0 : firstMoe, end = kind == 0 ? firstMoe : layers;
                if (end <= first) continue;
                long count = end - first;
                long layerAdapters = 0;
                var modules = m.LinearModules(first);
                for (int j = 0; j < modules.Count; j++)
                {
                    var module = modules[j];
                    bool adapted = module.Role != LinearRole.Router && r.IsTarget(module.Name);
                    if (adapted) layerAdapters += (long)r.LoraRank * (module.InFeatures + module.OutFeatures) * module.Count;
                    if (adapted || !t.QuantizesOnlyAdapted)
                    {
                        Quantizable += count * module.Parameters;
                        LargestQuantizable = Math.Max(LargestQuantizable, module.InFeatures * module.OutFeatures);
                    }
                }
                long layerTotal = m.LayerParameters(first);
                Adapters += count * layerAdapters;
                perLayerMax = Math.Max(perLayerMax, layerTotal);
                FreezeTrainable += Math.Max(0, end - Math.Max(first, firstTrainable)) * layerTotal;
            }
            if (r.IsTarget("lm_head")) Adapters += (long)r.LoraRank * (m.HiddenSize + m.VocabSize);
            LargestLayer = perLayerMax;
            Trainable = r.Workload.Method switch
            {
                FinetuneMethod.Full => Total,
                FinetuneMethod.Freeze => FreezeTrainable,
                _ => Adapters,
            };
            long largestLinear = 0;
            var lastBlock = m.LinearModules(layers - 1);
            for (int j = 0; j < lastBlock.Count; j++) largestLinear = Math.Max(largestLinear, lastBlock[j].InFeatures * lastBlock[j].OutFeatures);
            LargestTensor = Math.Max((long)m.VocabSize * m.HiddenSize, largestLinear);
        }

        /// <summary>Every parameter the trainer loads (a separate head for trainers that untie it included).</summary>
        public long Total { get; }
        public long Embedding { get; }
        public long Head { get; }
        /// <summary>The block linears the trainer quantizes under QLoRA (all of them, or only the adapted ones).</summary>
        public long Quantizable { get; }
        /// <summary>Elements of the largest single weight matrix the trainer quantizes.</summary>
        public long LargestQuantizable { get; }
        /// <summary>Embeddings, head, norms and linears left in 16-bit under QLoRA.</summary>
        public long NotQuantized => Total - Quantizable;
        public long Adapters { get; }
        public long FreezeTrainable { get; }
        public long Trainable { get; }
        public long LargestLayer { get; }
        public long LargestTensor { get; }
    }
}
