using System;
using System.Collections.Generic;
using System.Linq;
using VramPS.Engine.Errors;

namespace VramPS.Engine
{
    /// <summary>Framework names as users and the validation CSV spell them (HF-Trainer, LLaMA-Factory ...).</summary>
    public static class FrameworkNames
    {
        private static readonly KeyValuePair<Framework, string>[] Names =
        {
            new KeyValuePair<Framework, string>(Framework.HfTrainer, "HF-Trainer"),
            new KeyValuePair<Framework, string>(Framework.Torchtune, "torchtune"),
            new KeyValuePair<Framework, string>(Framework.Litgpt, "litgpt"),
            new KeyValuePair<Framework, string>(Framework.Peft, "peft"),
            new KeyValuePair<Framework, string>(Framework.Axolotl, "axolotl"),
            new KeyValuePair<Framework, string>(Framework.LlamaFactory, "LLaMA-Factory"),
            new KeyValuePair<Framework, string>(Framework.FsdpQlora, "fsdp_qlora"),
            new KeyValuePair<Framework, string>(Framework.FmsAcceleration, "fms-acceleration"),
            new KeyValuePair<Framework, string>(Framework.Unsloth, "Unsloth"),
        };

        /// <summary>Every accepted spelling, in catalog order.</summary>
        public static IReadOnlyList<string> All { get; } = Names.Select(n => n.Value).ToArray();

        public static string ToName(Framework framework)
        {
            foreach (var n in Names)
            {
                if (n.Key == framework) return n.Value;
            }
            throw new ArgumentOutOfRangeException(nameof(framework), framework, "Not a framework VramPS knows.");
        }

        /// <summary>Parses a name case-insensitively; the enum identifier (HfTrainer) is accepted too.</summary>
        public static Framework Parse(string value)
        {
            foreach (var n in Names)
            {
                if (string.Equals(n.Value, value, StringComparison.OrdinalIgnoreCase)
                    || string.Equals(n.Key.ToString(), value, StringComparison.OrdinalIgnoreCase))
                {
                    return n.Key;
                }
            }
            throw new InvalidWorkloadException("Framework",
                $"-Framework '{value}' is not known. Allowed: {string.Join(", ", All)}.");
        }
    }
}
