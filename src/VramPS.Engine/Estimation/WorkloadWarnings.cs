using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using VramPS.Engine.Gpus;

namespace VramPS.Engine.Estimation
{
    /// <summary>
    /// What VramPS cannot know about a workload, or suspects will not run as given, one sentence each naming the
    /// parameter. The estimate is still made as given; the cmdlets write these as PowerShell warnings and the estimate
    /// keeps them (Warnings), so scripts see them too.
    /// </summary>
    internal static class WorkloadWarnings
    {
        /// <summary>FlashAttention-2's first architecture: Ampere (compute capability 8.0).</summary>
        private const double FlashMinimumCapability = 8.0;

        internal static IReadOnlyList<string> Of(TrainingMemoryEstimate e, Workload w)
        {
            var warnings = new List<string>();
            var gpu = w.Gpu;
            if (e.Attention == AttentionKernel.Flash)
            {
                // flash-attn README (Dao-AILab/flash-attention): "FlashAttention-2 ... supports: Ampere, Ada, or Hopper
                // GPUs ... Support for Turing GPUs (T4, RTX 2080) is coming soon" and "Datatype fp16 and bf16".
                if (e.Precision == Precision.Fp32)
                    warnings.Add("-Attention Flash with -Precision Fp32: FlashAttention-2 runs in fp16 and bf16 only (flash-attn README); the estimate keeps Flash's memory.");
                if (gpu != null && IsNvidiaBelow(gpu, FlashMinimumCapability))
                    warnings.Add($"-Attention Flash on {gpu.Name} (compute capability {gpu.ComputeCapability}): FlashAttention-2 needs an Ampere, Ada or Hopper GPU (flash-attn README); the estimate keeps Flash's memory, use -Attention Sdpa for what this GPU runs.");
            }
            if (e.SkippedLoraTargets.Count > 0 && e.LoraTargets.Count > 0)
                warnings.Add($"-LoraTargets {string.Join(", ", e.SkippedLoraTargets)}: {e.Model} has no such module; peft skips a name that matches nothing, so the estimate adapts {string.Join(", ", e.LoraTargets)} only.");
            if (e.AwaitingGcWarning is string gc) warnings.Add(gc);
            int context = w.Model.MaxPositions;
            if (context > 0 && e.SequenceLength > context)
                warnings.Add($"-SequenceLength {e.SequenceLength} is longer than the {context} positions of {e.Model} (max_position_embeddings); the estimate is made as given.");
            if (gpu is null && e.RolloutMemoryFraction is double fraction)
            {
                var assumed = GpuCatalog.Default.Get(Alignment.StageRecipe.AssumedGpu);
                warnings.Add(string.Format(CultureInfo.InvariantCulture,
                    "-RolloutMemoryFraction {0} without -Gpu: the colocated vLLM engine's share is taken of an {1} ({2:0.#} GiB), the 80 GB GPU colocated rollouts are most often run on, which over-counts it on smaller GPUs and under-counts it on larger ones; name the GPU with -Gpu.",
                    fraction, assumed.Name, assumed.MemoryBytes / (double)(1L << 30)));
            }
            if (gpu is null)
            {
                warnings.Add(string.Format(CultureInfo.InvariantCulture,
                    "no -Gpu given: Total counts a CUDA context of {0} MiB (measured on a V100 without lazy loading); name the GPU for its own.",
                    RuntimeMemory.DefaultContextBytes >> 20));
            }
            return warnings;
        }

        private static bool IsNvidiaBelow(GpuSpec gpu, double capability) =>
            gpu.Vendor == "NVIDIA"
            && double.TryParse(gpu.ComputeCapability, NumberStyles.Float, CultureInfo.InvariantCulture, out double cc)
            && cc < capability;
    }
}
