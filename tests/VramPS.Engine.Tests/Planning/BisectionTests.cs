using System.Collections.Generic;
using VramPS.Engine.Planning;
using Xunit;

namespace VramPS.Engine.Tests.Planning
{
    public class BisectionTests
    {
        [Theory]
        [InlineData(1, 64, 1)]
        [InlineData(1, 64, 2)]
        [InlineData(1, 64, 37)]
        [InlineData(1, 64, 64)]
        [InlineData(2, 64, 2)]
        [InlineData(2, 7, 5)]
        public void Smallest_finds_the_threshold(int low, int high, int threshold)
        {
            Assert.Equal(threshold, Bisection.Smallest(low, high, n => n >= threshold));
        }

        [Fact]
        public void Smallest_is_null_when_even_the_top_does_not_fit()
        {
            Assert.Null(Bisection.Smallest(2, 64, n => n >= 65));
        }

        [Fact]
        public void Smallest_is_null_for_an_empty_range()
        {
            Assert.Null(Bisection.Smallest(2, 1, n => true));
        }

        [Fact]
        public void Smallest_returns_a_value_it_saw_fit_even_when_the_answer_is_not_monotone()
        {
            var seen = new HashSet<int>();
            int? found = Bisection.Smallest(1, 64, n =>
            {
                bool fits = n == 64 || n % 2 == 1 && n > 40;
                if (fits) seen.Add(n);
                return fits;
            });
            Assert.NotNull(found);
            Assert.Contains(found!.Value, seen);
        }

        [Fact]
        public void Smallest_asks_logarithmically_often()
        {
            int asked = 0;
            Bisection.Smallest(1, 1024, n => { asked++; return n >= 300; });
            Assert.InRange(asked, 1, 12);
        }

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
