using System;
using System.Collections.Generic;

namespace VramPS.Engine.Configs.Readers
{
    /// <summary>
    /// torchtune's model builders (torchtune/models/*/_model_builders.py) by name, each with the Hugging Face
    /// checkpoint it builds; the lora_ and qlora_ builders build the same model with adapters (qlora_ with an NF4
    /// base, quantize_base=True). A builder not listed is refused by name.
    /// </summary>
    internal static class TorchtuneModels
    {
        private static readonly Dictionary<string, string> Builders = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["llama2_7b"] = "meta-llama/Llama-2-7b-hf",
            ["llama2_13b"] = "meta-llama/Llama-2-13b-hf",
            ["llama2_70b"] = "meta-llama/Llama-2-70b-hf",
            ["llama3_8b"] = "meta-llama/Meta-Llama-3-8B",
            ["llama3_70b"] = "meta-llama/Meta-Llama-3-70B",
            ["llama3_1_8b"] = "meta-llama/Llama-3.1-8B",
            ["llama3_1_70b"] = "meta-llama/Llama-3.1-70B",
            ["llama3_1_405b"] = "meta-llama/Llama-3.1-405B",
            ["llama3_2_1b"] = "meta-llama/Llama-3.2-1B",
            ["llama3_2_3b"] = "meta-llama/Llama-3.2-3B",
            ["llama3_3_70b"] = "meta-llama/Llama-3.3-70B-Instruct",
            ["mistral_7b"] = "mistralai/Mistral-7B-v0.1",
            ["gemma_2b"] = "google/gemma-2b",
            ["gemma_7b"] = "google/gemma-7b",
            ["gemma2_2b"] = "google/gemma-2-2b",
            ["gemma2_9b"] = "google/gemma-2-9b",
            ["gemma2_27b"] = "google/gemma-2-27b",
            ["phi3_mini"] = "microsoft/Phi-3-mini-4k-instruct",
            ["phi4_14b"] = "microsoft/phi-4",
            ["qwen2_0_5b"] = "Qwen/Qwen2-0.5B",
            ["qwen2_1_5b"] = "Qwen/Qwen2-1.5B",
            ["qwen2_7b"] = "Qwen/Qwen2-7B",
            ["qwen2_5_0_5b"] = "Qwen/Qwen2.5-0.5B",
            ["qwen2_5_1_5b_base"] = "Qwen/Qwen2.5-1.5B",
            ["qwen2_5_1_5b_instruct"] = "Qwen/Qwen2.5-1.5B-Instruct",
            ["qwen2_5_3b"] = "Qwen/Qwen2.5-3B",
            ["qwen2_5_7b_base"] = "Qwen/Qwen2.5-7B",
            ["qwen2_5_7b_instruct"] = "Qwen/Qwen2.5-7B-Instruct",
            ["qwen2_5_14b_base"] = "Qwen/Qwen2.5-14B",
            ["qwen2_5_14b_instruct"] = "Qwen/Qwen2.5-14B-Instruct",
            ["qwen2_5_32b_base"] = "Qwen/Qwen2.5-32B",
            ["qwen2_5_32b_instruct"] = "Qwen/Qwen2.5-32B-Instruct",
            ["qwen2_5_72b_base"] = "Qwen/Qwen2.5-72B",
            ["qwen2_5_72b_instruct"] = "Qwen/Qwen2.5-72B-Instruct",
            ["qwen3_0_6b_base"] = "Qwen/Qwen3-0.6B-Base",
            ["qwen3_1_7b_base"] = "Qwen/Qwen3-1.7B-Base",
            ["qwen3_4b_base"] = "Qwen/Qwen3-4B-Base",
            ["qwen3_8b_base"] = "Qwen/Qwen3-8B-Base",
            ["qwen3_14b_base"] = "Qwen/Qwen3-14B-Base",
            ["qwen3_32b"] = "Qwen/Qwen3-32B",
            ["qwen3_0_6b_instruct"] = "Qwen/Qwen3-0.6B",
            ["qwen3_1_7b_instruct"] = "Qwen/Qwen3-1.7B",
            ["qwen3_4b_instruct"] = "Qwen/Qwen3-4B",
            ["qwen3_8b_instruct"] = "Qwen/Qwen3-8B",
            ["qwen3_14b_instruct"] = "Qwen/Qwen3-14B",
        };

        /// <summary>The builder's name split into its method (Full, LoRA, QLoRA, DoRA) and base builder, with the hub id; null when unknown.</summary>
        public static (string Method, string Builder, string? HubId) Parse(string component)
        {
            string name = component.Substring(component.LastIndexOf('.') + 1);
            foreach (string prefix in new[] { "qlora_", "lora_", "qdora_", "dora_" })
            {
                if (name.StartsWith(prefix, StringComparison.Ordinal))
                {
                    string builder = name.Substring(prefix.Length);
                    return (prefix.TrimEnd('_'), builder, Builders.TryGetValue(builder, out var id) ? id : null);
                }
            }
            return ("full", name, Builders.TryGetValue(name, out var hub) ? hub : null);
        }
    }
}
