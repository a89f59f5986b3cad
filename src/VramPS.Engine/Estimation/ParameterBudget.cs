using System;
using VramPS.Engine.Models;

namespace VramPS.Engine.Estimation
{
    /// <summary>
    /// The parameters one rank holds, split the way memory treats them: quantizable block linears, the rest,
    /// trainable, adapters. Without parallelism the rank holds the whole model; with it, the layers of its pipeline
    /// stage, its tensor- and expert-parallel share of each linear, and the embeddings or head where its stage has them.
    /// </summary>
    internal sealed class ParameterBudget
    {
        public ParameterBudget(ResolvedRecipe r, TrainerBehavior t, PipelineStage stage)
        {
            var m = r.Model;
            int layers = m.NumLayers;
            Stage = stage;
            long vocabulary = (long)m.VocabSize * m.TokenEmbeddingDim;
            long extraHead = t.SeparateHead && m.TiedEmbeddings ? (long)m.VocabSize * m.HiddenSize : 0;
            // A tied head on a last stage without the embedding keeps its own copy of the embedding matrix (Megatron-LM's shared word embeddings).
            long stageCopy = m.TiedEmbeddings && extraHead == 0 && !stage.HasEmbedding ? vocabulary : 0;
            long headVocabulary = (m.TiedEmbeddings ? extraHead + stageCopy : vocabulary) + (m.LmHeadBias ? m.VocabSize : 0);
            Head = stage.HasHead ? stage.VocabularyShare(m.HeadParameters + extraHead + stageCopy, headVocabulary) : 0;
            Embedding = stage.HasEmbedding ? stage.VocabularyShare(m.EmbeddingParameters, vocabulary) : 0;
            long total = Embedding + Head + (stage.HasHead ? m.FinalNormParameters : 0);

            // Blocks of one kind (their mixer, dense or mixture-of-experts) hold the same parameters: each kind is
            // counted once and multiplied by its blocks on the stage.
            int trainableFrom = layers - r.TrainableLayers;
            long perLayerMax = 0, freezeExperts = 0, frozenAdapters = 0, largestIn = 0, largestOut = 0;
            for (int kind = 0; kind < ModelArchitecture.BlockKinds; kind++)
            {
                int count = m.LayersOfKind(kind, stage.FirstLayer, stage.EndLayer);
                if (count == 0) continue;
                bool moe = ModelArchitecture.KindIsMoe(kind);
                int layer = m.FirstLayerOfKind(kind, stage.FirstLayer);
                long layerAdapters = 0, layerFrozenAdapters = 0, layerTotal = m.LayerOtherParameters(layer), layerExperts = 0, layerExpertAdapters = 0;
                var modules = m.ModuleArray(layer);
                var names = m.ModuleNameIndexes(layer);
                for (int j = 0; j < modules.Length; j++)
                {
                    var module = modules[j];
                    long divisor = stage.Divisor(module, moe);
                    long onRank = PipelineStage.Share(module.Parameters, divisor);
                    layerTotal += onRank;
                    bool expert = moe && module.Count > 1 && module.Role != LinearRole.Router;
                    if (expert) layerExperts += onRank;
                    bool adapted = module.Role != LinearRole.Router && r.AdaptsName(names[j]);
                    var (wrapped, outFeatures) = AdaptedLinears.JoinsPrevious(r, modules, j) ? (false, 0L) : AdaptedLinears.StartingAt(r, modules, names, j);
                    if (wrapped)
                    {
                        long adapters = PipelineStage.Share(r.Adapter.Trained(module.InFeatures, outFeatures, module.Role) * module.Count, divisor);
                        layerAdapters += adapters;
                        layerFrozenAdapters += PipelineStage.Share(r.Adapter.Frozen(module) * module.Count, divisor);
                        largestIn = Math.Max(largestIn, module.InFeatures);
                        largestOut = Math.Max(largestOut, outFeatures);
                        if (expert) layerExpertAdapters += adapters;
                    }
                    // bitsandbytes replaces nn.Linear only: fused expert parameters stay 16-bit (bitsandbytes-foundation/bitsandbytes#1849).
                    bool fused = expert && m.FusedExperts;
                    if ((adapted || !t.QuantizesOnlyAdapted) && !fused)
                    {
                        Quantizable += onRank * count;
                        if (expert) QuantizableExperts += onRank * count;
                        LargestQuantizable = Math.Max(LargestQuantizable, PipelineStage.Share(module.InFeatures * module.OutFeatures, stage.Tensor));
                    }
                }
                total += layerTotal * count;
                Adapters += layerAdapters * count;
                frozenAdapters += layerFrozenAdapters * count;
                Experts += layerExperts * count;
                ExpertAdapters += layerExpertAdapters * count;
                perLayerMax = Math.Max(perLayerMax, layerTotal);
                int trainableLayers = m.LayersOfKind(kind, Math.Max(trainableFrom, stage.FirstLayer), stage.EndLayer);
                FreezeTrainable += layerTotal * trainableLayers;
                freezeExperts += layerExperts * trainableLayers;
            }
            if (r.HeadAdapted && stage.HasHead)
            {
                Adapters += PipelineStage.Share(r.Adapter.Trained(m.HiddenSize, m.VocabSize, LinearRole.AttentionOutput), stage.Tensor);
                frozenAdapters += PipelineStage.Share(r.Adapter.Kind == AdapterKind.LoRAFA ? (long)r.LoraRank * m.HiddenSize : 0, stage.Tensor);
            }
            Adapters += r.Adapter.TrainedOutsideLinears(m, stage.Layers, stage.HasEmbedding, stage.HasHead);
            if (t.QuantizesHead && stage.HasHead)
            {
                QuantizedHead = PipelineStage.Share((long)m.VocabSize * m.HiddenSize, stage.Tensor);
                Quantizable += QuantizedHead;
                LargestQuantizable = Math.Max(LargestQuantizable, QuantizedHead);
            }
            long frozenVision = 0;
            if (m.HasVision && stage.HasEmbedding)
            {
                // The vision tower and projector sit with the embedding, whole on every rank of that stage. transformers'
                // bitsandbytes quantizer converts every nn.Linear but the output embedding (get_keys_to_not_convert,
                // huggingface/transformers#25105) and what llm_int8_skip_modules names: the tower's linears are quantized.
                var modules = m.VisionModuleArray;
                var adapted = r.Vision.AdaptedModules;
                for (int j = 0; j < modules.Length; j++)
                {
                    if (adapted[j])
                    {
                        Adapters += r.Adapter.Trained(modules[j]) * m.VisionBlocks;
                        frozenAdapters += r.Adapter.Frozen(modules[j]) * m.VisionBlocks;
                    }
                    if (adapted[j] || !t.QuantizesOnlyAdapted) Quantizable += modules[j].Parameters * m.VisionBlocks;
                }
                if (!t.QuantizesOnlyAdapted) Quantizable += VisionTower.ProjectorLinearWeights(m);
                total += m.VisionParameters;
                frozenVision = r.Vision.Trained ? 0 : m.VisionParameters;
                VisionParameters = m.VisionParameters;
            }
            if (m.HasAudio && stage.HasEmbedding)
            {
                // The audio tower loads with the model and sits with the embedding (trained by Full as every parameter
                // that requires grad); no adapter targets it, its linears quantize as the vision tower's do.
                if (!t.QuantizesOnlyAdapted) Quantizable += m.AudioLinearWeights;
                total += m.AudioParameters;
            }
            Total = total;
            // VeRA's vera_A and vera_B are shared by every target (one pair per model, sized by the largest).
            FrozenAdapters = frozenAdapters + r.Adapter.SharedProjections(largestIn, largestOut);
            LargestLayer = perLayerMax;
            // BAdam trains one decoder layer at a time: its largest is the worst block.
            bool blockWise = r.Optimizer == OptimizerKind.BAdam;
            Trainable = r.Workload.Method switch
            {
                FinetuneMethod.Full => blockWise ? perLayerMax : Total - frozenVision,
                FinetuneMethod.Freeze => FreezeTrainable,
                _ => Adapters,
            };
            TrainableExperts = r.Workload.Method switch
            {
                FinetuneMethod.Full => blockWise ? 0 : Experts,
                FinetuneMethod.Freeze => freezeExperts,
                _ => ExpertAdapters,
            };
            long vocabularyOnRank = stage.HasEmbedding || stage.HasHead ? PipelineStage.Share((long)m.VocabSize * m.HiddenSize, stage.Tensor) : 0;
            long largest = vocabularyOnRank;
            foreach (var module in m.ModuleArray(stage.LastLayer)) largest = Math.Max(largest, PipelineStage.Share(module.InFeatures * module.OutFeatures, stage.Tensor));
            LargestTensor = largest;
        }

        /// <summary>The rank these parameters are counted for.</summary>
        public PipelineStage Stage { get; }
        /// <summary>Every parameter the rank holds (a separate head for trainers that untie it included).</summary>
        public long Total { get; }
        public long Embedding { get; }
        /// <summary>The vision tower and projector (on the stage with the embedding).</summary>
        public long VisionParameters { get; }
        public long Head { get; }
        /// <summary>The linears the trainer quantizes under QLoRA (all block linears or only the adapted ones, and the head where it quantizes that too).</summary>
        public long Quantizable { get; }
        /// <summary>Elements of the output head's weight where the trainer quantizes it (else 0).</summary>
        public long QuantizedHead { get; }
        /// <summary>Elements of the largest single weight matrix the trainer quantizes.</summary>
        public long LargestQuantizable { get; }
        /// <summary>Embeddings, head, norms and linears left in 16-bit under QLoRA.</summary>
        public long NotQuantized => Total - Quantizable;
        public long Adapters { get; }
        /// <summary>Adapter tensors held in the adapter dtype that do not train: LoRA-FA's A, VeRA's shared projections.</summary>
        public long FrozenAdapters { get; }
        public long FreezeTrainable { get; }
        public long Trainable { get; }
        /// <summary>
        /// The rank's share of the routed experts' linears (shared experts and routers excluded), and the trainable
        /// parameters among them (the experts' own adapters under LoRA): they are replicated only over the
        /// expert-data-parallel ranks, not over all the data-parallel ones.
        /// </summary>
        public long Experts { get; }
        public long TrainableExperts { get; }
        public long QuantizableExperts { get; }
        public long ExpertAdapters { get; }
        public long LargestLayer { get; }
        public long LargestTensor { get; }
    }
}
