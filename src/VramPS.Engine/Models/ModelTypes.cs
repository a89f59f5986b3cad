using System;
using System.Collections.Generic;

namespace VramPS.Engine.Models
{
    /// <summary>The Hugging Face model_type values whose layout VramPS knows (module names, norms, biases).</summary>
    public static class ModelTypes
    {
        public static IReadOnlyList<string> Known { get; } = new[]
        {
            "bert", "deepseek_v2", "deepseek_v3", "ernie4_5", "ernie4_5_moe", "falcon", "gemma", "gemma2", "gemma3", "gemma3_text", "gemma4", "gpt2",
            "gpt_bigcode", "gpt_neox", "granite", "lfm2", "llama", "llava", "mistral", "mistral3", "mixtral", "mllama", "olmo", "olmo2", "opt", "phi", "phi3",
            "phimoe", "qwen2", "qwen2_5_vl", "qwen2_moe", "qwen2_vl", "qwen3", "qwen3_5", "qwen3_moe", "qwen3_next", "stablelm",
        };

        private static readonly HashSet<string> KnownSet = new HashSet<string>(Known, StringComparer.Ordinal);

        public static bool IsKnown(string modelType) => KnownSet.Contains(modelType);
    }
}
