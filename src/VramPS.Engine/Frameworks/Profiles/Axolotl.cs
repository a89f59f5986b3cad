namespace VramPS.Engine.Frameworks.Profiles
{
    /// <summary>axolotl: transformers' Trainer with peft, configured by YAML; every behaviour as HF-Trainer.</summary>
    internal static class Axolotl
    {
        public static FrameworkProfile Profile { get; } = HfTrainer.Profile with
        {
            Framework = Framework.Axolotl,
            Name = "axolotl",
            UnslothTakesRuns = new Cited<bool>(false, "axolotl's own recipe (its YAML and plugins) is the run; Unsloth does not load it"),
            Summary = "axolotl (transformers Trainer, peft, prepare_model_for_kbit_training)",
            Versions = "axolotl 0.4-0.9",
            KbitPreparationUpcast = new Cited<bool>(true, "axolotl src/axolotl/loaders/model.py calls peft's prepare_model_for_kbit_training for QLoRA"),
            LoraDropout = new Cited<double>(0.0, "axolotl config schema: lora_dropout 0.0"),
        };
    }
}
