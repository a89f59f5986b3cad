using System;
using System.Text;
using VramPS.Engine.Errors;
using VramPS.Engine.Parsing;
using Xunit;

namespace VramPS.Engine.Tests.Parsing
{
    /// <summary>-Params as users type it: the forms accepted, the forms refused, and no other exception for any text.</summary>
    public sealed class ParameterSizeTests
    {
        [Theory]
        [InlineData("7B", 7_000_000_000)]
        [InlineData("6.7B", 6_700_000_000)]
        [InlineData("125M", 125_000_000)]
        [InlineData("1.5T", 1_500_000_000_000)]
        [InlineData("7e9", 7_000_000_000)]
        [InlineData("7000000000", 7_000_000_000)]
        [InlineData(" 7 b ", 7_000_000_000)]
        [InlineData("7b", 7_000_000_000)]
        [InlineData("7E+9", 7_000_000_000)]
        [InlineData("7.0e9", 7_000_000_000)]
        [InlineData("70e8", 7_000_000_000)]
        [InlineData("7000e-3B", 7_000_000_000)]
        [InlineData("0.5B", 500_000_000)]
        [InlineData(".5B", 500_000_000)]
        [InlineData("1000K", 1_000_000)]
        [InlineData("1M", 1_000_000)]
        [InlineData("100T", 100_000_000_000_000)]
        [InlineData("405B", 405_000_000_000)]
        [InlineData("\t13B\n", 13_000_000_000)]
        [InlineData("007B", 7_000_000_000)]
        [InlineData("1.234567891B", 1_234_567_891)]
        [InlineData("6.738415616B", 6_738_415_616)]
        [InlineData("7.0000000000000000000000000001B", 7_000_000_000)]
        public void Accepts(string text, long expected)
        {
            Assert.Equal(expected, ParameterSize.Parse(text));
        }

        [Theory]
        [InlineData("seven")]
        [InlineData("0")]
        [InlineData("-3B")]
        [InlineData("1e40")]
        [InlineData("")]
        [InlineData("   ")]
        [InlineData("NaN")]
        [InlineData("Infinity")]
        [InlineData("7BB")]
        [InlineData("1,000")]
        [InlineData("+7B")]
        [InlineData("7 B B")]
        [InlineData("7.B")]
        [InlineData(".")]
        [InlineData("B")]
        [InlineData("1e")]
        [InlineData("1e+")]
        [InlineData("7e9.5")]
        [InlineData("7 e9")]
        [InlineData("0x10")]
        [InlineData("7 000")]
        [InlineData("1.5.2B")]
        [InlineData("1K")]
        [InlineData("999999")]
        [InlineData("101T")]
        [InlineData("0.0000000001T")]
        [InlineData("7G")]
        [InlineData("7B\0")]
        [InlineData("\u0667B")]
        [InlineData("７B")]
        [InlineData("1e999999999999")]
        [InlineData("0e999999999999")]
        [InlineData("1e-999999999999")]
        public void Refuses_with_InvalidWorkloadException_for_Params(string text)
        {
            var e = Assert.Throws<InvalidWorkloadException>(() => ParameterSize.Parse(text));
            Assert.Equal("Params", e.Parameter);
        }

        [Fact]
        public void Refuses_null()
        {
            Assert.Equal("Params", Assert.Throws<InvalidWorkloadException>(() => ParameterSize.Parse(null)).Parameter);
        }

        [Fact]
        public void The_message_quotes_the_text_and_lists_the_accepted_forms()
        {
            var e = Assert.Throws<InvalidWorkloadException>(() => ParameterSize.Parse("seven"));
            Assert.Contains("'seven'", e.Message);
            foreach (string form in new[] { "'7B'", "'6.7B'", "'125M'", "'1.5T'", "'7e9'", "'7000000000'", "K, M, B or T" })
                Assert.Contains(form, e.Message);
        }

        [Fact]
        public void The_message_shortens_long_text()
        {
            var e = Assert.Throws<InvalidWorkloadException>(() => ParameterSize.Parse(new string('x', 10_000)));
            Assert.True(e.Message.Length < 400);
        }

        [Fact]
        public void Huge_digit_strings_are_handled_without_overflow()
        {
            Assert.Throws<InvalidWorkloadException>(() => ParameterSize.Parse(new string('9', 1_000_000)));
            Assert.Equal(7_000_000_000, ParameterSize.Parse("0." + new string('0', 100_000) + "7e100001B"));
        }

        [Fact]
        public void Random_text_only_ever_yields_a_count_in_range_or_InvalidWorkloadException()
        {
            const string alphabet = "0123456789012345.eE+-kKmMbBtT  \t,xN\u00A0\u0663７\0";
            var random = new Random(20240611);
            var text = new StringBuilder();
            for (int n = 0; n < 50_000; n++)
            {
                text.Clear();
                int length = random.Next(0, 14);
                for (int i = 0; i < length; i++) text.Append(alphabet[random.Next(alphabet.Length)]);
                try
                {
                    long count = ParameterSize.Parse(text.ToString());
                    Assert.InRange(count, (long)ParameterSize.Min, (long)ParameterSize.Max);
                }
                catch (InvalidWorkloadException e)
                {
                    Assert.Equal("Params", e.Parameter);
                }
            }
        }
    }
}
