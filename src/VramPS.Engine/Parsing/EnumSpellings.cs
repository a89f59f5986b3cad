using System;
using System.Collections.Generic;
using System.Linq;
using VramPS.Engine.Alignment;

namespace VramPS.Engine.Parsing
{
    /// <summary>
    /// The spellings users write for the workload vocabularies. A name matches its enum member ignoring case, spaces,
    /// '-', '_' and '.' (Q-LoRA, zero_3, bf16-mixed); the synonyms below are the other names trainers and docs give
    /// one member, each meaning that member only.
    /// </summary>
    public static class EnumSpellings
    {
        private static readonly Dictionary<Type, KeyValuePair<string, object>[]> Synonyms = new Dictionary<Type, KeyValuePair<string, object>[]>
        {
            // FSDP's default sharding strategy is FULL_SHARD (torch.distributed.fsdp.FullyShardedDataParallel,
            // sharding_strategy=ShardingStrategy.FULL_SHARD), which shards parameters, gradients and optimizer states
            // like ZeRO-3; SHARD_GRAD_OP shards gradients and optimizer states like ZeRO-2; NO_SHARD is plain DDP.
            [typeof(Sharding)] = new[]
            {
                Pair("FSDP", Sharding.Zero3), Pair("FULL_SHARD", Sharding.Zero3), Pair("SHARD_GRAD_OP", Sharding.Zero2),
                Pair("NO_SHARD", Sharding.None), Pair("DDP", Sharding.None),
            },
            // transformers' TrainingArguments.gradient_checkpointing=True recomputes every block (full recomputation).
            [typeof(Checkpointing)] = new[]
            {
                Pair("gradient", Checkpointing.Full), Pair("true", Checkpointing.Full), Pair("false", Checkpointing.None),
            },
            // Lightning's precision strings (lightning.fabric.connector._PRECISION_INPUT): "-true" holds weights in that
            // dtype, "-mixed" autocasts over fp32 weights.
            [typeof(Precision)] = new[]
            {
                Pair("32-true", Precision.Fp32), Pair("16-mixed", Precision.Fp16Mixed),
                Pair("bf16-true", Precision.Bf16), Pair("16-true", Precision.Fp16),
            },
            // transformers' OptimizerNames (training_args.py): the TrainingArguments.optim values for these optimizers.
            [typeof(OptimizerKind)] = new[]
            {
                Pair("adamw_torch", OptimizerKind.AdamW), Pair("adamw_bnb_8bit", OptimizerKind.AdamW8bit),
                Pair("paged_adamw_32bit", OptimizerKind.PagedAdamW), Pair("lion_32bit", OptimizerKind.Lion),
            },
            // transformers' attn_implementation values for the kernels.
            [typeof(AttentionKernel)] = new[]
            {
                Pair("flash_attention_2", AttentionKernel.Flash), Pair("flash_attention_3", AttentionKernel.Flash),
            },
            // Megatron-LM names its default schedule 1F1B (PipeDream-Flush).
            [typeof(PipelineSchedule)] = new[]
            {
                Pair("1F1B", PipelineSchedule.OneFOneB), Pair("interleaved-1F1B", PipelineSchedule.Interleaved),
            },
            // bitsandbytes' load_in_8bit is LLM.int8().
            [typeof(Quantization)] = new[] { Pair("load_in_8bit", Quantization.Int8) },
            [typeof(TrainingStage)] = new[] { Pair("SFT", TrainingStage.Sft) },
        };

        /// <summary>The member a spelling names, or null when it names none.</summary>
        public static object? Find(Type enumType, string text)
        {
            string key = Key(text);
            if (key.Length == 0) return null;
            foreach (string name in Enum.GetNames(enumType))
            {
                if (Key(name) == key) return Enum.Parse(enumType, name);
            }
            if (Synonyms.TryGetValue(enumType, out var synonyms))
            {
                foreach (var synonym in synonyms)
                {
                    if (Key(synonym.Key) == key) return synonym.Value;
                }
            }
            return null;
        }

        /// <summary>The members, each followed by its synonyms in parentheses: "None, Full (gradient, true), Selective".</summary>
        public static string Allowed(Type enumType)
        {
            Synonyms.TryGetValue(enumType, out var synonyms);
            return string.Join(", ", Enum.GetValues(enumType).Cast<object>().Select(member =>
            {
                var others = synonyms?.Where(s => Equals(s.Value, member)).Select(s => s.Key).ToArray() ?? Array.Empty<string>();
                return others.Length == 0 ? member.ToString() : $"{member} ({string.Join(", ", others)})";
            }));
        }

        private static KeyValuePair<string, object> Pair(string spelling, object member) => new KeyValuePair<string, object>(spelling, member);

        private static string Key(string text)
        {
            var key = new System.Text.StringBuilder(text.Length);
            foreach (char c in text)
            {
                if (!char.IsWhiteSpace(c) && c != '-' && c != '_' && c != '.') key.Append(char.ToLowerInvariant(c));
            }
            return key.ToString();
        }
    }
}
