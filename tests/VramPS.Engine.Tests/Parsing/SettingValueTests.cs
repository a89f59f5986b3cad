using System;
using VramPS.Engine.Errors;
using VramPS.Engine.Parsing;
using Xunit;

namespace VramPS.Engine.Tests.Parsing
{
    /// <summary>
    /// Settings as CSV cells, command lines and typed properties give them: what reads, what is refused, and that a
    /// refusal always lists what is allowed.
    /// </summary>
    public sealed class SettingValueTests
    {
        [Theory]
        [InlineData("4096", 4096)]
        [InlineData(" 2048 ", 2048)]
        // k = 1024, as context lengths are named: Llama 3.1's "128K context" is max_position_embeddings 131072.
        [InlineData("4k", 4 * 1024)]
        [InlineData("32k", 32 * 1024)]
        [InlineData("128K", 128 * 1024)]
        [InlineData("1.5k", 1536)]
        [InlineData("4 k", 4096)]
        public void ReadsTokenLengths(string text, int tokens) => Assert.Equal(tokens, SettingValue.TokenLength(text));

        [Theory]
        [InlineData("4x")]
        [InlineData("k")]
        [InlineData("4kk")]
        [InlineData("0.1k")]
        [InlineData("-4k")]
        [InlineData("4m")]
        [InlineData("2097152k")]
        public void RefusesOtherLengths(string text)
        {
            var e = Assert.Throws<InvalidSettingValueException>(() => SettingValue.TokenLength(text));
            Assert.Equal(text, e.Value);
            Assert.Contains("4k, 32k, 128k (k = 1024)", e.Message);
        }

        [Theory]
        [InlineData("abc")]
        [InlineData("4x")]
        [InlineData("4k")]
        [InlineData("99999999999")]
        [InlineData("2.5")]
        [InlineData("1e3")]
        public void RefusesWhatIsNotAWholeNumber(string text)
        {
            var e = Assert.Throws<InvalidSettingValueException>(() => SettingValue.WholeNumber(text));
            Assert.Equal($"'{text}' is not a whole number. Allowed: a whole number up to 2147483647.", e.Message);
        }

        [Fact]
        public void ReadsWholeNumbersFromTextAndTypedValues()
        {
            Assert.Equal(4, SettingValue.WholeNumber("4"));
            Assert.Equal(4, SettingValue.WholeNumber(4L));
            Assert.Equal(4, SettingValue.WholeNumber(4.0));
            Assert.Throws<InvalidSettingValueException>(() => SettingValue.WholeNumber(4.5));
            Assert.Throws<InvalidSettingValueException>(() => SettingValue.WholeNumber(99_999_999_999L));
            Assert.Throws<InvalidSettingValueException>(() => SettingValue.WholeNumber(double.NaN));
        }

        [Theory]
        [InlineData(null)]
        [InlineData("")]
        [InlineData("   ")]
        public void ReadsBlankAsNotGiven(string? text)
        {
            Assert.Null(SettingValue.WholeNumber(text));
            Assert.Null(SettingValue.TokenLength(text));
            Assert.Null(SettingValue.Number(text));
            Assert.Null(SettingValue.Switch(text));
            Assert.Null(SettingValue.EnumMember(typeof(Sharding), text));
            Assert.Null(SettingValue.Flags(typeof(Techniques), text));
        }

        [Theory]
        [InlineData(typeof(FinetuneMethod), "qlora", FinetuneMethod.QLoRA)]
        [InlineData(typeof(FinetuneMethod), "Q-LoRA", FinetuneMethod.QLoRA)]
        [InlineData(typeof(Sharding), "FSDP", Sharding.Zero3)]
        [InlineData(typeof(Sharding), "ZeRO-3", Sharding.Zero3)]
        [InlineData(typeof(Sharding), "shard_grad_op", Sharding.Zero2)]
        [InlineData(typeof(Checkpointing), "gradient", Checkpointing.Full)]
        [InlineData(typeof(Checkpointing), "full", Checkpointing.Full)]
        [InlineData(typeof(Precision), "bf16-mixed", Precision.Bf16Mixed)]
        [InlineData(typeof(Precision), "bf16-true", Precision.Bf16)]
        [InlineData(typeof(OptimizerKind), "paged_adamw_8bit", OptimizerKind.PagedAdamW8bit)]
        [InlineData(typeof(OptimizerKind), "adamw_torch", OptimizerKind.AdamW)]
        [InlineData(typeof(AttentionKernel), "flash_attention_2", AttentionKernel.Flash)]
        [InlineData(typeof(PipelineSchedule), "1F1B", PipelineSchedule.OneFOneB)]
        public void ReadsNamesAndSynonyms(Type enumType, string text, object member) =>
            Assert.Equal(member, SettingValue.EnumMember(enumType, text));

        [Theory]
        [InlineData(typeof(FinetuneMethod), "QLoar")]
        [InlineData(typeof(Precision), "99")]
        [InlineData(typeof(Precision), "1")]
        [InlineData(typeof(Sharding), "FDSP")]
        [InlineData(typeof(Quantization), "4bit")]
        public void RefusesOtherNamesListingTheMembers(Type enumType, string text)
        {
            var e = Assert.Throws<InvalidSettingValueException>(() => SettingValue.EnumMember(enumType, text));
            foreach (string name in Enum.GetNames(enumType)) Assert.Contains(name, e.Allowed);
        }

        [Fact]
        public void RefusesAnEnumValueNoMemberHas() =>
            Assert.Throws<InvalidSettingValueException>(() => SettingValue.EnumMember(typeof(Precision), (Precision)99));

        [Fact]
        public void ListsSynonymsBesideTheirMember() =>
            Assert.Equal("None (NO_SHARD, DDP), Zero1, Zero2 (SHARD_GRAD_OP), Zero3 (FSDP, FULL_SHARD)", EnumSpellings.Allowed(typeof(Sharding)));

        [Fact]
        public void ReadsFlagListsStrictly()
        {
            Assert.Equal(Techniques.ChunkedLoss | Techniques.Compile, SettingValue.Flags(typeof(Techniques), "ChunkedLoss, compile"));
            Assert.Equal(Techniques.ChunkedLoss | Techniques.Compile, SettingValue.Flags(typeof(Techniques), new object[] { "ChunkedLoss", "Compile" }));
            Assert.Throws<InvalidSettingValueException>(() => SettingValue.Flags(typeof(Techniques), "ChunkedLoss,Bogus"));
            Assert.Throws<InvalidSettingValueException>(() => SettingValue.Flags(typeof(Techniques), (Techniques)1024));
        }

        [Theory]
        [InlineData("True", true)]
        [InlineData("false", false)]
        [InlineData("yes", true)]
        [InlineData("0", false)]
        public void ReadsSwitches(string text, bool on) => Assert.Equal(on, SettingValue.Switch(text));

        [Fact]
        public void RefusesOtherSwitchText() => Assert.Throws<InvalidSettingValueException>(() => SettingValue.Switch("maybe"));

        [Theory]
        [InlineData("0.5", 0.5)]
        [InlineData("1e-3", 0.001)]
        public void ReadsNumbersInTheInvariantCulture(string text, double number) => Assert.Equal(number, SettingValue.Number(text));

        [Theory]
        [InlineData("0,5")]
        [InlineData("NaN")]
        [InlineData("half")]
        public void RefusesOtherNumbers(string text) => Assert.Throws<InvalidSettingValueException>(() => SettingValue.Number(text));
    }
}
