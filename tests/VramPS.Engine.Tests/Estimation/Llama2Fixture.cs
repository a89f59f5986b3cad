using VramPS.Engine.Models;

namespace VramPS.Engine.Tests.Estimation
{
    /// <summary>
    /// Llama-2-7B as its config.json describes it (https://huggingface.co/meta-llama/Llama-2-7b-hf/blob/main/config.json):
    /// hidden 4096, intermediate 11008, 32 layers, 32 heads, 32 KV heads, vocabulary 32000, untied head.
    /// 6,738,415,616 parameters (safetensors metadata of the same repository).
    /// </summary>
    internal static class Llama2Fixture
    {
        public const long Parameters = 6_738_415_616;
        public const long Hidden = 4096;
        public const long Intermediate = 11008;
        public const long Layers = 32;
        public const long Vocab = 32000;

        /// <summary>q, k, v, o (h x h each) and gate, up, down (h x i each) per block.</summary>
        public const long BlockLinear = Layers * (4 * Hidden * Hidden + 3 * Hidden * Intermediate);

        public static ModelArchitecture Model() => new ModelArchitecture
        {
            Id = "meta-llama/Llama-2-7b-hf",
            ModelType = "llama",
            HiddenSize = 4096,
            IntermediateSize = 11008,
            NumLayers = 32,
            NumHeads = 32,
            NumKvHeads = 32,
            HeadDim = 128,
            VocabSize = 32000,
        };

        public static Workload Workload(FinetuneMethod method) => new Workload(Model())
        {
            Method = method,
            Precision = Precision.Bf16,
            Optimizer = OptimizerKind.AdamW,
            BatchSize = 1,
            SequenceLength = 512,
            GradientAccumulation = 1,
            Checkpointing = Checkpointing.Full,
            Attention = AttentionKernel.Flash,
            GpuCount = 1,
            Sharding = Sharding.None,
            Framework = Framework.HfTrainer,
        };
    }
}
