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
                long layerAdapters = 0;
                foreach (var module in m.LinearModules(i))
                {
                    bool adapted = module.Role != LinearRole.Router && targets.Contains(module.Name);
                    if (adapted) layerAdapters += (long)r.LoraRank * (module.InFeatures + module.OutFeatures) * module.Count;
                    if (adapted || !t.QuantizesOnlyAdapted)
                    {
                        Quantizable += module.Parameters;
                        LargestQuantizable = Math.Max(LargestQuantizable, module.InFeatures * module.OutFeatures);
                    }
                }
                long layerTotal = m.LayerParameters(i);
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
