using System.Collections.Generic;
using VramPS.Engine.Alignment;

namespace VramPS.Engine.Configs
{
    /// <summary>
    /// One run a config file describes, as Get-TrainingMemory's parameters: each property is named after the parameter
    /// it binds to when piped (Model or ConfigPath names the model), null where the config leaves the setting to
    /// VramPS's defaults. <see cref="Source"/> says where every setting came from.
    /// </summary>
    public sealed class TrainingConfigRun
    {
        private readonly IReadOnlyDictionary<string, object> _values;

        internal TrainingConfigRun(string file, ConfigFormat format, IReadOnlyDictionary<string, object> values, ConfigSource source)
        {
            File = file;
            Format = format;
            _values = values;
            Source = source;
        }

        /// <summary>The config file the run was read from (the first, when others were referenced from it).</summary>
        public string File { get; }

        public ConfigFormat Format { get; }

        /// <summary>
        /// A catalog name (a Hugging Face id) for -Model; null when the model is a local folder (ConfigPath). Internal:
        /// Import-TrainingConfig adds the one of Model and ConfigPath that is set as a property of its output, since a
        /// null Model or ConfigPath property stops PowerShell binding the run to a cmdlet that validates them.
        /// </summary>
        internal string? Model => Get<string>(nameof(Model));

        /// <summary>The config.json of a local model folder, for -ConfigPath.</summary>
        internal string? ConfigPath => Get<string>(nameof(ConfigPath));

        public FinetuneMethod? Method => Value<FinetuneMethod>(nameof(Method));
        public Precision? Precision => Value<Precision>(nameof(Precision));
        public OptimizerKind? Optimizer => Value<OptimizerKind>(nameof(Optimizer));
        public int? BatchSize => Value<int>(nameof(BatchSize));
        public int? SequenceLength => Value<int>(nameof(SequenceLength));
        public int? GradientAccumulation => Value<int>(nameof(GradientAccumulation));
        public Checkpointing? Checkpointing => Value<Checkpointing>(nameof(Checkpointing));
        public AttentionKernel? Attention => Value<AttentionKernel>(nameof(Attention));
        public int? LoraRank => Value<int>(nameof(LoraRank));
        /// <summary>Comma-separated, as -LoraTargets takes it and as Export-Csv writes it.</summary>
        public string? LoraTargets => Get<string[]>(nameof(LoraTargets)) is string[] t ? string.Join(",", t) : null;
        public Quantization? Quantization => Value<Quantization>(nameof(Quantization));
        public int? TrainableLayers => Value<int>(nameof(TrainableLayers));
        public int? GpuCount => Value<int>(nameof(GpuCount));
        public Sharding? Sharding => Value<Sharding>(nameof(Sharding));
        public int? TensorParallel => Value<int>(nameof(TensorParallel));
        public int? ContextParallel => Value<int>(nameof(ContextParallel));
        public Offload? Offload => Value<Offload>(nameof(Offload));
        public Techniques? Techniques => Value<Techniques>(nameof(Techniques));
        public string? Framework => Get<string>(nameof(Framework));
        public TrainingStage? Stage => Value<TrainingStage>(nameof(Stage));
        public int? NumGenerations => Value<int>(nameof(NumGenerations));
        public int? PromptLength => Value<int>(nameof(PromptLength));
        public int? GenerationLength => Value<int>(nameof(GenerationLength));

        /// <summary>Where each setting came from: the file and key, or the trainer default and its citation.</summary>
        public ConfigSource Source { get; }

        private T? Get<T>(string name) where T : class => _values.TryGetValue(name, out var v) ? (T)v : null;

        private T? Value<T>(string name) where T : struct => _values.TryGetValue(name, out var v) ? (T)v : (T?)null;
    }
}
