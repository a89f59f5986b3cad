using System;
using VramPS.Engine.Models;

namespace VramPS.Engine.Estimation
{
    /// <summary>
    /// Floating-point operations one training token costs, as executed: the forward pass, the backward pass's input
    /// gradients through every layer above the lowest one that trains, the weight gradients of what trains, and the
    /// forward work that activation checkpointing repeats. A matrix multiply with N parameters costs 2N FLOPs per
    /// token forward, 2N for the input gradient and 2N for the weight gradient (6N for full training, Kaplan et al.
    /// 2020); attention scores and their product with V cost 4 x s x (heads x head_dim) per token and layer forward
    /// and twice that backward (12 x L x s x d_attn in all, PaLM, Chowdhery et al. 2022, appendix B). Embedding
    /// lookups cost nothing; the head is a matrix multiply of vocabulary x width. MoE layers count the experts a token
    /// is routed to. LoRA adds 6 FLOPs per adapter parameter (its forward, input and weight gradients).
    /// </summary>
    internal sealed class TrainingFlops
    {
        public TrainingFlops(Workload workload)
        {
            var r = new ResolvedRecipe(workload);
            var m = r.Model;
            var t = new TrainerBehavior(r);
            var budget = new ParameterBudget(r, t, PipelineStage.WholeModel(m.NumLayers));
            int layers = m.NumLayers;
            double s = r.SequenceLength;
            double attention = 4.0 * s * m.QDim;
            double head = (double)m.VocabSize * m.TokenEmbeddingDim;
            // Blocks of one kind (their mixer, dense or mixture-of-experts) cost the same: sums over blocks are counts
            // times each kind's cost.
            var perKind = new double[ModelArchitecture.BlockKinds];
            for (int kind = 0; kind < perKind.Length; kind++)
                perKind[kind] = m.LayersOfKind(kind, 0, layers) > 0 ? ActiveLinear(m, kind) : 0;
            double LinearFrom(int first)
            {
                double sum = 0;
                for (int kind = 0; kind < perKind.Length; kind++) sum += m.LayersOfKind(kind, first, layers) * perKind[kind];
                return sum;
            }
            int lowest = LowestTrainingLayer(r);
            var method = r.Workload.Method;
            double all = LinearFrom(0), trained = LinearFrom(lowest);
            // Only attention blocks score token pairs; a hybrid's linear-attention and convolution blocks are counted by their linears.
            int attending = 0, attendingAbove = 0;
            for (int kind = 0; kind < ModelArchitecture.BlockKinds; kind++)
            {
                if (!ModelArchitecture.KindAttends(kind)) continue;
                attending += m.LayersOfKind(kind, 0, layers);
                attendingAbove += m.LayersOfKind(kind, lowest, layers);
            }

            double forward = 2 * all + attending * attention + 2 * head;
            double backwardInputs = 2 * trained + attendingAbove * 2 * attention + 2 * head;
            double weightGradients = method switch
            {
                FinetuneMethod.Full => 2 * all + 2 * head,
                FinetuneMethod.Freeze => 2 * LinearFrom(m.NumLayers - r.TrainableLayers),
                _ => 6.0 * budget.Adapters,
            };
            double recompute = r.Checkpointing switch
            {
                Checkpointing.Full => 2 * trained + attendingAbove * attention,
                Checkpointing.Selective => attendingAbove * attention,
                _ => 0,
            };
            Model = forward + backwardInputs + weightGradients;
            PerToken = Model + recompute;
            Recomputation = recompute;
            Parallel = r.Parallel;
            GpuCount = r.GpuCount;
        }

        /// <summary>Executed FLOPs per token, recomputation included.</summary>
        public double PerToken { get; }
        /// <summary>FLOPs per token without the recomputation: what model FLOPs utilization counts.</summary>
        public double Model { get; }
        public double Recomputation { get; }
        public Parallelism Parallel { get; }
        public int GpuCount { get; }

        /// <summary>
        /// Idle share of a pipeline step relative to its compute: (p - 1) / m for 1F1B and (p - 1) / (v m) for the
        /// interleaved schedule (Narayanan et al. 2021, "Efficient Large-Scale Language Model Training on GPU Clusters
        /// Using Megatron-LM", section 2.2).
        /// </summary>
        public double PipelineBubble =>
            Parallel.Pipeline == 1 ? 0 : (Parallel.Pipeline - 1) / ((double)Parallel.VirtualStages * Parallel.MicroBatches);

        /// <summary>Parameters of one block's linears that one token passes through (the routed experts of an MoE layer).</summary>
        private static double ActiveLinear(ModelArchitecture m, int kind)
        {
            bool moe = ModelArchitecture.KindIsMoe(kind);
            double sum = 0;
            foreach (var module in m.ModuleArray(m.FirstLayerOfKind(kind, 0)))
            {
                int used = moe && module.Count > 1 ? Math.Min(module.Count, Math.Max(1, m.ExpertsPerToken)) : module.Count;
                sum += (double)module.Parameters / module.Count * used;
            }
            return sum;
        }

        /// <summary>The first block whose backward pass must run: 0 when every block trains or carries adapters, else the first that does.</summary>
        private static int LowestTrainingLayer(ResolvedRecipe r)
        {
            var m = r.Model;
            switch (r.Workload.Method)
            {
                case FinetuneMethod.Full:
                    return 0;
                case FinetuneMethod.Freeze:
                    // With every block's input requiring grad (ResolvedRecipe.FrozenInputsRequireGrad) backward runs to the first block.
                    return r.FrozenInputsRequireGrad ? 0 : m.NumLayers - r.TrainableLayers;
                default:
                    // The lowest adapted block is the lowest first block of a kind with an adapter.
                    int lowest = m.NumLayers;
                    for (int kind = 0; kind < ModelArchitecture.BlockKinds; kind++)
                    {
                        int first = m.FirstLayerOfKind(kind, 0);
                        if (first < lowest && HasAdapter(r, m.ModuleArray(first), m.ModuleNameIndexes(first))) lowest = first;
                    }
                    return lowest;
            }
        }

        private static bool HasAdapter(ResolvedRecipe r, LinearModule[] modules, int[] names)
        {
            for (int i = 0; i < modules.Length; i++)
            {
                if (modules[i].Role != LinearRole.Router && r.AdaptsName(names[i])) return true;
            }
            return false;
        }
    }
}