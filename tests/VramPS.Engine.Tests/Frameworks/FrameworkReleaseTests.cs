using System;
using System.Linq;
using VramPS.Engine.Errors;
using VramPS.Engine.Estimation;
using VramPS.Engine.Frameworks;
using VramPS.Engine.Models;
using Xunit;

namespace VramPS.Engine.Tests.Frameworks
{
    /// <summary>
    /// -FrameworkVersion: the profile as of a release applies the behaviours it dates, each read from the framework's
    /// git history (pytorch/torchtitan, Lightning-AI/litgpt); without one the profile's baseline holds.
    /// </summary>
    public class FrameworkReleaseTests
    {
        /// <summary>The titan-trainy rows of scale-dev (benchmarks/llama3-8b_h200_202506_trainy-whitefiber.md): Llama 3.1 8B, 2 x 8192 tokens, FSDP over 32 GPUs, op-level AC, compiled.</summary>
        private static Workload Trainy(string? release) =>
            new Workload(ModelCatalog.Default.Get("meta-llama/Llama-3.1-8B"))
            {
                Framework = Framework.Torchtitan, Method = FinetuneMethod.Full, Precision = Precision.Bf16Mixed, BatchSize = 2,
                SequenceLength = 8192, GpuCount = 32, Sharding = Sharding.Zero3, Checkpointing = Checkpointing.Selective,
                Attention = AttentionKernel.Sdpa, Techniques = Techniques.Compile,
                FrameworkVersion = release is null ? null : FrameworkVersion.Parse(release, "FrameworkVersion"),
            };

        /// <summary>
        /// train.py@e10cb94 compiles the loss, e8977b0 comments it out (the 9dec370 baseline), bbb1b61's
        /// build_cross_entropy_loss compiles it again. Compiled, cross_entropy(pred.float()) fuses the upcast: the loss
        /// keeps the 16-bit logits (2 bytes) and backward adds their 16-bit gradient (2); eager, 2 + 4 + 4 forward and 12 backward.
        /// </summary>
        [Theory]
        [InlineData("2024-10-22", true)]
        [InlineData("2024-12-17", true)]
        [InlineData("2024-12-18", false)]
        [InlineData("2024-12-26", false)]
        [InlineData("2025-04-01", false)]
        [InlineData("2025-04-02", true)]
        [InlineData("2025-06-11", true)]
        [InlineData("v0.1.0", true)]
        [InlineData("0.2", true)]
        public void Torchtitan_compiles_the_loss_in_the_releases_that_did(string release, bool compiled)
        {
            var t = new TrainerBehavior(new ResolvedRecipe(Trainy(release)));
            Assert.Equal(compiled ? 2 : 2 + 4 + 4, t.Logits.ForwardPeak);
            Assert.Equal(compiled ? 2 + 2 : 4 + 4 + 4, t.Logits.BackwardPeak);
            // Eager, the bf16 logits (2) and their fp32 copy (4), freed before backward just below the saved log-softmax,
            // hold one of its two fp32 gradients: the bf16 logits' 2 bytes stay cached. Compiled, nothing is freed first.
            Assert.Equal(compiled ? 0 : 2, t.Logits.StrandedAtBackward);
        }

        [Fact]
        public void A_compiled_loss_holds_8_bytes_less_per_logit_at_the_peak_and_strands_none()
        {
            // 2 x 8192 tokens x 128256 vocabulary entries, 12 bytes each in the eager backward, 4 compiled; eager, the
            // freed bf16 logits (2 bytes) below the saved log-softmax are cached where neither fp32 gradient fits, while
            // the compiled loss saves its bf16 input and frees nothing before backward.
            long logits = 2L * 8192 * 128256;
            var eager = MemoryEstimator.Estimate(Trainy(null));
            var compiled = MemoryEstimator.Estimate(Trainy("2025-06-11"));
            Assert.Equal(8 * logits, eager.Allocated - compiled.Allocated);
            Assert.Equal((8 + 2) * logits, eager.Total - compiled.Total);
        }

        [Fact]
        public void Without_a_release_the_baseline_holds_and_a_warning_says_what_later_releases_do()
        {
            var e = MemoryEstimator.Estimate(Trainy(null));
            Assert.Contains(e.Assumptions, a => a.StartsWith("torchtitan as of 9dec370 (2024-12-26)", StringComparison.Ordinal));
            // One warning per later change this run's mechanisms meet: the compiled loss, and the embedding and head
            // sharded apart (83e6941), which every run sharded over several ranks meets.
            var warnings = e.Warnings.Where(x => x.Contains("-FrameworkVersion")).ToList();
            Assert.Equal(2, warnings.Count);
            Assert.Contains(warnings, x => x.Contains("from bbb1b61 (2025-04-02) on") && x.Contains("compiles the loss"));
            Assert.Contains(warnings, x => x.Contains("from 83e6941 (2025-07-28) on") && x.Contains("units of their own"));
            var eager = Trainy(null);
            eager.Techniques = Techniques.None;
            var eagerWarning = Assert.Single(MemoryEstimator.Estimate(eager).Warnings, x => x.Contains("-FrameworkVersion"));
            Assert.DoesNotContain("compiles the loss", eagerWarning);
            var named = MemoryEstimator.Estimate(Trainy("2025-06-11"));
            Assert.DoesNotContain(named.Warnings, x => x.Contains("-FrameworkVersion"));
            Assert.Contains(named.Assumptions, a => a.StartsWith("torchtitan as of a checkout of 2025-06-11", StringComparison.Ordinal) && a.Contains("bbb1b61"));
            Assert.Equal("2025-06-11", named.FrameworkVersion);
        }

        [Fact]
        public void No_warning_where_the_later_release_leaves_the_total_where_it_is()
        {
            // One GPU holding Llama 3.1 8B's fp32 weights, gradients and AdamW states (16 bytes x 8.0e9 parameters) peaks
            // at the optimizer step, after the loss's logits are gone: the compiled loss cannot move the Total.
            var w = Trainy(null);
            w.GpuCount = 1;
            w.Sharding = null;
            w.Precision = Precision.Fp32; // what one GPU trains before 0b44d4c's autocast (TorchtitanRunnableTests)
            w.BatchSize = 1;
            w.SequenceLength = 2048;
            var e = MemoryEstimator.Estimate(w);
            Assert.Equal(Phase.OptimizerStep, e.PeakPhase);
            w.FrameworkVersion = FrameworkVersion.Parse("2025-06-11", "FrameworkVersion");
            Assert.Equal(e.Total, MemoryEstimator.Estimate(w).Total);
            Assert.DoesNotContain(e.Warnings, x => x.Contains("-FrameworkVersion"));
        }

        /// <summary>measured-dev's litgpt-pd-falcon7b-lora-alpacafull: Falcon-7B (71 query heads, one key/value head, 32 layers), LoRA, 1 x 1079 tokens.</summary>
        private static Workload Falcon(string? release, string model = "tiiuae/falcon-7b") =>
            new Workload(ModelCatalog.Default.Get(model))
            {
                Framework = Framework.Litgpt, Method = FinetuneMethod.LoRA, Precision = Precision.Bf16, BatchSize = 1, SequenceLength = 1079,
                Checkpointing = Checkpointing.None, Attention = AttentionKernel.Sdpa, LoraRank = 8,
                FrameworkVersion = release is null ? null : FrameworkVersion.Parse(release, "FrameworkVersion"),
            };

        private static long ForwardEnd(Workload w) => MemoryEstimator.Estimate(w).Phases.Single(p => p.Phase == Phase.ForwardEnd).Activations;

        [Fact]
        public void Lit_gpt_before_50b1974b_keeps_a_multi_query_models_16_bit_probabilities()
        {
            // lit_gpt/model.py@29de2828 leaves Falcon's one k/v head unexpanded; SDPA's math kernel keeps the bf16 softmax
            // output, 71 heads x 1079 x 1079 x 2 bytes per layer, and none of the fused kernel's fp32 log-sum-exp
            // (71 heads x 1079 x 4 bytes).
            long perLayer = 71L * 1079 * 1079 * 2 - 71L * 1079 * 4;
            Assert.Equal(32 * perLayer, ForwardEnd(Falcon("2023-09-27")) - ForwardEnd(Falcon(null)));
            Assert.Equal(0, ForwardEnd(Falcon("2023-10-24")) - ForwardEnd(Falcon(null)));
            Assert.Equal(0, ForwardEnd(Falcon("v0.4.0")) - ForwardEnd(Falcon(null)));
            // litgpt 0.1.0 and 0.2.0 were published before its git tags (pyproject.toml at 2bcb2c3e, 2024-03-11, and
            // 34fc98c2, 2024-03-15), both after 50b1974b.
            Assert.Equal(0, ForwardEnd(Falcon("0.1.0")) - ForwardEnd(Falcon(null)));
            Assert.Equal(0, ForwardEnd(Falcon("0.2.0")) - ForwardEnd(Falcon(null)));
        }

        [Fact]
        public void Lit_gpt_expanded_grouped_query_heads_already_so_they_keep_the_fused_kernel()
        {
            // "if self.config.n_query_groups != 1": only multi-query models went unexpanded.
            var w = Falcon("2023-09-27", "meta-llama/Llama-2-7b-hf");
            var none = Falcon(null, "meta-llama/Llama-2-7b-hf");
            Assert.Equal(ForwardEnd(none), ForwardEnd(w));
            Assert.DoesNotContain(MemoryEstimator.Estimate(Falcon(null)).Warnings, x => x.Contains("-FrameworkVersion"));
        }

        [Fact]
        public void A_profile_without_releases_refuses_one_naming_the_parameter()
        {
            var w = Falcon("0.4.0");
            w.Framework = Framework.HfTrainer;
            var e = Assert.Throws<InvalidWorkloadException>(() => MemoryEstimator.Estimate(w));
            Assert.Equal("FrameworkVersion", e.Parameter);
            Assert.Contains("lists no releases", e.Message);
            Assert.Contains("litgpt", e.Message);
        }

        [Theory]
        [InlineData("0.9.9", "is no release litgpt published")]
        [InlineData("2023-06-22", "is before 69b65ac4 (2023-06-23)")]
        [InlineData("9999-12-31", "is in the future")]
        public void A_release_the_profile_does_not_cover_is_refused_with_the_allowed_forms(string release, string says)
        {
            var e = Assert.Throws<InvalidWorkloadException>(() => MemoryEstimator.Estimate(Falcon(release)));
            Assert.Equal("FrameworkVersion", e.Parameter);
            Assert.Contains(says, e.Message);
            Assert.Contains("yyyy-MM-dd", e.Message);
            Assert.Contains("v0.5.4", e.Message);
        }

        [Theory]
        [InlineData("0.4.13", "0.4.13")]
        [InlineData("v0.1", "0.1.0")]
        [InlineData(" 2025-06-11 ", "2025-06-11")]
        [InlineData("2025-13-01", null)]
        [InlineData("2025/06/11", null)]
        [InlineData("0.4.x", null)]
        [InlineData("banana", null)]
        [InlineData("\u0660.4.0", null)]
        [InlineData("", null)]
        public void Reads_a_published_version_or_a_checkout_date_and_nothing_else(string text, string? read)
        {
            Assert.Equal(read != null, FrameworkVersion.TryParse(text, out var v));
            Assert.Equal(read, v?.ToString());
        }

        [Fact]
        public void Each_profiles_baseline_is_its_stated_behaviour_and_each_change_cites_its_commits()
        {
            foreach (var p in FrameworkProfiles.All.Where(p => p.Releases != null))
            {
                var h = p.Releases!;
                Assert.DoesNotContain(h.Changes, c => c.Covers(h.Baseline.Date));
                Assert.All(h.Changes, c => Assert.True(c.From.Date >= h.Earliest.Date && c.Source.Length > 0 && c.From.Commit.Length >= 7));
                Assert.Equal(h.Published.OrderBy(r => r.Date), h.Published);
            }
        }
    }
}
