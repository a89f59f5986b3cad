using VramPS.Engine.Errors;
using VramPS.Engine.Estimation;
using Xunit;

namespace VramPS.Engine.Tests.Estimation
{
    /// <summary>Byte sums stop at the edge of a signed 64-bit count with the workload error, never a wrapped figure.</summary>
    public class CheckedTests
    {
        [Theory]
        [InlineData(long.MaxValue - 1, 1, long.MaxValue)]
        [InlineData(long.MinValue + 1, -1, long.MinValue)]
        [InlineData(-5, 3, -2)]
        [InlineData(long.MaxValue, long.MinValue, -1)]
        public void Sums_up_to_the_edge_are_exact(long a, long b, long sum) => Assert.Equal(sum, Checked.Add(a, b));

        [Theory]
        [InlineData(long.MaxValue, 1)]
        [InlineData(1, long.MaxValue)]
        [InlineData(long.MinValue, -1)]
        [InlineData(long.MaxValue / 2 + 1, long.MaxValue / 2 + 1)]
        public void Sums_past_the_edge_are_refused(long a, long b)
        {
            var error = Assert.Throws<InvalidWorkloadException>(() => Checked.Add(a, b));
            Assert.Contains("8 EiB", error.Message);
        }

        [Fact]
        public void Four_and_five_terms_add_in_full()
        {
            Assert.Equal(10, Checked.Sum(1, 2, 3, 4));
            Assert.Equal(15, Checked.Sum(1, 2, 3, 4, 5));
            Assert.Throws<InvalidWorkloadException>(() => Checked.Sum(long.MaxValue / 4, long.MaxValue / 4, long.MaxValue / 4, long.MaxValue / 4, long.MaxValue / 4));
        }
    }
}
