using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using VramPS.Engine.Estimation;
using VramPS.Engine.Gpus;

namespace VramPS.Engine.Planning
{
    /// <summary>
    /// How much slower a changed workload steps than the one it changes: the ratio of executed FLOPs per token, plus the
    /// time the change adds moving optimizer state and parameters over the host link, against the step's compute time
    /// on the GPU (tokens per step x FLOPs per token / (peak x utilization)).
    /// </summary>
    internal sealed class StepClock
    {
        private readonly double _flops;
        private readonly double _stepSeconds;
        private readonly long _weights;
        private readonly long _gradients;
        private readonly RunMemo _memo;

        public StepClock(Workload w, TrainingMemoryEstimate e, GpuSpec gpu, RunSettings settings, RunMemo memo)
        {
            _memo = memo;
            _flops = memo.FlopsPerToken(w);
            double mfu = settings.ResolveMfu(new List<string>());
            double tokensPerGpu = (double)e.BatchSize * e.SequenceLength * e.GradientAccumulation * e.DataParallel / e.GpuCount;
            _stepSeconds = gpu.DenseTflops16 > 0 ? _flops * tokensPerGpu / (gpu.DenseTflops16 * 1e12 * mfu) : 0;
            var step = e.Phases.Single(p => p.Phase == Phase.OptimizerStep);
            _weights = step.Weights;
            _gradients = step.Gradients;
        }

        /// <summary>Step time after the change relative to before.</summary>
        public double Slowdown(Workload variant, TrainingMemoryEstimate after) => Slowdown(_memo.FlopsPerToken(variant), after);

        /// <summary><see cref="Slowdown(Workload, TrainingMemoryEstimate)"/> of a variant whose FLOPs per token are known.</summary>
        public double Slowdown(double variantFlopsPerToken, TrainingMemoryEstimate after) =>
            variantFlopsPerToken / _flops + (_stepSeconds > 0 ? HostTraffic(after) / FitAdvisor.HostLinkBytesPerSecond / _stepSeconds : 0);

        /// <summary>How <see cref="Slowdown(Workload, TrainingMemoryEstimate)"/> was reckoned for a change of this kind, in words.</summary>
        public string Basis(SuggestionKind kind, Workload variant, TrainingMemoryEstimate after)
        {
            var c = CultureInfo.InvariantCulture;
            double traffic = HostTraffic(after);
            string flops = string.Format(c, "{0:0.00}x the FLOPs per token", Ratio(variant));
            string host = traffic > 0
                ? string.Format(c, "; {0:0.0} GB over PCIe 4.0 x16 per step ({1:0.00} s) against {2:0.00} s of compute",
                    traffic / 1e9, traffic / FitAdvisor.HostLinkBytesPerSecond, _stepSeconds)
                : "";
            switch (kind)
            {
                case SuggestionKind.Optimizer:
                    return "the same FLOPs per step: bitsandbytes' 8-bit AdamW steps as fast as AdamW";
                case SuggestionKind.MicroBatch:
                    return "the same FLOPs per optimizer step; smaller micro-batches use the GPU less well, which a fixed MFU does not show";
                case SuggestionKind.Sharding:
                    return after.Sharding == Sharding.Zero3
                        ? "the same FLOPs; ZeRO-3 all-gathers the parameters in forward and backward, 1.5x the data-parallel traffic (Rajbhandari et al. 2020), overlapped with compute"
                        : "the same FLOPs and data-parallel traffic (a reduce-scatter where DDP all-reduces)";
                case SuggestionKind.Checkpointing:
                    return flops + ": the forward recomputed during backward";
                default:
                    return flops + host;
            }
        }

        private double Ratio(Workload variant) => _memo.FlopsPerToken(variant) / _flops;

        /// <summary>
        /// Bytes crossing the host link per optimizer step on one GPU: offloading the optimizer sends the gradients
        /// down and the updated parameters back; offloading the parameters as well fetches them for the forward and the
        /// backward of every micro-batch.
        /// </summary>
        private double HostTraffic(TrainingMemoryEstimate after)
        {
            if (after.Offload == Offload.None) return 0;
            double bytes = _gradients + (double)_weights;
            if (after.Offload == Offload.OptimizerAndParameters) bytes += 2.0 * after.GradientAccumulation * _weights;
            return bytes;
        }
    }
}
