using System.Collections.Generic;

namespace VramPS.Engine.Models
{
    /// <summary>
    /// The linear modules of a block per model type, with Hugging Face's module names (the last part of each module's
    /// path, which is what a peft target list matches: BERT's attention output, intermediate and output projections are
    /// all "dense"). Model types not named here use the Llama names. Widths are computed checked: a size too large for
    /// 64 bits is an OverflowException, never a wrapped width.
    /// </summary>
    internal static class ModuleLayout
    {
        public static LinearModule[] For(ModelArchitecture a, int layer)
        {
            checked
            {
                long h = a.HiddenSize;
                var list = new List<LinearModule>(12);
                switch (a.MixerOf(layer))
                {
                    case MixerKind.GatedDeltaNet:
                        AddGatedDeltaNet(a, h, list);
                        break;
                    case MixerKind.GlobalAttention:
                        AddGlobalAttention(a, h, list);
                        break;
                    case MixerKind.ShortConvolution:
                        // Lfm2ShortConv: in_proj to B, C and x (3 x hidden), out_proj; conv_bias false in LFM2's configs.
                        list.Add(new LinearModule("in_proj", h, 3 * h, 1, false, LinearRole.AttentionInput));
                        list.Add(new LinearModule("out_proj", h, h, 1, false, LinearRole.AttentionOutput));
                        break;
                    default:
                        AddAttention(a, h, list);
                        break;
                }
                if (a.IsMoeLayer(layer))
                {
                    AddMlp(a, h, a.MoeIntermediateSize, a.Experts, list, expert: true);
                    // Gemma 4's router is router.proj (Gemma4TextRouter); the others name theirs gate.
                    list.Add(new LinearModule(a.FusedExperts ? "proj" : "gate", h, a.Experts, 1, false, LinearRole.Router));
                    if (a.VisionExperts > 0)
                    {
                        // ERNIE-4.5-VL: the vision experts share the experts list (and its names) and have their own router.
                        AddMlp(a, h, a.VisionExpertIntermediateSize, a.VisionExperts, list, expert: true);
                        list.Add(new LinearModule("gate", h, a.VisionExperts, 1, false, LinearRole.Router));
                    }
                    if (a.SharedExperts > 0)
                    {
                        int width = a.SharedExpertIntermediateSize > 0 ? a.SharedExpertIntermediateSize : a.MoeIntermediateSize * a.SharedExperts;
                        AddMlp(a, h, width, 1, list, expert: false);
                        if (a.SharedExpertGate) list.Add(new LinearModule("shared_expert_gate", h, 1, 1, false, LinearRole.Router));
                    }
                }
                else
                {
                    AddMlp(a, h, a.MlpWidthOf(layer), 1, list, expert: false);
                }
                return list.ToArray();
            }
        }

        /// <summary>
        /// Qwen3.5's Gated DeltaNet (modular_qwen3_5.py Qwen3_5GatedDeltaNet): in_proj_qkv (q, k: key width; v: value
        /// width), in_proj_z (value width), in_proj_b and in_proj_a (one per value head), out_proj; Qwen3-Next
        /// (modular_qwen3_next.py Qwen3NextGatedDeltaNet) fuses them as in_proj_qkvz and in_proj_ba. No biases.
        /// </summary>
        private static void AddGatedDeltaNet(ModelArchitecture a, long h, List<LinearModule> list)
        {
            checked
            {
                long k = a.LinearKeyDim, v = a.LinearValueDim, heads = a.LinearValueHeads;
                if (a.ModelType == "qwen3_next")
                {
                    list.Add(new LinearModule("in_proj_qkvz", h, 2 * k + 2 * v, 1, false, LinearRole.AttentionInput));
                    list.Add(new LinearModule("in_proj_ba", h, 2 * heads, 1, false, LinearRole.AttentionInput) { JoinsPrevious = true });
                }
                else
                {
                    list.Add(new LinearModule("in_proj_qkv", h, 2 * k + v, 1, false, LinearRole.AttentionInput));
                    list.Add(new LinearModule("in_proj_z", h, v, 1, false, LinearRole.AttentionInput) { JoinsPrevious = true });
                    list.Add(new LinearModule("in_proj_b", h, heads, 1, false, LinearRole.AttentionInput) { JoinsPrevious = true });
                    list.Add(new LinearModule("in_proj_a", h, heads, 1, false, LinearRole.AttentionInput) { JoinsPrevious = true });
                }
                list.Add(new LinearModule("out_proj", v, h, 1, false, LinearRole.AttentionOutput));
            }
        }

        /// <summary>
        /// Gemma 4's global attention (Gemma4TextAttention on a full_attention layer): q_proj to heads x global_head_dim,
        /// k_proj to the global KV heads, v_proj unless the keys serve as values (attention_k_eq_v), o_proj; no biases.
        /// transformers 5.5 builds k_proj and v_proj on the KV-sharing layers too (later releases drop them), and Unsloth's
        /// printed totals of the Gemma 4 notebooks count them.
        /// </summary>
        private static void AddGlobalAttention(ModelArchitecture a, long h, List<LinearModule> list)
        {
            checked
            {
                long q = (long)a.NumHeads * a.GlobalHeadDim, kv = (long)a.GlobalKvHeads * a.GlobalHeadDim;
                list.Add(new LinearModule("q_proj", h, q, 1, a.QkvBias, LinearRole.AttentionInput));
                list.Add(new LinearModule("k_proj", h, kv, 1, a.QkvBias, LinearRole.AttentionInput));
                if (!a.GlobalKeysAsValues) list.Add(new LinearModule("v_proj", h, kv, 1, a.QkvBias, LinearRole.AttentionInput));
                list.Add(new LinearModule("o_proj", q, h, 1, a.OutputBias, LinearRole.AttentionOutput));
            }
        }

        private static void AddAttention(ModelArchitecture a, long h, List<LinearModule> list)
        {
            checked
            {
                long q = a.QDim, kv = a.KvDim;
                switch (a.ModelType)
                {
                    case "gpt_bigcode":
                    case "gpt2":
                        list.Add(new LinearModule("c_attn", h, q + 2 * kv, 1, a.QkvBias, LinearRole.AttentionInput));
                        list.Add(new LinearModule("c_proj", q, h, 1, a.OutputBias, LinearRole.AttentionOutput));
                        return;
                    case "gpt_neox":
                    case "falcon":
                        list.Add(new LinearModule("query_key_value", h, q + 2 * kv, 1, a.QkvBias, LinearRole.AttentionInput));
                        list.Add(new LinearModule("dense", q, h, 1, a.OutputBias, LinearRole.AttentionOutput));
                        return;
                    case "phi3":
                        list.Add(new LinearModule("qkv_proj", h, q + 2 * kv, 1, a.QkvBias, LinearRole.AttentionInput));
                        list.Add(new LinearModule("o_proj", q, h, 1, a.OutputBias, LinearRole.AttentionOutput));
                        return;
                    case "bert":
                        list.Add(new LinearModule("query", h, q, 1, a.QkvBias, LinearRole.AttentionInput));
                        list.Add(new LinearModule("key", h, kv, 1, a.QkvBias, LinearRole.AttentionInput));
                        list.Add(new LinearModule("value", h, kv, 1, a.QkvBias, LinearRole.AttentionInput));
                        list.Add(new LinearModule("dense", q, h, 1, a.OutputBias, LinearRole.AttentionOutput));
                        return;
                }
                if (a.IsMla)
                {
                    long qHead = a.QkNopeHeadDim + a.QkRopeHeadDim;
                    if (a.QLoraRank > 0)
                    {
                        list.Add(new LinearModule("q_a_proj", h, a.QLoraRank, 1, false, LinearRole.AttentionInput));
                        list.Add(new LinearModule("q_b_proj", a.QLoraRank, a.NumHeads * qHead, 1, false, LinearRole.AttentionInput));
                    }
                    else
                    {
                        list.Add(new LinearModule("q_proj", h, a.NumHeads * qHead, 1, false, LinearRole.AttentionInput));
                    }
                    list.Add(new LinearModule("kv_a_proj_with_mqa", h, a.KvLoraRank + a.QkRopeHeadDim, 1, false, LinearRole.AttentionInput));
                    list.Add(new LinearModule("kv_b_proj", a.KvLoraRank, (long)a.NumHeads * (a.QkNopeHeadDim + a.VHeadDim), 1, false, LinearRole.AttentionInput));
                    list.Add(new LinearModule("o_proj", (long)a.NumHeads * a.VHeadDim, h, 1, false, LinearRole.AttentionOutput));
                    return;
                }
                // Qwen3-Next's and Qwen3.5's q_proj also gives the output gate (attn_output_gate): twice the query width.
                list.Add(new LinearModule("q_proj", h, a.AttentionOutputGate ? 2 * q : q, 1, a.QkvBias, LinearRole.AttentionInput));
                list.Add(new LinearModule("k_proj", h, kv, 1, a.QkvBias, LinearRole.AttentionInput) { JoinsPrevious = true });
                list.Add(new LinearModule("v_proj", h, kv, 1, a.QkvBias, LinearRole.AttentionInput) { JoinsPrevious = true });
                string output = a.ModelType switch { "phi" => "dense", "opt" or "lfm2" => "out_proj", _ => "o_proj" };
                list.Add(new LinearModule(output, q, h, 1, a.OutputBias, LinearRole.AttentionOutput));
            }
        }

        private static void AddMlp(ModelArchitecture a, long h, long i, int count, List<LinearModule> list, bool expert)
        {
            checked
            {
                bool bias = a.MlpBias;
                // Gemma 4's experts are two 3-D nn.Parameters (Gemma4TextExperts: gate_up_proj [E, 2I, H], down_proj [E, H, I]).
                if (expert && a.FusedExperts)
                {
                    list.Add(new LinearModule(ModelArchitecture.FusedGateUpName, h, 2 * i, count, false, LinearRole.MlpInput));
                    list.Add(new LinearModule(ModelArchitecture.FusedDownName, i, h, count, false, LinearRole.MlpOutput));
                    return;
                }
                // Mixtral's and PhiMoE's experts and LFM2's feed_forward (Lfm2MLP) name gate, up and down w1, w3, w2.
                if (expert && (a.ModelType == "mixtral" || a.ModelType == "phimoe") || a.ModelType == "lfm2")
                {
                    list.Add(new LinearModule("w1", h, i, count, bias, LinearRole.MlpInput));
                    list.Add(new LinearModule("w3", h, i, count, bias, LinearRole.MlpInput) { JoinsPrevious = true });
                    list.Add(new LinearModule("w2", i, h, count, bias, LinearRole.MlpOutput));
                    return;
                }
                switch (a.ModelType)
                {
                    case "gpt_bigcode":
                    case "gpt2":
                        list.Add(new LinearModule("c_fc", h, i, count, bias, LinearRole.MlpInput));
                        list.Add(new LinearModule("c_proj", i, h, count, bias, LinearRole.MlpOutput));
                        return;
                    case "gpt_neox":
                    case "falcon":
                        list.Add(new LinearModule("dense_h_to_4h", h, i, count, bias, LinearRole.MlpInput));
                        list.Add(new LinearModule("dense_4h_to_h", i, h, count, bias, LinearRole.MlpOutput));
                        return;
                    case "phi":
                    case "opt":
                        list.Add(new LinearModule("fc1", h, i, count, bias, LinearRole.MlpInput));
                        list.Add(new LinearModule("fc2", i, h, count, bias, LinearRole.MlpOutput));
                        return;
                    case "bert":
                        list.Add(new LinearModule("dense", h, i, count, bias, LinearRole.MlpInput));
                        list.Add(new LinearModule("dense", i, h, count, bias, LinearRole.MlpOutput));
                        return;
                    case "phi3":
                        list.Add(new LinearModule("gate_up_proj", h, 2 * i, count, bias, LinearRole.MlpInput));
                        list.Add(new LinearModule("down_proj", i, h, count, bias, LinearRole.MlpOutput));
                        return;
                }
                if (a.Mlp == MlpKind.Gated)
                {
                    list.Add(new LinearModule("gate_proj", h, i, count, bias, LinearRole.MlpInput));
                    list.Add(new LinearModule("up_proj", h, i, count, bias, LinearRole.MlpInput) { JoinsPrevious = true });
                    list.Add(new LinearModule("down_proj", i, h, count, bias, LinearRole.MlpOutput));
                }
                else
                {
                    list.Add(new LinearModule("up_proj", h, i, count, bias, LinearRole.MlpInput));
                    list.Add(new LinearModule("down_proj", i, h, count, bias, LinearRole.MlpOutput));
                }
            }
        }
    }
}
