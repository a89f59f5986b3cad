using VramPS.Engine.Estimation;
using VramPS.Engine.Gpus;

namespace VramPS.Engine.Planning
{
    /// <summary>
    /// The one rule for whether a run fits a GPU, used by every cmdlet and planner: the GPU must execute the run's
    /// number format, and what each GPU shows (Total, with this GPU's CUDA context) must be within its memory.
    /// </summary>
    public static class GpuSupport
    {
        /// <summary>
        /// Why the GPU cannot run a precision ("has no bf16 ..."; the caller names the GPU), or null when it can. bf16 needs the tensor cores of compute capability 8.0
        /// (Ampere) or later (the catalog's supportsBf16); VramPS does not plan bf16 on older GPUs, where it is at best
        /// emulated.
        /// </summary>
        public static string? Refusal(Precision precision, GpuSpec gpu)
        {
            if (gpu is null) throw new System.ArgumentNullException(nameof(gpu));
            bool bf16 = precision == Precision.Bf16 || precision == Precision.Bf16Mixed;
            return bf16 && !gpu.SupportsBf16
                ? $"has no bf16 (-Precision {precision}): use -Precision {(precision == Precision.Bf16 ? Precision.Fp16 : Precision.Fp16Mixed)} or Fp32"
                : null;
        }

        /// <summary>Whether the GPU runs the estimate's precision and holds its Total.</summary>
        public static bool Fits(TrainingMemoryEstimate estimate, GpuSpec gpu) =>
            Refusal(estimate.Precision, gpu) is null && estimate.TotalOn(gpu) <= gpu.MemoryBytes;
    }
}
