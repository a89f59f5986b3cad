using System;
using System.Collections.Generic;
using VramPS.Engine.Errors;
using VramPS.Engine.Models;

namespace VramPS.Engine.Estimation
{
    /// <summary>
    /// The parallel layout of a run: tensor (t), pipeline (p), context (c) and expert (e) degrees, the data-parallel
    /// degree d = GpuCount / (t x p x c) they leave, and the pipeline stages that can hold the most memory. Validates
    /// the degrees against the model: t divides the attention and KV heads, p is at most the layer count, e divides
    /// the experts and the data-parallel ranks it is drawn from (Megatron-LM's expert-data-parallel groups).
    /// </summary>
    internal sealed class Parallelism
    {
        public Parallelism(Workload w, ModelArchitecture m, int gpuCount, int microBatches, bool expertsSplitByTensor, Frameworks.Cited<PipelineSchedule> defaultSchedule, List<string> notes)
        {
            Tensor = Degree(w.TensorParallel, "TensorParallel");
            Pipeline = Degree(w.PipelineParallel, "PipelineParallel");
            Context = Degree(w.ContextParallel, "ContextParallel");
            Expert = Degree(w.ExpertParallel, "ExpertParallel");
            ExpertTensor = expertsSplitByTensor ? Tensor : 1;
            long model = (long)Tensor * Pipeline * Context;
            if (gpuCount % model != 0)
            {
                throw new InvalidWorkloadException("GpuCount",
                    $"-GpuCount {gpuCount} is not a multiple of -TensorParallel {Tensor} x -PipelineParallel {Pipeline} x -ContextParallel {Context} = {model}: " +
                    "the data-parallel degree GpuCount / (TP x PP x CP) must be a whole number.");
            }
            Data = (int)(gpuCount / model);
            SequenceParallel = w.SequenceParallel;
            MicroBatches = microBatches;

            if (m.NumHeads % Tensor != 0 || (m.NumKvHeads > 0 && m.NumKvHeads % Tensor != 0))
            {
                throw new InvalidWorkloadException("TensorParallel",
                    $"-TensorParallel {Tensor} must divide the {m.NumHeads} attention heads and {m.NumKvHeads} KV heads of {m.Id}.");
            }
            if (SequenceParallel && Tensor == 1)
            {
                throw new InvalidWorkloadException("SequenceParallel",
                    "-SequenceParallel splits the norm and residual activations across the tensor-parallel ranks: it needs -TensorParallel 2 or more.");
            }
            if (Pipeline > m.NumLayers)
                throw new InvalidWorkloadException("PipelineParallel", $"-PipelineParallel {Pipeline} exceeds the {m.NumLayers} layers of {m.Id}.");
            ResolveSchedule(w, m, defaultSchedule, notes);
            if (Expert > 1)
            {
                if (!m.IsMoe) throw new InvalidWorkloadException("ExpertParallel", $"-ExpertParallel {Expert} needs a mixture-of-experts model; {m.Id} has none.");
                if (m.Experts % Expert != 0)
                    throw new InvalidWorkloadException("ExpertParallel", $"-ExpertParallel {Expert} must divide the {m.Experts} experts of {m.Id}.");
                // Megatron-Core's expert-data-parallel size: world / (expert TP x EP x PP), a whole number.
                long expertRanks = (long)Data * Context * (Tensor / ExpertTensor);
                if (expertRanks % Expert != 0)
                {
                    string from = ExpertTensor == Tensor ? "data-parallel x context-parallel degree" : "data-parallel x context-parallel x tensor-parallel degree (experts whole on each rank)";
                    throw new InvalidWorkloadException("ExpertParallel",
                        $"-ExpertParallel {Expert} must divide the {from} {expertRanks}: expert-parallel ranks are drawn from them.");
                }
            }
            Stages = Pipeline == 1
                ? new[] { new PipelineStage(0, 1, 0, m.NumLayers, 1, Tensor, Expert, SequenceParallel, ExpertTensor) }
                : new[] { Stage(0, m.NumLayers), Stage(Pipeline - 1, m.NumLayers) };
        }

        public int Tensor { get; }
        public int Pipeline { get; }
        public int Context { get; }
        public int Expert { get; }
        /// <summary>Expert tensor-parallel degree: t, or 1 where the framework keeps each routed expert whole.</summary>
        public int ExpertTensor { get; }
        public int Data { get; }
        public bool SequenceParallel { get; }
        public PipelineSchedule Schedule { get; private set; }
        /// <summary>Model chunks per GPU: 1 under 1F1B.</summary>
        public int VirtualStages { get; private set; } = 1;
        /// <summary>Micro-batches per optimizer step that pass through the pipeline (the gradient accumulation steps).</summary>
        public int MicroBatches { get; }
        /// <summary>The ranks that hold the same parameters and shard them under ZeRO / FSDP: data- and context-parallel ranks.</summary>
        public int ShardDegree => Data * Context;
        /// <summary>The stages that can be the most loaded: the first (embeddings, most micro-batches in flight) and the last (head and logits).</summary>
        public IReadOnlyList<PipelineStage> Stages { get; }

        /// <summary>TP x PP x CP of a workload's settings, the GPUs of one data-parallel replica.</summary>
        public static int ModelParallelOf(Workload w)
        {
            long product = (long)Math.Max(1, w.TensorParallel ?? 1) * Math.Max(1, w.PipelineParallel ?? 1) * Math.Max(1, w.ContextParallel ?? 1);
            return product > int.MaxValue ? int.MaxValue : (int)product;
        }

        /// <summary>
        /// Micro-batches of its layers a stage holds activations for, as in Megatron-LM's schedules: under 1F1B stage k
        /// runs p - k - 1 warm-up forwards before its first backward; under the interleaved schedule it runs
        /// 2(p - k - 1) + (v - 1)p warm-up chunks of 1/v of its layers. Both are capped by the micro-batches of a step.
        /// </summary>
        private PipelineStage Stage(int index, int layers)
        {
            int baseLayers = layers / Pipeline, extra = layers % Pipeline;
            int stageLayers = baseLayers + (index < extra ? 1 : 0);
            int first = index * baseLayers + Math.Min(index, extra);
            double inFlight;
            if (Schedule == PipelineSchedule.Interleaved)
            {
                long chunks = 2L * (Pipeline - index - 1) + (long)(VirtualStages - 1) * Pipeline + 1;
                inFlight = Math.Min(chunks, (long)MicroBatches * VirtualStages) / (double)VirtualStages;
            }
            else
            {
                inFlight = Math.Min(Pipeline - index, MicroBatches);
            }
            return new PipelineStage(index, Pipeline, first, stageLayers, inFlight, Tensor, Expert, SequenceParallel, ExpertTensor);
        }

        private void ResolveSchedule(Workload w, ModelArchitecture m, Frameworks.Cited<PipelineSchedule> defaultSchedule, List<string> notes)
        {
            int? virtualStages = w.VirtualStages;
            if (virtualStages != null && virtualStages.Value < 1)
                throw new InvalidWorkloadException("VirtualStages", $"-VirtualStages must be a positive integer; got {virtualStages.Value}.");
            Schedule = w.PipelineSchedule ?? (virtualStages > 1 ? PipelineSchedule.Interleaved : defaultSchedule.Value);
            if (Schedule == PipelineSchedule.OneFOneB)
            {
                if (virtualStages > 1)
                    throw new InvalidWorkloadException("VirtualStages", $"-VirtualStages {virtualStages} applies to -PipelineSchedule Interleaved only.");
                if (Pipeline > 1 && w.PipelineSchedule is null) notes.Add(defaultSchedule.Assumption!);
                return;
            }
            if (Pipeline < 2)
                throw new InvalidWorkloadException("PipelineSchedule", "-PipelineSchedule Interleaved needs -PipelineParallel 2 or more.");
            if (virtualStages is null || virtualStages.Value < 2)
                throw new InvalidWorkloadException("VirtualStages", "-PipelineSchedule Interleaved needs -VirtualStages 2 or more (model chunks per GPU).");
            VirtualStages = virtualStages.Value;
            if ((long)Pipeline * VirtualStages > m.NumLayers)
            {
                throw new InvalidWorkloadException("VirtualStages",
                    $"-PipelineParallel {Pipeline} x -VirtualStages {VirtualStages} exceeds the {m.NumLayers} layers of {m.Id}: each chunk needs a layer.");
            }
        }

        private static int Degree(int? value, string name)
        {
            if (value is null) return 1;
            if (value.Value < 1) throw new InvalidWorkloadException(name, $"-{name} must be a positive integer; got {value.Value}.");
            return value.Value;
        }
    }
}
