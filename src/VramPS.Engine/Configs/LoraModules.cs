using System.Collections.Generic;
using System.Linq;
using VramPS.Engine.Models;

namespace VramPS.Engine.Configs
{
    /// <summary>
    /// LoRA targets given by role, as litgpt (lora_query, lora_key, lora_value, lora_projection, lora_mlp, lora_head) and
    /// torchtune (lora_attn_modules q_proj/k_proj/v_proj/output_proj, apply_lora_to_mlp, apply_lora_to_output) give
    /// them, as the Hugging Face module names of the model VramPS counts: a model that fuses q, k and v into one linear
    /// (Falcon's and GPT-NeoX's query_key_value, Phi-3's qkv_proj) adapts the fused linear when any of the three is on,
    /// as litgpt's LoRAQKVLinear does with its enable_lora flags.
    /// </summary>
    internal sealed class LoraModules
    {
        public bool Query { get; set; }
        public bool Key { get; set; }
        public bool Value { get; set; }
        public bool Output { get; set; }
        public bool Mlp { get; set; }
        public bool Head { get; set; }

        /// <summary>The module names for the model; null when the catalog does not know the model.</summary>
        public string[]? NamesFor(string? modelId)
        {
            var model = modelId == null ? null : ModelCatalog.Default.Find(modelId);
            if (model == null) return null;
            var modules = ModuleLayout.For(model, 0);
            var attention = modules.Where(m => m.Role == LinearRole.AttentionInput).ToArray();
            var names = new List<string>();
            if (attention.Length == 1)
            {
                if (Query || Key || Value) names.Add(attention[0].Name);
            }
            else
            {
                foreach (var m in attention)
                {
                    char first = char.ToLowerInvariant(m.Name[0]);
                    if ((first == 'q' && Query) || (first == 'k' && Key) || (first == 'v' && Value)) names.Add(m.Name);
                }
            }
            if (Output) names.AddRange(modules.Where(m => m.Role == LinearRole.AttentionOutput).Select(m => m.Name));
            if (Mlp) names.AddRange(modules.Where(m => m.Role == LinearRole.MlpInput || m.Role == LinearRole.MlpOutput).Select(m => m.Name));
            if (Head) names.Add("lm_head");
            return names.Distinct().ToArray();
        }

        public override string ToString() =>
            $"query {Query}, key {Key}, value {Value}, output projection {Output}, MLP {Mlp}, head {Head}";
    }
}
