namespace VramPS.Engine.Frameworks.Profiles
{
    /// <summary>IBM's fms-hf-tuning with fms-acceleration's plugins (accelerated-peft, fused ops and kernels).</summary>
    internal static class FmsAcceleration
    {
        public static FrameworkProfile Profile { get; } = HfTrainer.Profile with
        {
            Framework = Framework.FmsAcceleration,
            Name = "fms-acceleration",
            UnslothTakesRuns = new Cited<bool>(false, "fms-acceleration's plugins are the run's own kernels and sharding; switching is a different stack"),
            Summary = "fms-hf-tuning with fms-acceleration (accelerated-peft, fused ops and kernels)",
            Versions = "fms-acceleration 0.4-0.6",
            KbitPreparationUpcast = new Cited<bool>(false, "fms-acceleration plugins/accelerated-peft: the model is prepared without prepare_model_for_kbit_training"),
            LoraDropout = new Cited<double>(0.05, "fms-hf-tuning tuning/config/peft_config.py LoraConfig lora_dropout 0.05"),
            FusedKernelsFuseLora = new Cited<bool>(true, "fms-acceleration plugins/fused-ops-and-kernels: fused LoRA over the QKV and MLP inputs"),
        };
    }
}
