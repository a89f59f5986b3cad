using System;
using System.IO;
using System.Linq;
using Newtonsoft.Json.Linq;
using VramPS.Engine.Errors;
using VramPS.Engine.Files;

namespace VramPS.Engine.Models
{
    /// <summary>
    /// Reads a Hugging Face config.json (or a model folder holding one) into a ModelArchitecture, with the defaults
    /// transformers' config classes apply when a field is absent: num_key_value_heads = num_attention_heads, head_dim =
    /// hidden_size / num_attention_heads, and tie_word_embeddings per model type.
    /// </summary>
    public static class HfConfigReader
    {
        public const string ConfigFileName = "config.json";

        /// <summary>model_type values a config.json may give that read into a known model type (qwen3_5_text: qwen3_5; lfm2_vl: lfm2 and paddleocr_vl: ernie4_5, with their towers).</summary>
        private static readonly string[] ConfigOnlyTypes = { "lfm2_vl", "paddleocr_vl", "qwen3_5_text" };

        /// <summary>
        /// The architecture a config.json describes. Its Id is the config's _name_or_path when set, else the folder's
        /// name when a folder was given, else the path.
        /// </summary>
        public static ModelArchitecture Read(string path)
        {
            string file = path ?? "";
            string? folderName = null;
            if (Directory.Exists(file))
            {
                folderName = new DirectoryInfo(file).Name;
                file = Path.Combine(file, ConfigFileName);
                if (!File.Exists(file))
                    throw new InvalidDataFileException(path!, $"is a folder without a {ConfigFileName}.");
            }

            if (!(DataJson.Read(file) is JObject json))
                throw new InvalidDataFileException(file, "must hold a JSON object (a Hugging Face config.json).");
            var config = new HfConfigFields(json, file);
            string modelType = config.String("model_type");
            if (!ModelTypes.IsKnown(modelType) && !ConfigOnlyTypes.Contains(modelType))
                throw config.Invalid("model_type", $"'{modelType}' is not a model type VramPS knows. Known: {string.Join(", ", ModelTypes.Known.Concat(ConfigOnlyTypes).OrderBy(t => t, StringComparer.Ordinal))}.");

            var model = Map(modelType, config);
            string? name = config.OptionalString("_name_or_path");
            model.Id = !string.IsNullOrWhiteSpace(name) ? name! : folderName ?? path!;
            model.Source = Path.GetFullPath(file);

            ArchitectureRules.ApplyDefaults(model);
            var issue = ArchitectureRules.FirstProblem(model);
            if (issue != null)
                throw new InvalidDataFileException(file, $"describes an architecture VramPS cannot use: {issue.Value.Field} {issue.Value.Problem}");
            return model;
        }

        private static ModelArchitecture Map(string modelType, HfConfigFields c)
        {
            switch (modelType)
            {
                case "gpt2":
                case "gpt_bigcode":
                    return Gpt2(modelType, c);
                case "gpt_neox":
                    return GptNeox(c);
                case "falcon":
                    return Falcon(c);
                case "bert":
                    return Bert(c);
                case "opt":
                    return Opt(c);
                case "phi":
                    return Phi(c);
                case "gemma3":
                    return VisionConfigReader.Siglip(Gemma3Text(c.Nested("text_config") ?? throw c.Invalid("text_config", "is missing."), "gemma3"), c);
                case "qwen2_vl":
                case "qwen2_5_vl":
                    return VisionConfigReader.QwenVl(Decoder("qwen2", c.Nested("text_config") ?? c), c, modelType);
                case "mistral3":
                    return VisionConfigReader.Pixtral(Decoder("mistral", c.Nested("text_config") ?? throw c.Invalid("text_config", "is missing.")), c);
                case "mllama":
                    return VisionConfigReader.Mllama(Decoder("llama", c.Nested("text_config") ?? throw c.Invalid("text_config", "is missing.")), c);
                case "llava":
                    return VisionConfigReader.Clip(VisionConfigReader.LlavaText(c.Nested("text_config") ?? throw c.Invalid("text_config", "is missing.")), c);
                case "gemma3_text":
                    return Gemma3Text(c, modelType);
                case "qwen3_next":
                    return HybridConfigReader.Qwen(modelType, c);
                case "qwen3_5":
                    return VisionConfigReader.Qwen35(HybridConfigReader.Qwen(modelType, c.Nested("text_config") ?? throw c.Invalid("text_config", "is missing.")), c);
                case "qwen3_5_text":
                    return HybridConfigReader.Qwen("qwen3_5", c);
                case "lfm2":
                    return HybridConfigReader.Lfm2(c);
                case "lfm2_vl":
                    return VisionConfigReader.Lfm2Vl(HybridConfigReader.Lfm2(c.Nested("text_config") ?? throw c.Invalid("text_config", "is missing.")), c);
                case "paddleocr_vl":
                    return VisionConfigReader.PaddleOcrVl(Decoder("ernie4_5", c.Nested("text_config") ?? c), c);
                case "gemma4":
                    return Gemma4ConfigReader.Read(c);
                default:
                    return Decoder(modelType, c);
            }
        }

        /// <summary>Llama-style decoders and their MoE and MLA relatives (everything not handled above).</summary>
        private static ModelArchitecture Decoder(string modelType, HfConfigFields c)
        {
            var a = Common(modelType, c);
            a.IntermediateSize = c.Int("intermediate_size");
            a.Activation = c.OptionalString("hidden_activation") ?? c.OptionalString("hidden_act") ?? "silu";
            bool attentionBias = c.OptionalBool("attention_bias") ?? false;
            a.QkvBias = attentionBias;
            a.OutputBias = attentionBias;
            a.MlpBias = c.OptionalBool("mlp_bias") ?? false;
            a.SlidingWindow = c.OptionalBool("use_sliding_window") == false ? 0 : c.OptionalInt("sliding_window") ?? 0;
            a.PartialRotaryFactor = c.OptionalDouble("partial_rotary_factor") ?? 1.0;

            switch (modelType)
            {
                case "qwen2":
                    a.QkvBias = true;
                    a.OutputBias = false;
                    break;
                case "qwen2_moe":
                    a.QkvBias = true;
                    a.OutputBias = false;
                    QwenExperts(a, c);
                    a.SharedExpertIntermediateSize = c.OptionalInt("shared_expert_intermediate_size") ?? 0;
                    a.SharedExperts = a.SharedExpertIntermediateSize > 0 ? 1 : 0;
                    a.SharedExpertGate = a.SharedExperts > 0;
                    break;
                case "qwen3":
                    a.QkNorm = true;
                    break;
                case "qwen3_moe":
                    a.QkNorm = true;
                    QwenExperts(a, c);
                    break;
                case "mixtral":
                case "phimoe":
                    a.Experts = c.Int("num_local_experts");
                    a.ExpertsPerToken = c.Int("num_experts_per_tok");
                    a.MoeIntermediateSize = a.IntermediateSize;
                    if (modelType == "phimoe")
                    {
                        a.Norm = NormKind.LayerNorm;
                        a.LmHeadBias = c.OptionalBool("lm_head_bias") ?? false;
                    }
                    break;
                case "gemma":
                    break;
                case "gemma2":
                    a.NormsPerLayer = 4;
                    a.AttentionLogitSoftcap = c.OptionalDouble("attn_logit_softcapping") ?? 0;
                    a.FinalLogitSoftcap = c.OptionalDouble("final_logit_softcapping") ?? 0;
                    break;
                case "olmo":
                    a.Norm = NormKind.ParameterFreeLayerNorm;
                    break;
                case "olmo2":
                    a.QkNorm = true;
                    a.QkNormOverHeads = true;
                    break;
                case "stablelm":
                    a.Norm = NormKind.LayerNorm;
                    a.QkvBias = c.OptionalBool("use_qkv_bias") ?? false;
                    a.OutputBias = false;
                    a.ParallelBlock = c.OptionalBool("use_parallel_residual") ?? false;
                    a.NormsPerLayer = a.ParallelBlock ? 1 : 2;
                    a.QkNorm = c.OptionalBool("qk_layernorm") ?? false;
                    a.QkNormOverHeads = a.QkNorm;
                    break;
                case "deepseek_v2":
                case "deepseek_v3":
                    DeepSeek(a, c);
                    break;
            }
            return a;
        }

        /// <summary>The fields every model type names the same way (or under GPT-2's names).</summary>
        internal static ModelArchitecture Common(string modelType, HfConfigFields c)
        {
            int heads = c.Int("num_attention_heads", "n_head");
            return new ModelArchitecture
            {
                ModelType = modelType,
                HiddenSize = c.Int("hidden_size", "n_embd"),
                NumLayers = c.Int("num_hidden_layers", "n_layer"),
                NumHeads = heads,
                NumKvHeads = c.OptionalPositiveInt("num_key_value_heads") ?? heads,
                HeadDim = c.OptionalInt("head_dim") ?? 0,
                VocabSize = c.Int("vocab_size"),
                // The context the model was trained for; counted as parameters only with learned positions (below),
                // read for every model so a longer -SequenceLength is warned about.
                MaxPositions = c.OptionalInt("max_position_embeddings") ?? 0,
                TiedEmbeddings = c.OptionalBool("tie_word_embeddings") ?? TiedByDefault(modelType),
            };
        }

        /// <summary>transformers' default for tie_word_embeddings in each model type's config class.</summary>
        private static bool TiedByDefault(string modelType)
        {
            switch (modelType)
            {
                case "gemma":
                case "gemma2":
                case "gemma3":
                case "gemma3_text":
                case "falcon":
                case "gpt2":
                case "gpt_bigcode":
                case "bert":
                case "opt":
                    return true;
                default:
                    return false;
            }
        }

        private static void QwenExperts(ModelArchitecture a, HfConfigFields c)
        {
            a.Experts = c.Int("num_experts");
            a.ExpertsPerToken = c.Int("num_experts_per_tok");
            a.MoeIntermediateSize = c.Int("moe_intermediate_size");
            if ((c.OptionalInt("decoder_sparse_step") ?? 1) != 1 || c.ArrayLength("mlp_only_layers") > 0)
                throw c.Invalid("decoder_sparse_step", "VramPS models mixture-of-experts in every layer (decoder_sparse_step 1, no mlp_only_layers).");
        }

        private static void DeepSeek(ModelArchitecture a, HfConfigFields c)
        {
            a.Experts = c.OptionalInt("n_routed_experts") ?? 0;
            if (a.Experts > 0)
            {
                a.ExpertsPerToken = c.Int("num_experts_per_tok");
                a.MoeIntermediateSize = c.Int("moe_intermediate_size");
                a.SharedExperts = c.OptionalInt("n_shared_experts") ?? 0;
                a.DenseLayers = c.OptionalInt("first_k_dense_replace") ?? 0;
                if ((c.OptionalInt("moe_layer_freq") ?? 1) != 1)
                    throw c.Invalid("moe_layer_freq", "VramPS models mixture-of-experts in every layer after the first_k_dense_replace ones (moe_layer_freq 1).");
            }
            a.QLoraRank = c.OptionalInt("q_lora_rank") ?? 0;
            a.KvLoraRank = c.Int("kv_lora_rank");
            a.QkNopeHeadDim = c.Int("qk_nope_head_dim");
            a.QkRopeHeadDim = c.Int("qk_rope_head_dim");
            a.VHeadDim = c.Int("v_head_dim");
            a.HeadDim = a.QkNopeHeadDim + a.QkRopeHeadDim;
            a.NumKvHeads = a.NumHeads;
        }

        /// <summary>Gemma 3's language model; a multimodal config nests it under text_config, with Gemma3TextConfig's defaults.</summary>
        private static ModelArchitecture Gemma3Text(HfConfigFields c, string modelType)
        {
            int heads = c.OptionalInt("num_attention_heads") ?? 8;
            return new ModelArchitecture
            {
                ModelType = modelType,
                HiddenSize = c.OptionalInt("hidden_size") ?? 2304,
                IntermediateSize = c.OptionalInt("intermediate_size") ?? 9216,
                NumLayers = c.OptionalInt("num_hidden_layers") ?? 26,
                NumHeads = heads,
                NumKvHeads = c.OptionalPositiveInt("num_key_value_heads") ?? 4,
                HeadDim = c.OptionalInt("head_dim") ?? 256,
                VocabSize = c.OptionalInt("vocab_size") ?? 262208,
                TiedEmbeddings = c.OptionalBool("tie_word_embeddings") ?? true,
                Activation = c.OptionalString("hidden_activation") ?? "gelu_pytorch_tanh",
                NormsPerLayer = 4,
                QkNorm = true,
                AttentionLogitSoftcap = c.OptionalDouble("attn_logit_softcapping") ?? 0,
                FinalLogitSoftcap = c.OptionalDouble("final_logit_softcapping") ?? 0,
                SlidingWindow = c.OptionalInt("sliding_window") ?? 4096,
                MaxPositions = c.OptionalInt("max_position_embeddings") ?? 131072,
            };
        }

        private static ModelArchitecture Gpt2(string modelType, HfConfigFields c)
        {
            var a = Common(modelType, c);
            a.IntermediateSize = c.OptionalInt("n_inner") ?? 4 * a.HiddenSize;
            if (modelType == "gpt_bigcode" && (c.OptionalBool("multi_query") ?? true)) a.NumKvHeads = 1;
            a.MaxPositions = c.Int("n_positions");
            a.Activation = c.OptionalString("activation_function") ?? "gelu_new";
            return PlainLayerNormBlock(a, PositionKind.Learned, bias: true);
        }

        private static ModelArchitecture GptNeox(HfConfigFields c)
        {
            var a = Common("gpt_neox", c);
            a.IntermediateSize = c.Int("intermediate_size");
            a.Activation = c.OptionalString("hidden_act") ?? "gelu";
            PlainLayerNormBlock(a, PositionKind.Rope, bias: true);
            bool attentionBias = c.OptionalBool("attention_bias") ?? true;
            a.QkvBias = attentionBias;
            a.OutputBias = attentionBias;
            a.ParallelBlock = c.OptionalBool("use_parallel_residual") ?? true;
            a.PartialRotaryFactor = c.OptionalDouble("partial_rotary_factor") ?? c.OptionalDouble("rotary_pct") ?? 0.25;
            return a;
        }

        private static ModelArchitecture Falcon(HfConfigFields c)
        {
            var a = Common("falcon", c);
            a.IntermediateSize = c.OptionalInt("ffn_hidden_size") ?? 4 * a.HiddenSize;
            a.Activation = c.OptionalString("activation") ?? "gelu";
            bool newDecoder = c.OptionalBool("new_decoder_architecture") ?? false;
            bool parallel = c.OptionalBool("parallel_attn") ?? true;
            bool multiQuery = c.OptionalBool("multi_query") ?? true;
            a.NumKvHeads = newDecoder ? (c.OptionalInt("num_kv_heads") ?? a.NumHeads) : multiQuery ? 1 : a.NumHeads;
            bool alibi = c.OptionalBool("alibi") ?? false;
            PlainLayerNormBlock(a, alibi ? PositionKind.Alibi : PositionKind.Rope, c.OptionalBool("bias") ?? false);
            a.ParallelBlock = newDecoder || parallel;
            a.NormsPerLayer = newDecoder ? (c.OptionalInt("num_ln_in_parallel_attn") ?? 2) : parallel ? 1 : 2;
            return a;
        }

        private static ModelArchitecture Bert(HfConfigFields c)
        {
            var a = Common("bert", c);
            a.IntermediateSize = c.Int("intermediate_size");
            a.MaxPositions = c.Int("max_position_embeddings");
            a.TypeVocabSize = c.OptionalInt("type_vocab_size") ?? 2;
            a.Activation = c.OptionalString("hidden_act") ?? "gelu";
            PlainLayerNormBlock(a, PositionKind.Learned, bias: true);
            a.Encoder = true;
            a.FinalNorm = false;
            a.LmHeadBias = true;
            return a;
        }

        private static ModelArchitecture Opt(HfConfigFields c)
        {
            const int positionOffset = 2;
            var a = Common("opt", c);
            a.IntermediateSize = c.Int("ffn_dim");
            a.MaxPositions = c.Int("max_position_embeddings") + positionOffset;
            int embedding = c.OptionalInt("word_embed_proj_dim") ?? a.HiddenSize;
            a.EmbeddingDim = embedding == a.HiddenSize ? 0 : embedding;
            a.Activation = c.OptionalString("activation_function") ?? "relu";
            PlainLayerNormBlock(a, PositionKind.Learned, c.OptionalBool("enable_bias") ?? true);
            a.FinalNorm = (c.OptionalBool("do_layer_norm_before") ?? true) && !(c.OptionalBool("_remove_final_layer_norm") ?? false);
            return a;
        }

        private static ModelArchitecture Phi(HfConfigFields c)
        {
            var a = Common("phi", c);
            a.IntermediateSize = c.Int("intermediate_size");
            a.Activation = c.OptionalString("hidden_act") ?? "gelu_new";
            PlainLayerNormBlock(a, PositionKind.Rope, bias: true);
            a.ParallelBlock = true;
            a.NormsPerLayer = 1;
            a.LmHeadBias = true;
            a.QkNorm = c.OptionalBool("qk_layernorm") ?? false;
            a.PartialRotaryFactor = c.OptionalDouble("partial_rotary_factor") ?? 0.5;
            return a;
        }

        /// <summary>Two-matrix MLP, LayerNorm, biases as given: GPT-2, BigCode, NeoX, Falcon, BERT, OPT, Phi.</summary>
        private static ModelArchitecture PlainLayerNormBlock(ModelArchitecture a, PositionKind positions, bool bias)
        {
            a.Mlp = MlpKind.Plain;
            a.Norm = NormKind.LayerNorm;
            a.Positions = positions;
            a.QkvBias = bias;
            a.OutputBias = bias;
            a.MlpBias = bias;
            return a;
        }
    }
}
