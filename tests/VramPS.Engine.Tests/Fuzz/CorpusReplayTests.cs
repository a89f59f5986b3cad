using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Runtime.CompilerServices;
using Xunit;

namespace VramPS.Engine.Tests.Fuzz
{
    /// <summary>
    /// Every input that once failed a fuzz target, kept under Corpus/&lt;target&gt;/, replayed through that target: each
    /// must now give a result or a clean refusal. Corpus/README.md says what each one found.
    /// </summary>
    public sealed class CorpusReplayTests : IDisposable
    {
        private readonly Gpus.TempFolder _scratch = new Gpus.TempFolder();

        public void Dispose() => _scratch.Dispose();

        public static IEnumerable<object[]> Inputs() =>
            FuzzTargets.Names
                .Where(target => Directory.Exists(Path.Combine(CorpusFolder(), target)))
                .SelectMany(target => Directory.GetFiles(Path.Combine(CorpusFolder(), target))
                    .OrderBy(f => f, StringComparer.Ordinal)
                    .Select(file => new object[] { target, Path.GetFileName(file) }));

        [Theory]
        [MemberData(nameof(Inputs))]
        public void A_once_failing_input_now_gives_a_result_or_a_clean_refusal(string target, string file)
        {
            var input = File.ReadAllBytes(Path.Combine(CorpusFolder(), target, file));
            Assert.Null(FuzzHarness.Check(FuzzTargets.Get(target, _scratch.Path), input));
        }

        [Fact]
        public void Every_corpus_folder_is_a_fuzz_target()
        {
            var folders = Directory.GetDirectories(CorpusFolder()).Select(Path.GetFileName);
            Assert.All(folders, folder => Assert.Contains(folder, FuzzTargets.Names));
        }

        private static string CorpusFolder([CallerFilePath] string source = "") =>
            Path.Combine(Path.GetDirectoryName(source)!, "Corpus");
    }
}
