using VramPS.Engine.Planning;
using Xunit;

namespace VramPS.Engine.Tests.Planning
{
    public class BisectionTests
    {
        [Theory]
        [InlineData(1, 1)]
        [InlineData(1, 2)]
        [InlineData(1, 3)]
        [InlineData(1, 1000)]
        [InlineData(4, 4)]
        [InlineData(4, 13)]
        [InlineData(1, 65536)]
        public void Largest_finds_the_last_fitting_value(int known, int last)
        {
            Assert.Equal(last, Bisection.Largest(known, 65536, b => b <= last));
        }

        [Fact]
        public void Largest_stops_at_the_limit()
        {
            Assert.Equal(100, Bisection.Largest(3, 100, b => true));
        }

        [Fact]
        public void Largest_asks_logarithmically_often()
        {
            int asked = 0;
            Bisection.Largest(1, 65536, b => { asked++; return b <= 5000; });
            Assert.InRange(asked, 1, 30);
        }
    }
}
