namespace VramPS.Engine.Configs
{
    /// <summary>Wording shared by the readers' refusals.</summary>
    internal static class ConfigVocabulary
    {
        /// <summary>
        /// A vision-language (or other multimodal) model: Get-TrainingMemory estimates them from -ImageSize and
        /// -ImagesPerSample, which the readers do not take from a config yet, so the run is refused rather than
        /// estimated as text only.
        /// </summary>
        public const string VisionLanguage =
            "a vision-language model from its config (the image settings are not read from configs yet: give Get-TrainingMemory -Model with -ImageSize and -ImagesPerSample)";
    }
}
