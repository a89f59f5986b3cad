using System;
using System.Collections.Generic;
using VramPS.Engine.Errors;
using VramPS.Engine.Estimation;
using VramPS.Engine.Gpus;

namespace VramPS.Engine.Planning
{
    /// <summary>
    /// Time and cost of a run: executed FLOPs per token (TrainingFlops) over the GPUs' sustained throughput, the dense
    /// 16-bit peak times the assumed utilization, stretched by the pipeline bubble; hours times GPUs times the price
    /// per GPU-hour.
    /// </summary>
    public static class TrainingTime
    {
        public static TrainingRun Estimate(Workload workload, GpuSpec gpu, RunSettings settings)
        {
            if (workload is null) throw new ArgumentNullException(nameof(workload));
            if (gpu is null) throw new ArgumentNullException(nameof(gpu));
            if (settings is null) throw new ArgumentNullException(nameof(settings));
            return Estimate(new TrainingFlops(workload), gpu, settings);
        }

        internal static TrainingRun Estimate(TrainingFlops flops, GpuSpec gpu, RunSettings settings)
        {
            var notes = new List<string>();
            double tokens = settings.ResolveTokens(notes);
            double mfu = settings.ResolveMfu(notes);
            double? given = settings.ResolvePrice();
            int gpus = flops.GpuCount;
            if (gpu.DenseTflops16 <= 0) throw new InvalidWorkloadException("Gpu", $"{gpu.Name} has no dense 16-bit TFLOPS in the catalog to time the run with.");

            double perSecond = gpus * gpu.DenseTflops16 * 1e12 * mfu / flops.PerToken / (1 + flops.PipelineBubble);
            double hours = tokens / perSecond / 3600;
            double? price = given ?? gpu.PricePerHour;
            return new TrainingRun
            {
                Gpu = gpu.Name,
                GpuCount = gpus,
                Tokens = tokens,
                FlopsPerToken = flops.PerToken,
                TotalFlops = flops.PerToken * tokens,
                Mfu = mfu,
                PipelineBubble = flops.PipelineBubble,
                TokensPerSecond = perSecond,
                Hours = hours,
                GpuHours = hours * gpus,
                PricePerGpuHour = price,
                PriceSource = given != null ? "-PricePerGpuHour" : gpu.PriceSource,
                Cost = price * hours * gpus,
                Assumptions = notes.ToArray(),
            };
        }
    }
}
