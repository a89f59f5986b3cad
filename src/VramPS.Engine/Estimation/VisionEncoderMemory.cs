using VramPS.Engine.Models;

namespace VramPS.Engine.Estimation
{
    /// <summary>
    /// What the vision encoder holds beyond its parameters (which <see cref="ParameterBudget"/> counts): the activations its
    /// blocks save for backward. The encoder runs before the language model and its backward comes last, so what it saves
    /// stays resident through the language model's forward and backward. A frozen encoder (no parameter requires grad, and
    /// pixel values never do) builds no graph and saves nothing. Transformers checkpoints the ViT blocks along with the
    /// language model's (gradient_checkpointing_enable sets every module that supports it: Qwen2VisionTransformerPretrainedModel,
    /// SiglipEncoder, CLIPEncoder), leaving each block's input.
    /// </summary>
    internal static class VisionEncoderMemory
    {
        /// <summary>Bytes the trained encoder saves for one micro-batch (0 when frozen or without images).</summary>
        public static double SavedActivations(ResolvedRecipe r)
        {
            var v = r.Vision;
            var m = r.Model;
            if (!m.HasVision || !v.Trained || v.ImagesPerSample == 0) return 0;
            int c = TrainerBehavior.ComputeBytes(r.Precision);
            double images = (double)r.BatchSize * v.ImagesPerSample;
            double tokens = images * v.EncoderTokensPerImage;
            double d = m.VisionHiddenSize;
            if (r.Checkpointing == Checkpointing.Full) return m.VisionBlocks * d * c * tokens;
            return m.VisionBlocks * SavedPerTokenPerLayer(m, c) * tokens + images * EagerScores(m, v.EncoderTokensPerImage, c, r.Attention);
        }

        /// <summary>
        /// One block, per token: both norms' inputs and outputs (the linears' inputs), q, k and v for attention, the attention
        /// output, and the MLP's hidden activations (fc1's output and its GELU; gate, up, their SiLU and product when gated).
        /// </summary>
        public static double SavedPerTokenPerLayer(ModelArchitecture m, int c)
        {
            double d = m.VisionHiddenSize, i = m.VisionIntermediateSize;
            double mlp = VisionTower.GatedMlp(m) ? 4 * i : 2 * i;
            return (8 * d + mlp) * c;
        }

        /// <summary>
        /// Eager attention saves every block's probabilities (fp32 softmax output and its 16-bit cast) per head; windowed
        /// blocks (Qwen2.5-VL) attend within windows of (window / patch)^2 patches. SDPA and flash kernels save no scores.
        /// </summary>
        public static double EagerScores(ModelArchitecture m, long tokens, int c, AttentionKernel kernel)
        {
            if (kernel != AttentionKernel.Eager) return 0;
            double perScore = m.VisionHeads * (4.0 + c);
            double full = (double)tokens * tokens * perScore;
            if (m.VisionWindowSize == 0) return m.VisionBlocks * full;
            double windowPatches = (double)(m.VisionWindowSize / m.VisionPatchSize) * (m.VisionWindowSize / m.VisionPatchSize);
            double windowed = tokens * System.Math.Min(windowPatches, tokens) * perScore;
            return m.VisionFullAttentionLayers * full + (m.VisionLayers - m.VisionFullAttentionLayers) * windowed;
        }
    }
}
