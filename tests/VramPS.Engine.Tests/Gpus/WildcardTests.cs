using VramPS.Engine.Gpus;
using Xunit;

namespace VramPS.Engine.Tests.Gpus
{
    /// <summary>The * and ? matcher behind GpuCatalog.Match, on its own.</summary>
    public sealed class WildcardTests
    {
        [Theory]
        [InlineData("H100", "H100")]
        [InlineData("H100", "*")]
        [InlineData("", "*")]
        [InlineData("", "")]
        [InlineData("H100", "H*")]
        [InlineData("H100", "*00")]
        [InlineData("H100", "H?00")]
        [InlineData("H100", "????")]
        [InlineData("H100", "*1*")]
        [InlineData("AAAB", "*AB")]
        [InlineData("ABAB", "*AB*AB")]
        [InlineData("MI300X", "M*3*X")]
        public void Matches(string text, string pattern)
        {
            Assert.True(Wildcard.IsMatch(text, pattern));
        }

        [Theory]
        [InlineData("H100", "")]
        [InlineData("", "?")]
        [InlineData("H100", "H10")]
        [InlineData("H100", "?????")]
        [InlineData("H100", "*2*")]
        [InlineData("H100", "h100")]
        [InlineData("ABA", "*AB*AB")]
        public void Does_not_match(string text, string pattern)
        {
            Assert.False(Wildcard.IsMatch(text, pattern));
        }

        [Fact]
        public void Many_stars_against_a_long_text_finish_quickly()
        {
            Assert.False(Wildcard.IsMatch(new string('A', 20_000), new string('*', 1000) + "B"));
        }
    }
}
