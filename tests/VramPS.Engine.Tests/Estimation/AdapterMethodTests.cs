using System.Linq;
using VramPS.Engine.Errors;
using VramPS.Engine.Estimation;
using VramPS.Engine.Models;
using VramPS.Engine.Planning;
using Xunit;

namespace VramPS.Engine.Tests.Estimation
{
    /// <summary>
    /// The adapters of -Adapter on Llama-3.2-3B (hidden 3072, 28 layers, 24 heads, 8 KV heads of 128, MLP 8192) in
    /// peft's method_comparison setup (bf16 base, fp32 adapters, batch 4 x 768, no checkpointing, SDPA). The trainable
    /// counts are the num_trainable_params peft printed for each run (huggingface/peft method_comparison/MetaMathQA/
    /// results/*--llama-3.2-3B-*.json at 5d602fd, quoted in ../shared/validation/peft-methods-dev.csv's Notes).
    /// </summary>
    public class AdapterMethodTests
    {
        private const long Layers = 28;
        private const long Tokens = 4 * 768;

        private static Workload Run(AdapterKind adapter, int? rank = null, string? targets = "q_proj,v_proj") => new Workload(ModelCatalog.Default.Get("meta-llama/Llama-3.2-3B"))
        {
            Method = FinetuneMethod.LoRA, Adapter = adapter, LoraRank = rank, LoraTargets = targets?.Split(','), Framework = Framework.Peft,
            Precision = Precision.Bf16, BatchSize = 4, SequenceLength = 768, Checkpointing = Checkpointing.None, Attention = AttentionKernel.Sdpa,
        };

        private static long Trainable(Workload w) => MemoryEstimator.Estimate(w).TrainableParameters;

        private static long SavedAtForwardEnd(Workload w) => MemoryEstimator.Estimate(w).Phases.Single(p => p.Phase == Phase.ForwardEnd).Activations;

        [Fact]
        public void AdaLoRA_trains_its_initial_rank_with_the_singular_values()
        {
            // adalora--llama-3.2-3B-rank32: init_r 64 on q_proj and v_proj: 28 x 64 x ((3072 + 3072) + (3072 + 1024) + 2).
            var w = Run(AdapterKind.AdaLoRA, targets: "q_proj,v_proj");
            w.AdaLoraInitialRank = 64;
            Assert.Equal(18_353_664, Trainable(w));
            // AdamW's two fp32 moments and RankAllocator's ipt, exp_avg_ipt and exp_avg_unc, fp32 like the adapters.
            Assert.Equal(18_353_664L * (2 + 3) * 4, MemoryEstimator.Estimate(w).OptimizerStates);
        }

        [Fact]
        public void IA3_scales_keys_values_and_the_down_projection_input_by_default()
        {
            // ia3--llama-3.2-3B-default: k_proj and v_proj outputs (1024 each) and down_proj's input (8192).
            Assert.Equal(286_720, Trainable(Run(AdapterKind.IA3, targets: null)));
        }

        [Theory]
        [InlineData(AdapterKind.LoHa, 32, 18_350_080)]  // loha--llama-3.2-3B-rank32
        [InlineData(AdapterKind.DoRA, 32, 9_289_728)]   // lora--llama-3.2-3B-rank32-dora
        [InlineData(AdapterKind.OFT, 32, 8_171_520)]    // oft--llama-3.2-3B-rank32 (32 blocks of 96: 32 x 96 x 95 / 2 per target)
        [InlineData(AdapterKind.VeRA, 256, 129_024)]    // vera--llama-3.2-3B-default
        public void Linear_adapters_train_what_peft_counts(AdapterKind adapter, int rank, long peft)
        {
            Assert.Equal(peft, Trainable(Run(adapter, rank)));
        }

        [Theory]
        [InlineData(AdapterKind.PrefixTuning, 11_468_800)]  // prefixtuning--llama-3.2-3B-lr_0.001: 200 x 28 x 2 x 1024
        [InlineData(AdapterKind.PromptTuning, 614_400)]     // prompt_tuning--llama-3.2-3B-default: 200 x 3072
        public void Virtual_token_methods_train_what_peft_counts(AdapterKind adapter, long peft)
        {
            var w = Run(adapter, targets: null);
            w.VirtualTokens = 200;
            Assert.Equal(peft, Trainable(w));
        }

        /// <summary>
        /// By hand from peft's update_layer of each tuner: LoRA-FA trains only lora_B (out x r); BOFT's boft_R is
        /// (butterfly factors 0 + 1, in / 4, 4, 4) beside boft_s (out); LN tuning copies every block's two RMSNorm weights
        /// and the final norm; the adaption prompt is (1, 10, 3072) plus one gate per block; P-tuning's PromptEncoder is
        /// the 20 x 3072 embedding and Linear(3072, 3072) three times with biases.
        /// </summary>
        [Theory]
        [InlineData(AdapterKind.LoRAFA, 8, 28 * 8 * (3072 + 1024))]
        [InlineData(AdapterKind.BOFT, null, 28 * ((3072 * 4 + 3072) + (3072 * 4 + 1024)))]
        [InlineData(AdapterKind.LNTuning, null, 28 * 2 * 3072 + 3072)]
        [InlineData(AdapterKind.AdaptionPrompt, null, 28 * (10 * 3072 + 1))]
        [InlineData(AdapterKind.PTuning, null, 20 * 3072 + 3 * (3072 * 3072 + 3072))]
        public void Other_adapters_train_what_their_tuner_creates(AdapterKind adapter, int? rank, long expected)
        {
            bool linears = AdapterMethod.WrapsLinears(adapter);
            Assert.Equal(expected, Trainable(Run(adapter, rank, linears ? "q_proj,v_proj" : null)));
        }

        [Fact]
        public void LoKr_splits_each_dimension_into_the_factors_nearest_its_square_root()
        {
            // peft lokr/layer.py factorization(): 3072 = 48 x 64, 1024 = 32 x 32, 8192 = 64 x 128.
            Assert.Equal((48L, 64L), AdapterMethod.Factorize(3072, -1));
            Assert.Equal((32L, 32L), AdapterMethod.Factorize(1024, -1));
            Assert.Equal((64L, 128L), AdapterMethod.Factorize(8192, -1));
            Assert.Equal((4L, 768L), AdapterMethod.Factorize(3072, 4));
            // r 8: w1 full (out_l x in_m), w2 as w2_a (out_k x 8) and w2_b (8 x in_n) since 8 < max(out_k, in_n) / 2.
            // q_proj: 48 x 48 + 64 x 8 + 8 x 64 = 3328; v_proj: 32 x 48 + 32 x 8 + 8 x 64 = 2304.
            Assert.Equal(Layers * (3328 + 2304), Trainable(Run(AdapterKind.LoKr, 8)));
        }

        [Fact]
        public void LoHa_keeps_each_targets_built_fp32_weight_until_backward()
        {
            // F.linear(x.to(fp32), delta_weight) keeps the fp32 input (as LoRA's lora_A does) and the full
            // out x in delta weight; LoRA keeps the rank-wide A output instead (32 fp32 per target and token).
            long delta = Layers * (3072L * 3072 + 1024L * 3072) * 4;
            long loraRankOutputs = Layers * 2 * 32 * 4 * Tokens;
            Assert.Equal(delta - loraRankOutputs, SavedAtForwardEnd(Run(AdapterKind.LoHa, 32)) - SavedAtForwardEnd(Run(AdapterKind.LoRA, 32)));
        }

        [Fact]
        public void DoRA_keeps_the_base_and_LoRA_outputs_of_each_target()
        {
            // dora.py: (mag_norm_scale - 1) * base_result keeps the bf16 base output, mag_norm_scale * lora_result the
            // fp32 LoRA output: 6 bytes per output feature of q_proj (3072) and v_proj (1024).
            long extra = Layers * 6 * (3072 + 1024) * Tokens;
            Assert.Equal(extra, SavedAtForwardEnd(Run(AdapterKind.DoRA, 32)) - SavedAtForwardEnd(Run(AdapterKind.LoRA, 32)));
        }

        [Fact]
        public void Prompt_tuning_runs_every_layer_over_the_virtual_tokens_too()
        {
            var w = Run(AdapterKind.PromptTuning, targets: null);
            w.VirtualTokens = 200;
            var estimate = MemoryEstimator.Estimate(w);
            Assert.Equal(768, estimate.SequenceLength);
            Assert.Contains(estimate.Assumptions, a => a.Contains("968"));
        }

        [Fact]
        public void Adapter_settings_are_refused_where_they_do_not_apply()
        {
            var full = Run(AdapterKind.DoRA, 8);
            full.Method = FinetuneMethod.Full;
            Assert.Equal("Adapter", Assert.Throws<InvalidWorkloadException>(() => MemoryEstimator.Estimate(full)).Parameter);

            var tokens = Run(AdapterKind.DoRA, 8);
            tokens.VirtualTokens = 20;
            Assert.Equal("VirtualTokens", Assert.Throws<InvalidWorkloadException>(() => MemoryEstimator.Estimate(tokens)).Parameter);

            Assert.Equal("LoraRank", Assert.Throws<InvalidWorkloadException>(() => MemoryEstimator.Estimate(Run(AdapterKind.PromptTuning, 8, null))).Parameter);

            var torchtune = Run(AdapterKind.VeRA, 256);
            torchtune.Framework = Framework.Torchtune;
            Assert.Equal("Adapter", Assert.Throws<InvalidWorkloadException>(() => MemoryEstimator.Estimate(torchtune)).Parameter);
        }

        [Fact]
        public void Compare_crosses_the_named_adapters_under_LoRA()
        {
            var w = Run(AdapterKind.LoRA, 32);
            w.Adapter = null;
            var rows = MethodComparer.Compare(w, adapters: new[] { AdapterKind.LoRA, AdapterKind.DoRA, AdapterKind.IA3 });
            Assert.Equal(new AdapterKind?[] { AdapterKind.LoRA, AdapterKind.DoRA, AdapterKind.IA3 }, rows.Select(r => r.Adapter));
            Assert.All(rows, r => Assert.Equal(FinetuneMethod.LoRA, r.Method));
            Assert.True(rows[1].Total > rows[0].Total);
        }
    }
}
