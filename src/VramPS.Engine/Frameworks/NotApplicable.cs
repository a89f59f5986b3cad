namespace VramPS.Engine.Frameworks
{
    /// <summary>
    /// Re-cites a group of behaviours a framework has no use for (alignment stages, DeepSpeed's ZeRO engine, mixture of
    /// experts) in that framework's own words, keeping each value the engine reads, so a derived profile shows why they
    /// do not apply rather than its base's source.
    /// </summary>
    internal static class NotApplicable
    {
        private static Cited<T> Because<T>(Cited<T> behaviour, string why) => new Cited<T>(behaviour.Value, why, behaviour.Assumption);

        /// <summary>The preference and RL stages' behaviours (Alignment/StageRecipe reads them).</summary>
        public static FrameworkProfile Alignment(FrameworkProfile p, string why) => p with
        {
            SimPoChosenNll = Because(p.SimPoChosenNll, why),
            PrecomputesReference = Because(p.PrecomputesReference, why),
            Stages = Because(p.Stages, why),
            DpoTransformersRelease = Because(p.DpoTransformersRelease, why),
            StageCheckpointing = Because(p.StageCheckpointing, why),
            PreferenceLength = Because(p.PreferenceLength, why),
            PromptLength = Because(p.PromptLength, why),
            GenerationLength = Because(p.GenerationLength, why),
            ReferenceAlwaysCopy = Because(p.ReferenceAlwaysCopy, why),
            FrozenModelsSixteenBit = Because(p.FrozenModelsSixteenBit, why),
            SequentialPpoUpdates = Because(p.SequentialPpoUpdates, why),
            OffloadsBetweenPhases = Because(p.OffloadsBetweenPhases, why),
            FrozenModelsOnHost = Because(p.FrozenModelsOnHost, why),
            Generation = Because(p.Generation, why),
            RolloutFraction = Because(p.RolloutFraction, why),
            EmaCopy = Because(p.EmaCopy, why),
            DefaultKlCoefficient = Because(p.DefaultKlCoefficient, why),
            PpoReferenceOnlyWithKl = Because(p.PpoReferenceOnlyWithKl, why),
            GrpoKbitUpcast = Because(p.GrpoKbitUpcast, why),
            GrpoQuantizedAdapters16Bit = Because(p.GrpoQuantizedAdapters16Bit, why),
            GrpoLossPerSequence = Because(p.GrpoLossPerSequence, why),
            RolloutSharesWeights = Because(p.RolloutSharesWeights, why),
            RolloutFractionOfFree = Because(p.RolloutFractionOfFree, why),
            RolloutDefaultFraction = Because(p.RolloutDefaultFraction, why),
            RolloutServer = Because(p.RolloutServer, why),
            RolloutSleeps = Because(p.RolloutSleeps, why),
            RolloutSleepMinimumFraction = Because(p.RolloutSleepMinimumFraction, why),
        };

        /// <summary>DeepSpeed ZeRO's engine: its parameter coordinator, 16-bit gradients, sub-groups and buckets.</summary>
        public static FrameworkProfile DeepSpeed(FrameworkProfile p, string why) => p with
        {
            ShardsThroughDeepSpeed = Because(p.ShardsThroughDeepSpeed, why),
            GathersModules = Because(p.GathersModules, why),
            Zero3ReuseDistance = Because(p.Zero3ReuseDistance, why),
            Zero3MaxLiveParameters = Because(p.Zero3MaxLiveParameters, why),
            Zero3PrefetchBucketElements = Because(p.Zero3PrefetchBucketElements, why),
            ZeroSixteenBitGradients = Because(p.ZeroSixteenBitGradients, why),
            ZeroSubGroupElements = Because(p.ZeroSubGroupElements, why),
            ReduceBuffers = Because(p.ReduceBuffers, why),
            Zero3ReduceBucketFromHiddenSize = Because(p.Zero3ReduceBucketFromHiddenSize, why),
        };

        /// <summary>Mixture-of-experts layers: expert splitting, routers, token dispatch, Megatron-Core's unpermute.</summary>
        public static FrameworkProfile MixtureOfExperts(FrameworkProfile p, string why) => p with
        {
            ExpertsSplitByTensorParallel = Because(p.ExpertsSplitByTensorParallel, why),
            RecomputedUnpermuteAwaitsGc = Because(p.RecomputedUnpermuteAwaitsGc, why),
            Fp32RouterProbs = Because(p.Fp32RouterProbs, why),
            AllToAllTokenDispatcher = Because(p.AllToAllTokenDispatcher, why),
        };
    }
}
