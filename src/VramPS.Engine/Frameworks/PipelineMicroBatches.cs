namespace VramPS.Engine.Frameworks
{
    /// <summary>How a framework's pipeline divides -BatchSize into the micro-batches of a step.</summary>
    public enum PipelineMicroBatches
    {
        /// <summary>-BatchSize is the micro-batch and -GradientAccumulation the micro-batches per step (Megatron-LM).</summary>
        Given,
        /// <summary>-BatchSize is the local batch, split into one micro-batch per pipeline rank.</summary>
        OnePerRank,
        /// <summary>-BatchSize is the local batch, split into one micro-batch per stage (ranks x virtual stages).</summary>
        OnePerStage,
        /// <summary>-BatchSize is the local batch, split into micro-batches of one sample.</summary>
        OneSample,
    }
}
