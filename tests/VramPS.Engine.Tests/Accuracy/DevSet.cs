using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Runtime.CompilerServices;
using VramPS.Engine.Estimation;
using VramPS.Engine.Gpus;
using VramPS.Engine.Models;

namespace VramPS.Engine.Tests.Accuracy
{
    /// <summary>One measured run of tests/data/measured-dev.csv (the ../shared/validation contract) and its estimate.</summary>
    internal sealed class DevRow
    {
        public DevRow(IReadOnlyDictionary<string, string> cells)
        {
            Cells = cells;
        }

        public IReadOnlyDictionary<string, string> Cells { get; }
        public string Id => Cells["Id"];
        public double MeasuredGiB => double.Parse(Cells["MeasuredGiB"], System.Globalization.CultureInfo.InvariantCulture);

        public Workload ToWorkload(ModelCatalog catalog)
        {
            var w = new Workload(catalog.Get(Cells["Model"]))
            {
                ModelName = Cells["Model"],
                Method = Enum.Parse<FinetuneMethod>(Cells["Method"]),
                Precision = EnumOrNull<Precision>("Precision"),
                Optimizer = EnumOrNull<OptimizerKind>("Optimizer"),
                BatchSize = IntOrNull("BatchSize"),
                SequenceLength = IntOrNull("SequenceLength"),
                GradientAccumulation = IntOrNull("GradientAccumulation"),
                Checkpointing = EnumOrNull<Checkpointing>("Checkpointing"),
                Attention = EnumOrNull<AttentionKernel>("Attention"),
                LoraRank = IntOrNull("LoraRank"),
                LoraTargets = Cells["LoraTargets"].Length == 0 ? null : Cells["LoraTargets"].Split(','),
                Quantization = EnumOrNull<Quantization>("Quantization"),
                GpuCount = IntOrNull("GpuCount"),
                Sharding = EnumOrNull<Sharding>("Sharding"),
                Offload = EnumOrNull<Offload>("Offload"),
                Techniques = Cells["Techniques"].Length == 0 ? Techniques.None : Enum.Parse<Techniques>(Cells["Techniques"]),
                Framework = FrameworkNames.Parse(Cells["Framework"]),
            };
            return w;
        }

        /// <summary>The estimate's figure of the row's MeasureKind in GiB: Allocated, Reserved, or Total for Device.</summary>
        public double EstimatedGiB(TrainingMemoryEstimate e) => Cells["MeasureKind"] switch
        {
            "Allocated" => e.Allocated,
            "Reserved" => e.Reserved,
            _ => e.Total,
        } / (double)(1L << 30);

        private T? EnumOrNull<T>(string column) where T : struct, Enum =>
            Cells[column].Length == 0 ? null : Enum.Parse<T>(Cells[column]);

        private int? IntOrNull(string column) => Cells[column].Length == 0 ? null : int.Parse(Cells[column]);
    }

    /// <summary>Reads the project's copy of the shared dev set, or another file of tests/data in its contract: the scored rows (neither Estimate nor Incomplete).</summary>
    internal static class DevSet
    {
        public static IReadOnlyList<DevRow> Load(string file = "measured-dev.csv", [CallerFilePath] string here = "")
        {
            string path = Path.Combine(Path.GetDirectoryName(here)!, "..", "..", "data", file);
            var records = CsvRecords.Parse(path, File.ReadAllText(path));
            var header = records[0].Fields;
            return records.Skip(1)
                .Select(r => new DevRow(header.Zip(r.Fields, (h, v) => (h, v)).ToDictionary(x => x.h, x => x.v)))
                .Where(r => r.Cells["Quality"] != "Estimate" && r.Cells["Quality"] != "Incomplete")
                .ToList();
        }
    }
}
