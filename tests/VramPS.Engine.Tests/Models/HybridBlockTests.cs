using System.Linq;
using VramPS.Engine.Estimation;
using VramPS.Engine.Models;
using Xunit;

namespace VramPS.Engine.Tests.Models
{
    /// <summary>
    /// Hybrid decoders: Qwen3.5's Gated DeltaNet and full-attention blocks (transformers modular_qwen3_5.py@009e78d,
    /// modular_qwen3_next.py@043bb8d) and LFM2's short-convolution and attention blocks (models/lfm2), counted by hand from
    /// their modules and pinned against the counts Unsloth's notebooks print.
    /// </summary>
    public sealed class HybridBlockTests
    {
        private static ModelArchitecture Model(string id) => ModelCatalog.Default.Get(id);

        [Fact]
        public void QwenThreePointFiveRepeatsThreeDeltaNetBlocksAndOneAttentionBlock()
        {
            var m = Model("Qwen/Qwen3.5-0.8B");
            Assert.Equal(new[] { MixerKind.GatedDeltaNet, MixerKind.GatedDeltaNet, MixerKind.GatedDeltaNet, MixerKind.Attention },
                Enumerable.Range(0, 4).Select(m.MixerOf));
            Assert.Equal(18, m.LayersOfKind((int)MixerKind.GatedDeltaNet * 2, 0, m.NumLayers));
            Assert.Equal(6, m.LayersOfKind(0, 0, m.NumLayers));
            Assert.Equal("in_proj_qkv,in_proj_z,in_proj_b,in_proj_a,out_proj,gate_proj,up_proj,down_proj",
                string.Join(",", m.LinearModules(0).Select(x => x.Name)));
            Assert.Equal("q_proj,k_proj,v_proj,o_proj,gate_proj,up_proj,down_proj", string.Join(",", m.LinearModules(3).Select(x => x.Name)));
        }

        [Fact]
        public void QwenThreePointFiveBlocksHaveTheirParameters()
        {
            var m = Model("Qwen/Qwen3.5-0.8B");
            // Gated DeltaNet, hidden 1024, 16 key and 16 value heads of 128 (key and value width 2048), conv kernel 4:
            // in_proj_qkv 1024 x 6144 + in_proj_z 1024 x 2048 + in_proj_b and in_proj_a 1024 x 16 each + conv1d 6144 x 4
            // + dt_bias and A_log 16 each + gated norm 128 + out_proj 2048 x 1024 = 10,543,264; the MLP 3 x 1024 x 3584 =
            // 11,010,048 and two norms of 1024: 21,555,360.
            Assert.Equal(21_555_360, m.LayerParameters(0));
            // Attention with the output gate: q_proj 1024 x (8 x 256 x 2) + k_proj and v_proj 1024 x 512 + o_proj 2048 x 1024
            // + q_norm and k_norm 256 each = 7,340,544, with the same MLP and norms: 18,352,640.
            Assert.Equal(18_352_640, m.LayerParameters(3));
        }

        [Fact]
        public void LfmTwoPutsAttentionAtItsSixFullAttentionLayers()
        {
            var m = Model("LiquidAI/LFM2.5-1.2B-Instruct");
            // LFM2 full_attn_idxs [2, 5, 8, 10, 12, 14] of 16 blocks; the rest are short convolutions.
            var attending = Enumerable.Range(0, m.NumLayers).Where(i => m.MixerOf(i) == MixerKind.Attention);
            Assert.Equal(new[] { 2, 5, 8, 10, 12, 14 }, attending);
            Assert.Equal("in_proj,out_proj,w1,w3,w2", string.Join(",", m.LinearModules(0).Select(x => x.Name)));
            Assert.Equal("q_proj,k_proj,v_proj,out_proj,w1,w3,w2", string.Join(",", m.LinearModules(2).Select(x => x.Name)));
            // Short convolution, hidden 2048, conv_L_cache 3: in_proj 2048 x 6144 + conv 2048 x 3 + out_proj 2048 x 2048
            // = 16,783,360; the MLP (block_ff_dim 12288 auto-adjusted to 2/3, a multiple of 256: 8192) 3 x 2048 x 8192 =
            // 50,331,648; two norms of 2048: 67,119,104.
            Assert.Equal(67_119_104, m.LayerParameters(0));
            // Attention, 32 heads and 8 KV heads of 64: 2 x 2048 x 2048 + 2 x 2048 x 512 + q/k layernorms 64 each = 10,485,888.
            Assert.Equal(60_821_632, m.LayerParameters(2));
            // 16 blocks, embedding 65536 x 2048 tied, final norm: 1,170,340,608.
            Assert.Equal(1_170_340_608, m.TotalParameters);
        }

        [Theory]
        // The trainable counts Unsloth's notebooks print (unslothai/notebooks@bdda2ef, nb/Qwen3_5_(0_8B)_Vision.ipynb,
        // Qwen3_5_(2B)_Vision.ipynb, Qwen3_5_(4B)_Vision.ipynb): r=16 on every language linear (the Gated DeltaNet's five
        // included) and every ViT block linear, not the merger.
        [InlineData("unsloth/Qwen3.5-0.8B", 13_181_952)]
        [InlineData("unsloth/Qwen3.5-2B", 23_110_656)]
        [InlineData("unsloth/Qwen3.5-4B", 38_756_352)]
        public void AllLinearLoraOnQwenThreePointFiveTrainsWhatUnslothPrints(string id, long trainable)
        {
            var w = new Workload(Model(id))
            {
                Method = FinetuneMethod.LoRA, Precision = Precision.Fp16, BatchSize = 1, SequenceLength = 256,
                LoraRank = 16, LoraTargets = new[] { "all-linear" }, Framework = Framework.Unsloth, VisionTower = VisionTraining.Trained,
            };
            Assert.Equal(trainable, MemoryEstimator.Estimate(w).TrainableParameters);
        }

        [Fact]
        public void LlamaTargetNamesOnLfmTwoAdaptOnlyTheNamesItHas()
        {
            // TRL's GRPO notebook targets q, k, v, o, gate, up and down_proj on LFM2.5: peft adapts q/k/v_proj in the six
            // attention blocks (r x (in + out): 32 x (2048 + 2048 + 2 x (2048 + 512)) = 294,912 each) and skips the rest.
            var w = new Workload(Model("LiquidAI/LFM2.5-1.2B-Instruct"))
            {
                Method = FinetuneMethod.LoRA, BatchSize = 1, SequenceLength = 256, LoraRank = 32,
                LoraTargets = new[] { "q_proj,k_proj,v_proj,o_proj,gate_proj,up_proj,down_proj" },
            };
            var e = MemoryEstimator.Estimate(w);
            Assert.Equal(6 * 294_912, e.TrainableParameters);
            Assert.Equal(new[] { "q_proj", "k_proj", "v_proj" }, e.LoraTargets);
            Assert.Contains(e.Warnings, x => x.StartsWith("-LoraTargets o_proj, gate_proj, up_proj, down_proj:"));
        }

        private static ModelArchitecture OneBlock(string pattern) => ModelCatalogReader.Read(Newtonsoft.Json.Linq.JToken.Parse(
            "{\"models\": [{\"id\": \"acme/one-" + pattern + "\", \"modelType\": \"qwen3_5\", \"hiddenSize\": 64, \"intermediateSize\": 128, " +
            "\"numLayers\": 1, \"numHeads\": 4, \"vocabSize\": 100, \"mixerPattern\": \"" + pattern + "\", \"linearKeyHeads\": 2, " +
            "\"linearValueHeads\": 2, \"linearKeyHeadDim\": 16, \"linearValueHeadDim\": 16, \"mixerConvKernel\": 4}]}"), "test.json")[0];

        private static double SavedPerToken(string pattern)
        {
            var w = new Workload(OneBlock(pattern))
            {
                Method = FinetuneMethod.LoRA, Precision = Precision.Fp16, BatchSize = 1, SequenceLength = 128, LoraRank = 8,
                LoraTargets = new[] { "gate_proj" }, Checkpointing = Checkpointing.None, Attention = AttentionKernel.Sdpa,
            };
            var r = new ResolvedRecipe(w);
            return new ActivationMemory(r, new TrainerBehavior(r), r.Parallel.Stages[0]).AllLayersSavedPerToken;
        }

        [Fact]
        public void MixersSaveWhatTheirForwardsKeep()
        {
            // Same block but the mixer, fp16 (c = 2), its linears frozen and unadapted (their inputs are not kept). SDPA keeps
            // q and k, v repeated to every head and the output: 2 x (64 + 64 + 2 x 64) + 4 x 4 heads of log-sum-exp = 528.
            // Gated DeltaNet (key and value width 32, 2 value heads of 16): the convolution's input and output 2 x 2 x 96,
            // l2-normed q and k 2 x 2 x 32, g, softplus input, inverse norms and beta 2 x (4 + 4 + 8 + 2), the 64-wide
            // chunk matrix 2 x 2 x 64, the gated norm's input and gate 2 x 2 x 32: 932, so 404 more than attention.
            Assert.Equal(404, SavedPerToken("D") - SavedPerToken("A"), 6);
            // Short convolution (hidden 64): the in_proj output B, C, x kept by the products, B x x and the convolution's
            // output, 2 x (192 + 64 + 64) = 640: 112 more than attention.
            Assert.Equal(112, SavedPerToken("C") - SavedPerToken("A"), 6);
        }

        [Fact]
        public void OnlyAttentionBlocksCacheKeysAndValues()
        {
            // LFM2.5-1.2B: 6 attention blocks of 8 KV heads x 64, 16-bit: 2 x 6 x 512 x 2 bytes a token.
            Assert.Equal(12_288, VramPS.Engine.Alignment.KvCache.PerToken(Model("LiquidAI/LFM2.5-1.2B-Instruct"), 2, false));
        }

        [Fact]
        public void APatternLetterOtherThanTheThreeMixersIsRefused()
        {
            var json = "{\"models\": [{\"id\": \"acme/hybrid\", \"modelType\": \"qwen3_5\", \"hiddenSize\": 64, \"intermediateSize\": 128, \"numLayers\": 4, " +
                       "\"numHeads\": 4, \"vocabSize\": 100, \"mixerPattern\": \"DDXA\", \"linearKeyHeads\": 2, \"linearValueHeads\": 2, " +
                       "\"linearKeyHeadDim\": 16, \"linearValueHeadDim\": 16, \"mixerConvKernel\": 4}]}";
            var error = Assert.Throws<Errors.InvalidDataFileException>(() => ModelCatalogReader.Read(Newtonsoft.Json.Linq.JToken.Parse(json), "test.json"));
            Assert.Contains("mixerPattern", error.Message);
        }
    }
}
