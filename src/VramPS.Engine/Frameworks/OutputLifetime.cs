namespace VramPS.Engine.Frameworks
{
    /// <summary>How long a training loop keeps the model's output, and the logits in it, once the loss is taken.</summary>
    public enum OutputLifetime
    {
        /// <summary>Released before backward: the loop keeps only the loss (transformers' Trainer).</summary>
        UntilLoss,
        /// <summary>Kept through backward and the optimizer step, then released (fsdp_qlora's output = None).</summary>
        ThroughStep,
        /// <summary>Kept until the next forward returns and rebinds the variable: the previous step's logits sit beside that forward (DeepSpeed-Chat).</summary>
        UntilNextForward,
    }
}
