using System;
using System.Collections.Generic;
using System.Linq;
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
            var targets = new HashSet<string>(r.LoraTargets, StringComparer.OrdinalIgnoreCase);
            long extraHead = t.SeparateHead && m.TiedEmbeddings ? (long)m.VocabSize * m.HiddenSize : 0;
            Head = m.HeadParameters + extraHead;
            Embedding = m.EmbeddingParameters;
            Total = m.TotalParameters + extraHead;

            long perLayerMax = 0;
            for (int i = 0; i < layers; i++)
            {
                long layerLinear = 0, layerAdapters = 0;
                foreach (var module in m.LinearModules(i))
                {
                    layerLinear += module.Parameters;
                    if (module.Role == LinearRole.Router) continue;
                    if (targets.Contains(module.Name)) layerAdapters += (long)r.LoraRank * (module.InFeatures + module.OutFeatures) * module.Count;
                }
                long layerTotal = m.LayerParameters(i);
                BlockLinear += layerLinear;
                Adapters += layerAdapters;
                perLayerMax = Math.Max(perLayerMax, layerTotal);
                if (i >= layers - r.TrainableLayers) FreezeTrainable += layerTotal;
            }
            if (targets.Contains("lm_head")) Adapters += (long)r.LoraRank * (m.HiddenSize + m.VocabSize);
            LargestLayer = perLayerMax;
            Trainable = r.Workload.Method switch
            {
                FinetuneMethod.Full => Total,
                FinetuneMethod.Freeze => FreezeTrainable,
                _ => Adapters,
            };
            LargestTensor = Math.Max((long)m.VocabSize * m.HiddenSize,
                m.LinearModules(layers - 1).Max(x => x.InFeatures * x.OutFeatures));
        }

        /// <summary>Every parameter the trainer loads (a separate head for trainers that untie it included).</summary>
        public long Total { get; }
        public long Embedding { get; }
        public long Head { get; }
        /// <summary>Linear weights inside the blocks: what bitsandbytes quantizes.</summary>
        public long BlockLinear { get; }
        /// <summary>Embeddings, head, norms and biases outside the quantized linears.</summary>
        public long NotQuantized => Total - BlockLinear;
        public long Adapters { get; }
        public long FreezeTrainable { get; }
        public long Trainable { get; }
        public long LargestLayer { get; }
        public long LargestTensor { get; }
    }
}
