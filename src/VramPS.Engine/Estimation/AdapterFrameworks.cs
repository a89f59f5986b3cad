using System.Linq;

namespace VramPS.Engine.Estimation
{
    /// <summary>
    /// Which trainers offer which adapter. The peft-based stacks (the Trainer and TRL, peft, axolotl, LLaMA-Factory,
    /// fms-acceleration, Unsloth, DeepSpeed over a transformers model) take any peft config; torchtune has LoRA and
    /// DoRA (torchtune/modules/peft: LoRALinear, DoRALinear); fsdp_qlora has LoRA and DoRA (train.py --train_type
    /// lora, qlora, custom_qlora, hqq_dora, bnb_dora); litgpt and Megatron-LM only LoRA here.
    /// </summary>
    internal static class AdapterFrameworks
    {
        private static readonly AdapterKind[] LoraAndDora = { AdapterKind.LoRA, AdapterKind.DoRA };

        public static bool Offers(Framework framework, AdapterKind kind) =>
            Allowed(framework) is not { } allowed || allowed.Contains(kind);

        public static string Refusal(Framework framework, AdapterKind kind) =>
            $"-Framework {FrameworkNames.ToName(framework)} has no {kind} adapter. Allowed with it: -Adapter {string.Join(", ", Allowed(framework)!)}; every adapter runs under peft (-Framework peft, HF-Trainer, axolotl, LLaMA-Factory).";

        /// <summary>The adapters a framework offers; null where every peft adapter is.</summary>
        private static AdapterKind[]? Allowed(Framework framework)
        {
            switch (framework)
            {
                case Framework.Torchtune:
                case Framework.FsdpQlora:
                    return LoraAndDora;
                case Framework.Litgpt:
                case Framework.MegatronLM:
                    return new[] { AdapterKind.LoRA };
                default:
                    return null;
            }
        }
    }
}
