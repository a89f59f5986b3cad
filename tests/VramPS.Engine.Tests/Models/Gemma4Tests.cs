using System.Linq;
using VramPS.Engine.Estimation;
using VramPS.Engine.Models;
using Xunit;

namespace VramPS.Engine.Tests.Models
{
    /// <summary>
    /// Gemma 4 (transformers models/gemma4/modeling_gemma4.py, configuration_gemma4.py): global-attention blocks among the
    /// sliding ones, per-layer embeddings, double-wide MLPs, the audio tower and fused experts, counted by hand from the
    /// modules and pinned against what Unsloth's Gemma 4 notebooks print (unslothai/notebooks@bdda2ef, Transformers 5.5.0).
    /// </summary>
    public sealed class Gemma4Tests
    {
        private static ModelArchitecture Model(string id) => ModelCatalog.Default.Get(id);

        [Fact]
        public void GlobalAttentionIsEveryFifthBlockOfE2BAndEverySixthOfTheOthers()
        {
            // layer_types: E2B four sliding_attention then one full_attention; E4B, 26B-A4B and 31B five then one; the last global.
            Assert.Equal(new[] { 4, 9, 14, 19, 24, 29, 34 },
                Enumerable.Range(0, 35).Where(i => Model("google/gemma-4-E2B-it").MixerOf(i) == MixerKind.GlobalAttention));
            var m = Model("google/gemma-4-31B-it");
            Assert.Equal(Enumerable.Range(0, 10).Select(i => 6 * i + 5),
                Enumerable.Range(0, 60).Where(i => m.MixerOf(i) == MixerKind.GlobalAttention));
        }

        [Fact]
        public void ThirtyOneBGlobalBlocksHaveWideHeadsAndNoValueProjection()
        {
            var m = Model("google/gemma-4-31B-it");
            // attention_k_eq_v: q_proj 5376 -> 32 x 512, k_proj 5376 -> 4 x 512, no v_proj, o_proj 16384 -> 5376.
            Assert.Equal("q_proj:16384,k_proj:2048,o_proj:5376,gate_proj:21504,up_proj:21504,down_proj:5376",
                string.Join(",", m.LinearModules(5).Select(x => x.Name + ":" + x.OutFeatures)));
            // Sliding block: q 5376 x 8192, k and v 5376 x 4096, o 8192 x 5376 = 132,120,576; MLP 3 x 5376 x 21504 =
            // 346,816,512; four norms of 5376 and q/k norms of 256: 22,016. Total 478,959,104.
            Assert.Equal(478_959_104, m.LayerParameters(0));
            // Global block: q and o 5376 x 16384 each, k 5376 x 2048 = 187,170,816; the MLP; norms 21,504 + 2 x 512: 534,009,856.
            Assert.Equal(534_009_856, m.LayerParameters(5));
        }

        [Fact]
        public void E2BHasPerLayerEmbeddingsAndDoubleWideMlpsInItsLastTwentyBlocks()
        {
            var m = Model("google/gemma-4-E2B-it");
            // embed_tokens 262144 x 1536, embed_tokens_per_layer 262144 x (35 x 256), per_layer_model_projection 1536 x 8960
            // and per_layer_projection_norm 256.
            Assert.Equal(402_653_184L + 2_348_810_240L + 13_762_560L + 256L, m.EmbeddingParameters);
            Assert.Equal(6144, m.MlpWidthOf(14));
            Assert.Equal(12288, m.MlpWidthOf(15));
            // Block 15 (sliding, double-wide): q 1536 x 2048, k and v 1536 x 256, o 2048 x 1536 = 7,077,888; MLP 3 x 1536 x
            // 12288 = 56,623,104; per_layer_input_gate and per_layer_projection 2 x 1536 x 256 = 786,432; five norms of 1536
            // and q/k norms of 256: 8,192. Total 64,495,616.
            Assert.Equal(64_495_616, m.LayerParameters(15));
        }

        [Theory]
        // Unsloth prints peft's 'trainable X of TOTAL', where TOTAL includes the adapters; the model alone is TOTAL - X
        // (nb/Gemma4_(E2B)-Vision.ipynb 59,719,680 of 5,182,897,696; E4B 82,444,288 of 8,078,600,736; 26B_A4B 59,275,776
        // of 25,865,209,648; 31B 266,963,456 of 31,540,049,968; nb/Gemma4_(12B)_Vision.ipynb 131,137,536 of 12,090,867,712).
        // E2B's and E4B's totals include the audio tower.
        [InlineData("unsloth/gemma-4-E2B-it", 5_182_897_696 - 59_719_680)]
        [InlineData("unsloth/gemma-4-E4B-it", 8_078_600_736 - 82_444_288)]
        [InlineData("unsloth/gemma-4-12b-it", 12_090_867_712 - 131_137_536)]
        [InlineData("unsloth/gemma-4-26B-A4B-it", 25_865_209_648 - 59_275_776)]
        [InlineData("unsloth/gemma-4-31B-it", 31_540_049_968 - 266_963_456)]
        public void ParameterCountsAreUnslothsPrintedTotalsLessTheAdapters(string id, long parameters)
        {
            Assert.Equal(parameters, Model(id).TotalParameters);
        }

        [Fact]
        public void AudioTowerHasItsParameters()
        {
            // Hidden 1024, 12 blocks: feed-forward modules 2 x (2 x 1024 x 4096 + 2 x 1024) = 16,781,312; attention
            // 5 x 1024 x 1024 + per_dim_scale 128 = 5,243,008; light convolution 3 x 1024 x 1024 + 5 x 1024 + 2 x 1024 =
            // 3,152,896; three norms 3,072: 25,180,288 each. Subsampling 9 x 128 + 128 + 9 x 128 x 32 + 32 + 1024 x 1024 =
            // 1,086,752; output_proj 1024 x 1536 + 1536; embed_audio 1536 x 1536 (E2B's hidden size).
            long expected = 12 * 25_180_288L + 1_086_752 + 1_574_400 + 2_359_296;
            Assert.Equal(expected, Model("google/gemma-4-E2B-it").AudioParameters);
        }

        [Theory]
        [InlineData("unsloth/gemma-4-E2B-it", 59_719_680)]
        [InlineData("unsloth/gemma-4-E4B-it", 82_444_288)]
        [InlineData("unsloth/gemma-4-31B-it", 266_963_456)]
        [InlineData("unsloth/gemma-4-26B-A4B-it", 59_275_776)]
        [InlineData("unsloth/gemma-4-12b-it", 131_137_536)]
        public void AllLinearLoraTrainsWhatUnslothPrints(string id, long trainable)
        {
            Assert.Equal(trainable, MemoryEstimator.Estimate(Lora(id, "all-linear")).TrainableParameters);
        }

        [Fact]
        public void TwelveBHasAnEncoderFreeEmbedderAndEmbedAudioAlone()
        {
            var m = Model("google/gemma-4-12b-it");
            // Gemma4UnifiedVisionEmbedder over 48-px patches (6912 pixels): patch_ln1 2 x 6912, patch_dense 6912 x 3840 + 3840,
            // patch_ln2 and pos_norm 2 x 3840 each, pos_embedding 1120 x 2 x 3840; embed_vision 3840 x 3840.
            Assert.Equal(13_824L + 26_542_080 + 3_840 + 7_680 + 8_601_600 + 7_680 + 14_745_600, m.VisionParameters);
            // embed_audio: 640 audio features -> 3840.
            Assert.Equal(2_457_600, m.AudioParameters);
            Assert.Empty(m.VisionModules);
        }

        [Fact]
        public void ExpertParametersUnslothNamesMatchNothingInGemmaFour()
        {
            // Row uns-vlm-008's cell: Unsloth names mlp.experts.*; Gemma 4's experts are layers.N.experts.*, so peft adapts
            // none and the printed trainable count is the linears' alone.
            var e = MemoryEstimator.Estimate(Lora("unsloth/gemma-4-26B-A4B-it",
                "all-linear + MoE expert parameters mlp.experts.gate_up_proj, mlp.experts.down_proj"));
            Assert.Equal(59_275_776, e.TrainableParameters);
            Assert.Contains(e.Assumptions, a => a.Contains("no LoRA on the expert parameters mlp.experts.gate_up_proj, mlp.experts.down_proj"));
        }

        [Fact]
        public void ExpertParametersThatMatchTrainAsPeftCountsThem()
        {
            // peft target_parameters on a [128, in, out] parameter: r x 128 x (in + out); gate_up_proj 2816 -> 1408 and
            // down_proj 704 -> 2816, 30 layers: 30 x 32 x 128 x (4224 + 3520) = 951,582,720.
            var e = MemoryEstimator.Estimate(Lora("unsloth/gemma-4-26B-A4B-it",
                "all-linear + MoE expert parameters experts.gate_up_proj, experts.down_proj"));
            Assert.Equal(59_275_776 + 951_582_720, e.TrainableParameters);
        }

        [Fact]
        public void AModuleTargetNeverSelectsAFusedExpertParameter()
        {
            // peft's target_modules match modules; experts.down_proj is a parameter, so the list adapts down_proj alone.
            var e = MemoryEstimator.Estimate(Lora("unsloth/gemma-4-26B-A4B-it", "down_proj,experts.down_proj"));
            // down_proj 2112 -> 2816 in 30 layers: 30 x 32 x (2112 + 2816) = 4,730,880.
            Assert.Equal(4_730_880 + 27 * 32 * (4304 + 1152), e.TrainableParameters);
        }

        [Fact]
        public void FusedExpertsStaySixteenBitUnderFourBitLoading()
        {
            var w = Lora("unsloth/gemma-4-26B-A4B-it", "all-linear");
            w.Method = FinetuneMethod.QLoRA;
            w.Quantization = Quantization.NF4;
            // 30 layers x 128 experts x (2 x 704 x 2816 + 2816 x 704) = 22,837,985,280 bf16 parameters: 45,675,970,560 bytes.
            Assert.True(MemoryEstimator.Estimate(w).Weights > 45_675_970_560L);
        }

        [Theory]
        // get_aspect_ratio_preserving_size with patch 16, pooling 3, 280 x 9 = 2520 patches: 320x50 scales by
        // sqrt(645120 / 16000) to 2031.9 x 317.5, floored to multiples of 48: 2016 x 288 = 126 x 18 patches, 252 tokens;
        // 896x896 -> 768 x 768, 256; 1024x768 -> 912 x 672, 57 x 42 patches, 266; 10000x10: the height rounds to 0, so 48
        // and the width min(1000 x 48, 280 x 48) = 13440: 840 x 3 patches, 280. The encoder always runs 2520 padded patches.
        [InlineData(320, 50, 252)]
        [InlineData(896, 896, 256)]
        [InlineData(1024, 768, 266)]
        [InlineData(10000, 10, 280)]
        public void ImageTokensFollowTheGemmaFourProcessor(int width, int height, long tokens)
        {
            var t = VisionTokens.For(Model("google/gemma-4-31B-it"), width, height);
            Assert.Equal(tokens, t.LanguageTokens);
            Assert.Equal(2520, t.EncoderTokens);
        }

        private static Workload Lora(string id, string targets) => new Workload(Model(id))
        {
            Method = FinetuneMethod.LoRA, Precision = Precision.Bf16, BatchSize = 1, SequenceLength = 256,
            LoraRank = 32, LoraTargets = new[] { targets }, Framework = Framework.Unsloth, VisionTower = VisionTraining.Trained,
        };
    }
}
