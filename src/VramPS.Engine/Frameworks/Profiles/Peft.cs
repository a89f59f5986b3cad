using System;

namespace VramPS.Engine.Frameworks.Profiles
{
    /// <summary>peft's own benchmarks: transformers' Trainer on transformers 5; every other behaviour as HF-Trainer.</summary>
    internal static class Peft
    {
        public static FrameworkProfile Profile { get; } = HfTrainer.Profile with
        {
            Framework = Framework.Peft,
            Name = "peft",
            Summary = "peft's method_comparison benchmarks over transformers' Trainer",
            Versions = "peft 0.17, transformers 5.x",
            TransformersRelease = new Cited<Version?>(new Version(5, 0),
                "peft method_comparison/ results run on transformers 5 (ForCausalLMLoss shifts the labels)",
                "transformers 5: the loss shifts labels, not logits"),
            AutocastsSixteenBitModel = new Cited<bool>(false, "peft method_comparison/MetaMathQA/run.py: use_amp false, so a 16-bit model runs without autocast"),
        };
    }
}
