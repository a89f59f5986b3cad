namespace VramPS.Engine.Frameworks.Profiles
{
    /// <summary>
    /// The behaviours that transformers' model code decides, for a framework that trains transformers models in its own
    /// loop: each keeps its value and cites HF-Trainer's source of it behind the framework's own words for how it gets there.
    /// </summary>
    internal static class TransformersModelCode
    {
        /// <summary>Every model-code behaviour cites <paramref name="how"/> followed by the transformers source HF-Trainer's profile names.</summary>
        public static FrameworkProfile TrainingTransformersModels(this FrameworkProfile p, string how) => p with
        {
            AllToAllTokenDispatcher = Borrow(p.AllToAllTokenDispatcher, how, HfTrainer.Profile.AllToAllTokenDispatcher),
            AttentionFromRelease = Borrow(p.AttentionFromRelease, how, HfTrainer.Profile.AttentionFromRelease),
            AttentionKernels = Borrow(p.AttentionKernels, how, HfTrainer.Profile.AttentionKernels),
            ChunkedHead = Borrow(p.ChunkedHead, how, HfTrainer.Profile.ChunkedHead),
            CompilesLoss = Borrow(p.CompilesLoss, how, HfTrainer.Profile.CompilesLoss),
            DefaultAttention = Borrow(p.DefaultAttention, how, HfTrainer.Profile.DefaultAttention),
            DefaultVisionTraining = Borrow(p.DefaultVisionTraining, how, HfTrainer.Profile.DefaultVisionTraining),
            Fp32RouterProbs = Borrow(p.Fp32RouterProbs, how, HfTrainer.Profile.Fp32RouterProbs),
            FrozenHeadChunkTokens = Borrow(p.FrozenHeadChunkTokens, how, HfTrainer.Profile.FrozenHeadChunkTokens),
            FusedActivation = Borrow(p.FusedActivation, how, HfTrainer.Profile.FusedActivation),
            FusedNorms = Borrow(p.FusedNorms, how, HfTrainer.Profile.FusedNorms),
            FusedQkvAdapters = Borrow(p.FusedQkvAdapters, how, HfTrainer.Profile.FusedQkvAdapters),
            FusedSoftmax = Borrow(p.FusedSoftmax, how, HfTrainer.Profile.FusedSoftmax),
            GeluNewInPython = Borrow(p.GeluNewInPython, how, HfTrainer.Profile.GeluNewInPython),
            KeepsModelCache = Borrow(p.KeepsModelCache, how, HfTrainer.Profile.KeepsModelCache),
            LossPath = Borrow(p.LossPath, how, HfTrainer.Profile.LossPath),
            RecomputedUnpermuteAwaitsGc = Borrow(p.RecomputedUnpermuteAwaitsGc, how, HfTrainer.Profile.RecomputedUnpermuteAwaitsGc),
            SdpaMathForMultiQuery = Borrow(p.SdpaMathForMultiQuery, how, HfTrainer.Profile.SdpaMathForMultiQuery),
            SeparateHead = Borrow(p.SeparateHead, how, HfTrainer.Profile.SeparateHead),
            SoftcapAttentionByHand = Borrow(p.SoftcapAttentionByHand, how, HfTrainer.Profile.SoftcapAttentionByHand),
            TransformersRelease = Borrow(p.TransformersRelease, how, HfTrainer.Profile.TransformersRelease),
        };

        private static Cited<T> Borrow<T>(Cited<T> behaviour, string how, Cited<T> transformers) =>
            new Cited<T>(behaviour.Value, how + transformers.Source, behaviour.Assumption);
    }
}
