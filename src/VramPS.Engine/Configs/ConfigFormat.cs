namespace VramPS.Engine.Configs
{
    /// <summary>The config formats Import-TrainingConfig reads; each has one reader in Readers/.</summary>
    public enum ConfigFormat
    {
        /// <summary>axolotl's YAML (axolotl train config.yml).</summary>
        Axolotl,
        /// <summary>LLaMA-Factory's YAML (llamafactory-cli train config.yaml).</summary>
        LlamaFactory,
        /// <summary>TRL's YAML (trl sft/dpo/grpo --config) or a Hugging Face TrainingArguments JSON.</summary>
        Trl,
        /// <summary>torchtune's recipe YAML (tune run recipe --config).</summary>
        Torchtune,
        /// <summary>litgpt's finetune YAML (litgpt finetune_lora --config).</summary>
        Litgpt,
        /// <summary>A DeepSpeed config JSON.</summary>
        DeepSpeed,
        /// <summary>An accelerate config YAML (accelerate launch --config_file).</summary>
        Accelerate,
        /// <summary>ms-swift's argument file (swift sft / swift rlhf config.yaml, or a run's args.json).</summary>
        MsSwift,
    }
}
