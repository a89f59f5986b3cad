using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Runtime.CompilerServices;
using VramPS.Engine.Alignment;
using VramPS.Engine.Errors;
using VramPS.Engine.Estimation;
using VramPS.Engine.Gpus;
using VramPS.Engine.Models;
using VramPS.Engine.Planning;
using Xunit;

namespace VramPS.Engine.Tests.Accuracy
{
    /// <summary>
    /// Each estimate's Low and High against the dev set itself: the ratios measured / estimated are recomputed here
    /// from tests/data/measured-dev.csv and the estimator, so neither the embedded error file nor the range can drift.
    /// </summary>
    public class ErrorRangeTests
    {
        private static readonly Lazy<List<(DevRow Row, double EstimatedGiB)>> Scored = new Lazy<List<(DevRow, double)>>(() =>
            DevSet.Load().Select(r => (r, r.EstimatedGiB(MemoryEstimator.Estimate(r.ToWorkload(ModelCatalog.Default))))).ToList());

        [Fact]
        public void TheEmbeddedErrorsAreTheDevSetsErrorsToday()
        {
            string path = Path.Combine(Here(), "..", "..", "..", "src", "VramPS.Engine", "Catalogs", ErrorRange.EmbeddedName);
            var file = ErrorRange.Parse(File.ReadAllText(path)).ToDictionary(x => x.Id);
            var stale = Scored.Value
                .Where(s => !file.TryGetValue(s.Row.Id, out var f) || Math.Abs(f.ErrorPercent - (s.EstimatedGiB - s.Row.MeasuredGiB) / s.Row.MeasuredGiB * 100) > 0.006
                    || f.Framework != s.Row.Cells["Framework"] || f.Method != s.Row.Cells["Method"] || f.MeasureKind != s.Row.Cells["MeasureKind"])
                .Select(s => s.Row.Id).ToList();
            Assert.True(stale.Count == 0 && file.Count == Scored.Value.Count,
                $"{ErrorRange.EmbeddedName} is stale ({string.Join(", ", stale.Take(10))}; {file.Count} lines for {Scored.Value.Count} runs): run tools/Update-ValidationErrors.ps1 and rebuild.");
        }

        [Fact]
        public void ACoveredKindTakesItsRunsQuantilesAtTheConfidence()
        {
            // 29 HF-Trainer LoRA runs: at 0.9, type-7 quantiles sit at (29 - 1) x 0.05 = 1.4 and (29 - 1) x 0.95 = 26.6.
            var ratios = Ratios(s => s.Row.Cells["Framework"] == "HF-Trainer" && s.Row.Cells["Method"] == "LoRA");
            Assert.Equal(29, ratios.Length);
            double low = ratios[1] + 0.4 * (ratios[2] - ratios[1]);
            double high = ratios[26] + 0.6 * (ratios[27] - ratios[26]);

            var e = MemoryEstimator.Estimate(new Workload(ModelCatalog.Default.Get("meta-llama/Llama-2-7b-hf")) { Method = FinetuneMethod.LoRA });
            Assert.True(e.Range.Covered);
            Assert.Equal(0.9, e.Confidence);
            Assert.Equal(29, e.Range.Runs);
            Near(low, e.Range.LowRatio);
            Near(high, e.Range.HighRatio);
            Near(low, e.Low / (double)e.Total);
            Near(high, e.High / (double)e.Total);
            Assert.True(e.Low < e.Total && e.Total < e.High);
            Assert.Contains("29 validation runs of HF-Trainer LoRA", e.RangeBasis);

            // At 0.5 the quantiles are the quartiles: 28 x 0.25 = 7, 28 x 0.75 = 21.
            var half = e.Range.At(0.5);
            Near(ratios[7], half.LowRatio);
            Near(ratios[21], half.HighRatio);
        }

        [Fact]
        public void AKindWithTooFewRunsIsWidenedToTheMethodsWorstErrors()
        {
            // torchtune QLoRA has two dev runs: fewer than five, so every QLoRA run of any framework, at its extremes.
            var ratios = Ratios(s => s.Row.Cells["Method"] == "QLoRA");
            var e = MemoryEstimator.Estimate(new Workload(ModelCatalog.Default.Get("meta-llama/Llama-2-7b-hf"))
            {
                Method = FinetuneMethod.QLoRA,
                Framework = Framework.Torchtune,
            });
            Assert.False(e.Range.Covered);
            Assert.Equal(ratios.Length, e.Range.Runs);
            Near(ratios.First(), e.Range.LowRatio);
            Near(ratios.Last(), e.Range.HighRatio);
            Near(e.Range.HighRatio, e.Range.At(0.5).HighRatio);
            Assert.Contains("no validation run (or fewer than 5) is of torchtune QLoRA", e.RangeBasis);
        }

        [Fact]
        public void AnAlignmentStageIsWidenedToEveryRunsWorstErrors()
        {
            var ratios = Ratios(_ => true);
            var e = MemoryEstimator.Estimate(new Workload(ModelCatalog.Default.Get("meta-llama/Llama-2-7b-hf"))
            {
                Method = FinetuneMethod.LoRA,
                Stage = TrainingStage.Dpo,
            });
            Assert.False(e.Range.Covered);
            Near(ratios.First(), e.Range.LowRatio);
            Near(ratios.Last(), e.Range.HighRatio);
            Assert.Contains("no validation run is a Dpo stage", e.RangeBasis);
        }

        [Fact]
        public void FindFitsAgainstTheHighEndAtTheConfidenceAsked()
        {
            var w = new Workload(ModelCatalog.Default.Get("meta-llama/Llama-2-7b-hf")) { Method = FinetuneMethod.LoRA, SequenceLength = 1024 };
            var probe = w.Clone();
            probe.Gpu = Gpu(80L << 30);
            var e = MemoryEstimator.Estimate(probe);
            var between = Gpu((e.Total + e.High) / 2);

            var plain = GpuFitFinder.Find(w, new[] { between }).Single();
            var careful = GpuFitFinder.Find(w, new[] { between }, confidence: 0.9).Single();
            Assert.True(plain.Fits);
            Assert.Equal(e.Total, plain.Need);
            Assert.False(careful.Fits);
            Assert.Equal(e.High, careful.Need);
            Assert.Equal(between.MemoryBytes - e.High, careful.Headroom);
            Assert.Equal(2, careful.GpusNeeded);

            var refusal = Assert.Throws<InvalidWorkloadException>(() => GpuFitFinder.Find(w, new[] { between }, confidence: 1.0));
            Assert.Equal("Confidence", refusal.Parameter);
        }

        /// <summary>Within the rounding of the embedded errors (0.01 percent).</summary>
        private static void Near(double expected, double actual) => Assert.InRange(actual, expected - 1e-4, expected + 1e-4);

        private static GpuSpec Gpu(long memory) => new GpuSpec
        {
            Name = "Test-GPU",
            Vendor = "Test",
            MemoryBytes = memory,
            SupportsBf16 = true,
            ContextBytes = 500L << 20,
        };

        private static double[] Ratios(Func<(DevRow Row, double EstimatedGiB), bool> kind) =>
            Scored.Value.Where(kind).Select(s => s.Row.MeasuredGiB / s.EstimatedGiB).OrderBy(r => r).ToArray();

        private static string Here([CallerFilePath] string path = "") => Path.GetDirectoryName(path)!;
    }
}
