using System;
using System.Linq;
using System.Text;
using Newtonsoft.Json;
using Newtonsoft.Json.Converters;
using VramPS.Engine.Gpus;
using VramPS.Engine.Models;

namespace VramPS.Engine.Tests.Fuzz
{
    /// <summary>
    /// A workload as the estimator fuzz draws it and as its corpus stores it (JSON): a -Params size or a catalog model,
    /// and every knob, from ordinary values to the extremes (int.MaxValue tokens, 100T parameters, rank 1e6, 100000
    /// GPUs), null meaning "not given".
    /// </summary>
    internal sealed class WorkloadSpec
    {
        private static readonly JsonSerializerSettings Json = new JsonSerializerSettings
        {
            NullValueHandling = NullValueHandling.Ignore,
            Converters = { new StringEnumConverter() },
        };

        public long? Params { get; set; }
        public string? Model { get; set; }
        public FinetuneMethod Method { get; set; }
        public Precision? Precision { get; set; }
        public OptimizerKind? Optimizer { get; set; }
        public int? BatchSize { get; set; }
        public int? SequenceLength { get; set; }
        public int? GradientAccumulation { get; set; }
        public Checkpointing? Checkpointing { get; set; }
        public AttentionKernel? Attention { get; set; }
        public int? LoraRank { get; set; }
        public string[]? LoraTargets { get; set; }
        public Quantization? Quantization { get; set; }
        public int? TrainableLayers { get; set; }
        public int? GpuCount { get; set; }
        public Sharding? Sharding { get; set; }
        public Offload? Offload { get; set; }
        public Techniques Techniques { get; set; }
        public Framework? Framework { get; set; }
        public string? Gpu { get; set; }

        public byte[] ToBytes() => Encoding.UTF8.GetBytes(JsonConvert.SerializeObject(this, Json));

        public static WorkloadSpec FromBytes(byte[] bytes) =>
            JsonConvert.DeserializeObject<WorkloadSpec>(Encoding.UTF8.GetString(bytes), Json)
            ?? throw new InvalidOperationException("An empty workload spec.");

        public Workload ToWorkload() =>
            new Workload(Params is long size ? ModelArchitecture.LlamaLike(size) : ModelCatalog.Default.Get(Model ?? ""))
            {
                Method = Method,
                Precision = Precision,
                Optimizer = Optimizer,
                BatchSize = BatchSize,
                SequenceLength = SequenceLength,
                GradientAccumulation = GradientAccumulation,
                Checkpointing = Checkpointing,
                Attention = Attention,
                LoraRank = LoraRank,
                LoraTargets = LoraTargets,
                Quantization = Quantization,
                TrainableLayers = TrainableLayers,
                GpuCount = GpuCount,
                Sharding = Sharding,
                Offload = Offload,
                Techniques = Techniques,
                Framework = Framework,
                Gpu = Gpu is null ? null : GpuCatalog.Default.Get(Gpu),
            };

        /// <summary>A random workload: every knob from ordinary values to the extremes, activation offload included.</summary>
        public static WorkloadSpec Draw(Random rng)
        {
            var models = ModelCatalog.Default.All;
            var gpus = GpuCatalog.Default.All;
            return new WorkloadSpec
            {
                Params = rng.Next(10) < 7 ? (rng.Next(10) == 0 ? 100_000_000_000_000 : (long)Math.Pow(10, 6 + 8 * rng.NextDouble())) : (long?)null,
                Model = models[rng.Next(models.Count)].Id,
                Method = Pick<FinetuneMethod>(rng),
                Precision = Maybe(rng, () => Pick<Precision>(rng)),
                Optimizer = Maybe(rng, () => Pick<OptimizerKind>(rng)),
                BatchSize = Count(rng, 64),
                SequenceLength = Count(rng, 32768),
                GradientAccumulation = Count(rng, 64),
                Checkpointing = Maybe(rng, () => Pick<Checkpointing>(rng)),
                Attention = Maybe(rng, () => Pick<AttentionKernel>(rng)),
                LoraRank = rng.Next(4) == 0 ? 1_000_000 : Count(rng, 256),
                LoraTargets = rng.Next(6) switch
                {
                    0 => new[] { "all-linear" },
                    1 => new[] { "q_proj", "v_proj", "lm_head" },
                    2 => new[] { "gate_proj,up_proj,down_proj" },
                    3 => new[] { "no_such_module" },
                    _ => null,
                },
                Quantization = Maybe(rng, () => Pick<Quantization>(rng)),
                TrainableLayers = Count(rng, 200),
                GpuCount = rng.Next(5) == 0 ? 100_000 : Count(rng, 64),
                Sharding = Maybe(rng, () => Pick<Sharding>(rng)),
                Offload = Maybe(rng, () => Pick<Offload>(rng)),
                Techniques = (Techniques)rng.Next(1 << Enum.GetValues(typeof(Techniques)).Length),
                Framework = Maybe(rng, () => Pick<Framework>(rng)),
                Gpu = rng.Next(2) == 0 ? gpus[rng.Next(gpus.Count)].Name : null,
            };
        }

        private static T Pick<T>(Random rng) where T : struct, Enum
        {
            var values = Enum.GetValues(typeof(T)).Cast<T>().ToArray();
            return values[rng.Next(values.Length)];
        }

        private static T? Maybe<T>(Random rng, Func<T> value) where T : struct => rng.Next(3) == 0 ? (T?)null : value();

        /// <summary>Not given, an ordinary count, anything up to int.MaxValue, int.MaxValue itself, or a bad 0 or -1.</summary>
        private static int? Count(Random rng, int ordinary) => rng.Next(12) switch
        {
            0 => null,
            1 => int.MaxValue,
            2 => rng.Next(int.MaxValue),
            3 => rng.Next(2) - 1,
            4 => 1 << rng.Next(31),
            _ => 1 + rng.Next(ordinary),
        };
    }
}
