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
            Assert.True(mape <= 4.7, $"MAPE {mape:F2}%");
            Assert.True(median <= 2.6, $"median {median:F2}%");
            Assert.True(within10 >= 87, $"within 10%: {within10:F0}%");
            Assert.True(errors.Last() <= 26.5, $"worst {errors.Last():F1}%");
        }
    }
}
