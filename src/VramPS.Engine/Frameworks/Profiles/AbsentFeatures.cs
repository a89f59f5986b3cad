namespace VramPS.Engine.Frameworks.Profiles
{
    /// <summary>
    /// Re-cites, as one group, the behaviours of a feature a framework does not have (alignment stages, a rollout engine,
    /// a bitsandbytes base, DeepSpeed's ZeRO engine, mixture-of-experts layers): each keeps the value it had, and takes the
    /// framework's own words for why, so a derived profile shows why they do not apply rather than its base's source.
    /// </summary>
    internal static class AbsentFeatures
    {
        /// <summary>No preference or RL stage: every stage behaviour, the rollout's included, cites <paramref name="source"/>.</summary>
        public static FrameworkProfile WithoutStages(this FrameworkProfile p, string source) => p.WithoutRollout(source) with
        {
            SimPoChosenNll = Restate(p.SimPoChosenNll, source),
            Stages = Restate(p.Stages, source),
            StageCheckpointing = Restate(p.StageCheckpointing, source),
            PreferenceLength = Restate(p.PreferenceLength, source),
            PromptLength = Restate(p.PromptLength, source),
            GenerationLength = Restate(p.GenerationLength, source),
            ReferenceAlwaysCopy = Restate(p.ReferenceAlwaysCopy, source),
            FrozenModelsSixteenBit = Restate(p.FrozenModelsSixteenBit, source),
            SequentialPpoUpdates = Restate(p.SequentialPpoUpdates, source),
            OffloadsBetweenPhases = Restate(p.OffloadsBetweenPhases, source),
            FrozenModelsOnHost = Restate(p.FrozenModelsOnHost, source),
            PrecomputesReference = Restate(p.PrecomputesReference, source),
            DefaultKlCoefficient = Restate(p.DefaultKlCoefficient, source),
            PpoReferenceOnlyWithKl = Restate(p.PpoReferenceOnlyWithKl, source),
            EmaCopy = Restate(p.EmaCopy, source),
            DpoTransformersRelease = Restate(p.DpoTransformersRelease, source),
            GrpoKbitUpcast = Restate(p.GrpoKbitUpcast, source),
            GrpoQuantizedAdapters16Bit = Restate(p.GrpoQuantizedAdapters16Bit, source),
            GrpoLossPerSequence = Restate(p.GrpoLossPerSequence, source),
        };

        /// <summary>No vLLM or SGLang rollout engine: every rollout behaviour cites <paramref name="source"/>.</summary>
        public static FrameworkProfile WithoutRollout(this FrameworkProfile p, string source) => p with
        {
            Generation = Restate(p.Generation, source),
            RolloutFraction = Restate(p.RolloutFraction, source),
            RolloutSharesWeights = Restate(p.RolloutSharesWeights, source),
            RolloutFractionOfFree = Restate(p.RolloutFractionOfFree, source),
            RolloutDefaultFraction = Restate(p.RolloutDefaultFraction, source),
            RolloutServer = Restate(p.RolloutServer, source),
            RolloutSleeps = Restate(p.RolloutSleeps, source),
            RolloutSleepMinimumFraction = Restate(p.RolloutSleepMinimumFraction, source),
        };

        /// <summary>No bitsandbytes base: every behaviour of a quantized base cites <paramref name="source"/>.</summary>
        public static FrameworkProfile WithoutBitsandbytes(this FrameworkProfile p, string source) => p with
        {
            QuantizedBaseOneGpu = Restate(p.QuantizedBaseOneGpu, source),
            DoubleQuant = Restate(p.DoubleQuant, source),
            QuantizesHead = Restate(p.QuantizesHead, source),
            QuantizesFromFp16 = Restate(p.QuantizesFromFp16, source),
            QuantizedInputOutlivesBackward = Restate(p.QuantizedInputOutlivesBackward, source),
            QuantStatisticsUnsharded = Restate(p.QuantStatisticsUnsharded, source),
            QuantizedBaseLoadsWhole = Restate(p.QuantizedBaseLoadsWhole, source),
            Nf4OnlyAdaptedLinears = Restate(p.Nf4OnlyAdaptedLinears, source),
        };

        /// <summary>No DeepSpeed ZeRO engine: its parameter coordinator, 16-bit gradients, sub-groups and buckets cite <paramref name="source"/>.</summary>
        public static FrameworkProfile WithoutDeepSpeed(this FrameworkProfile p, string source) => p with
        {
            ShardsThroughDeepSpeed = Restate(p.ShardsThroughDeepSpeed, source),
            GathersModules = Restate(p.GathersModules, source),
            Zero3ReuseDistance = Restate(p.Zero3ReuseDistance, source),
            Zero3MaxLiveParameters = Restate(p.Zero3MaxLiveParameters, source),
            Zero3PrefetchBucketElements = Restate(p.Zero3PrefetchBucketElements, source),
            ZeroSixteenBitGradients = Restate(p.ZeroSixteenBitGradients, source),
            ZeroSubGroupElements = Restate(p.ZeroSubGroupElements, source),
            ReduceBuffers = Restate(p.ReduceBuffers, source),
            Zero3ReduceBucketFromHiddenSize = Restate(p.Zero3ReduceBucketFromHiddenSize, source),
        };

        /// <summary>No mixture-of-experts layers: a model with experts is refused, and expert splitting, routers, token dispatch and Megatron-Core's unpermute cite <paramref name="source"/>.</summary>
        public static FrameworkProfile WithoutMixtureOfExperts(this FrameworkProfile p, string source) => p with
        {
            BuildsMixtureOfExperts = new Cited<bool>(false, source),
            ExpertsSplitByTensorParallel = Restate(p.ExpertsSplitByTensorParallel, source),
            RecomputedUnpermuteAwaitsGc = Restate(p.RecomputedUnpermuteAwaitsGc, source),
            Fp32RouterProbs = Restate(p.Fp32RouterProbs, source),
            AllToAllTokenDispatcher = Restate(p.AllToAllTokenDispatcher, source),
        };

        private static Cited<T> Restate<T>(Cited<T> behaviour, string source) => new Cited<T>(behaviour.Value, source, behaviour.Assumption);
    }
}
