using System;
using System.Linq;
using VramPS.Engine.Estimation;
using VramPS.Engine.Models;
using Xunit;
using Xunit.Abstractions;

namespace VramPS.Engine.Tests.Accuracy
{
    /// <summary>
    /// Pins the model's accuracy on the published measured runs of tests/data/measured-dev.csv so that a change
    /// cannot make it worse unnoticed. The bounds sit just above the figures the model reaches today (see README).
    /// </summary>
    public class AccuracyTests
    {
        private readonly ITestOutputHelper _output;

        public AccuracyTests(ITestOutputHelper output)
        {
            _output = output;
        }

        [Fact]
        public void EveryDevRowIsEstimatedWithinTheDocumentedBounds()
        {
            var rows = DevSet.Load();
            var errors = rows.Select(r =>
            {
                var e = MemoryEstimator.Estimate(r.ToWorkload(ModelCatalog.Default));
                double err = (r.EstimatedGiB(e) - r.MeasuredGiB) / r.MeasuredGiB * 100;
                _output.WriteLine($"{r.Id,-36} {err,7:F1}%");
                return Math.Abs(err);
            }).OrderBy(x => x).ToList();

            double mape = errors.Average();
            double median = errors[(errors.Count - 1) / 2];
            double within10 = 100.0 * errors.Count(x => x <= 10) / errors.Count;
            _output.WriteLine($"rows {errors.Count}: MAPE {mape:F1}% median {median:F1}% worst {errors.Last():F1}% within 10% {within10:F0}%");

            Assert.Equal(163, errors.Count);
            Assert.True(mape <= 7.0, $"MAPE {mape:F2}%");
            Assert.True(median <= 4.5, $"median {median:F2}%");
            // 74, not 75: litgpt's QLoRA load no longer charges the whole 16-bit model (Lightning quantizes each linear
            // as it is created and loaded), which uncovered the step's own underestimate on eight litgpt QLoRA rows.
            Assert.True(within10 >= 74, $"within 10%: {within10:F0}%");
            Assert.True(errors.Last() <= 30, $"worst {errors.Last():F1}%");
        }
    }
}
