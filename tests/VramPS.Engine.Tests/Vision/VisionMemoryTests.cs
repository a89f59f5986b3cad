using System.Linq;
using VramPS.Engine.Errors;
using VramPS.Engine.Estimation;
using VramPS.Engine.Models;
using Xunit;

namespace VramPS.Engine.Tests.Vision
{
    /// <summary>
    /// What a vision-language workload adds, worked by hand for Qwen2.5-VL-7B: its ViT (32 blocks of width 1280, gated MLP of
    /// 3420, RMSNorm, biases) has 32 x 19,702,200 block parameters, a 1,505,280-parameter Conv3d patch embedding and a
    /// 44,574,464-parameter merger (RMSNorm 1280, 5120 x 5120 + 5120, 5120 x 3584 + 3584): 676,550,144 in all.
    /// </summary>
    public class VisionMemoryTests
    {
        private const long VisionParameters = 676_550_144;

        private static Workload Qwen(FinetuneMethod method)
        {
            var w = new Workload(ModelCatalog.Default.Get("Qwen/Qwen2.5-VL-7B-Instruct"))
            {
                Method = method, BatchSize = 1, SequenceLength = 1024, Checkpointing = Checkpointing.Full,
                Attention = AttentionKernel.Sdpa, Framework = Framework.HfTrainer, ImageWidth = 1024, ImageHeight = 1024, ImagesPerSample = 1,
            };
            if (method == FinetuneMethod.LoRA) w.LoraTargets = new[] { "all-linear" };
            return w;
        }

        private static PhaseMemory At(TrainingMemoryEstimate e, Phase phase) => e.Phases.Single(p => p.Phase == phase);

        [Fact]
        public void TheVisionTowerAndProjectorCountAsTheModelCardSays()
        {
            Assert.Equal(VisionParameters, ModelCatalog.Default.Get("Qwen/Qwen2.5-VL-7B-Instruct").VisionParameters);
        }

        [Fact]
        public void ImageTokensJoinTheLanguageModelsSequence()
        {
            // 512 image tokens and 1536 text tokens cost the language model what 2048 text tokens cost.
            var images = Qwen(FinetuneMethod.LoRA);
            images.SequenceLength = 1536;
            images.VisionTokens = 512;
            images.VisionTower = VisionTraining.Frozen;
            var text = Qwen(FinetuneMethod.LoRA);
            text.SequenceLength = 2048;
            text.ImagesPerSample = 0;
            text.VisionTower = VisionTraining.Frozen;
            Assert.Equal(MemoryEstimator.Estimate(text).Allocated, MemoryEstimator.Estimate(images).Allocated);
        }

        [Fact]
        public void ATrainedTowerUnderCheckpointingKeepsEachBlocksInput()
        {
            // 32 blocks x 1280 x 2 bytes x 5476 patches of one 1024 x 1024 image.
            var trained = Qwen(FinetuneMethod.LoRA);
            trained.VisionTower = VisionTraining.Trained;
            var frozen = Qwen(FinetuneMethod.LoRA);
            frozen.VisionTower = VisionTraining.Frozen;
            long difference = At(MemoryEstimator.Estimate(trained), Phase.ForwardEnd).Activations - At(MemoryEstimator.Estimate(frozen), Phase.ForwardEnd).Activations;
            Assert.Equal(32L * 1280 * 2 * 5476, difference);
        }

        [Fact]
        public void AFrozenTowerHasNoGradientsUnderFullFineTuning()
        {
            // Trainer --bf16 keeps fp32 gradients: 4 bytes for each vision parameter that trains.
            var trained = Qwen(FinetuneMethod.Full);
            trained.VisionTower = VisionTraining.Trained;
            var frozen = Qwen(FinetuneMethod.Full);
            frozen.VisionTower = VisionTraining.Frozen;
            Assert.Equal(4 * VisionParameters, MemoryEstimator.Estimate(trained).Gradients - MemoryEstimator.Estimate(frozen).Gradients);
        }

        [Fact]
        public void QloraQuantizesTheTowersAndProjectorsLinearsLikeTheLanguageModels()
        {
            // bitsandbytes converts every nn.Linear but the output embedding (transformers get_keys_to_not_convert):
            // 32 blocks x 19,699,640 (qkv, proj, gate/up/down_proj with biases) + the merger's 5120 x 5120 and 5120 x 3584
            // weights = 674,952,960 at NF4 with double quantization; the other 1,597,184 vision parameters (Conv3d, norms,
            // merger biases) are upcast to fp32 by peft's prepare_model_for_kbit_training.
            var vlm = ModelCatalog.Default.Get("Qwen/Qwen2.5-VL-7B-Instruct");
            var text = vlm.WithId("text-only");
            text.VisionEncoder = VisionEncoderKind.None;
            var w = new Workload(vlm) { Method = FinetuneMethod.QLoRA, Framework = Framework.HfTrainer, VisionTower = VisionTraining.Frozen };
            var t = new Workload(text) { Method = FinetuneMethod.QLoRA, Framework = Framework.HfTrainer };
            double nf4 = (4 + 8.0 / 64 + 32.0 / (64 * 256)) / 8;
            double expected = 674_952_960 * nf4 + 1_597_184 * 4.0;
            long difference = At(MemoryEstimator.Estimate(w), Phase.OptimizerStep).Weights - At(MemoryEstimator.Estimate(t), Phase.OptimizerStep).Weights;
            Assert.InRange(difference, expected - 1, expected + 1);
        }

        [Fact]
        public void LlamaFactoryFreezesTheTowerAndUnslothAdaptsIt()
        {
            var lf = Qwen(FinetuneMethod.LoRA);
            lf.Framework = Framework.LlamaFactory;
            Assert.Contains(MemoryEstimator.Estimate(lf).Assumptions, a => a.Contains("freeze_vision_tower"));
            var unsloth = Qwen(FinetuneMethod.LoRA);
            unsloth.Framework = Framework.Unsloth;
            Assert.Contains(MemoryEstimator.Estimate(unsloth).Assumptions, a => a.Contains("finetune_vision_layers"));
        }

        [Fact]
        public void AVisionPolicyScoresWithATextRewardModel()
        {
            // The frozen reward model reads the policy's sequence, image tokens included, without images of its own
            // (before, it inherited -ImageSize and was refused as a text model with images).
            var w = Qwen(FinetuneMethod.LoRA);
            w.Stage = Engine.Alignment.TrainingStage.Grpo;
            w.RewardModel = ModelCatalog.Default.Get("Qwen/Qwen2.5-1.5B");
            var e = MemoryEstimator.Estimate(w);
            Assert.True(e.Allocated > MemoryEstimator.Estimate(Qwen(FinetuneMethod.LoRA)).Weights);
        }

        [Fact]
        public void ImagesOnATextModelAreRefusedNamingTheParameter()
        {
            var w = new Workload(ModelCatalog.Default.Get("Qwen/Qwen2.5-7B")) { ImageWidth = 640, ImageHeight = 480 };
            var e = Assert.Throws<InvalidWorkloadException>(() => MemoryEstimator.Estimate(w));
            Assert.Equal("ImageSize", e.Parameter);
        }

        [Theory]
        [InlineData("1024x768", 1024, 768)]
        [InlineData(" 640X480 ", 640, 480)]
        public void AnImageSizeIsWidthByHeight(string text, int width, int height)
        {
            Assert.Equal((width, height), Engine.Parsing.ImageSize.Parse(text, "ImageSize"));
        }

        [Theory]
        [InlineData("1024")]
        [InlineData("0x10")]
        [InlineData("10x-1")]
        [InlineData("axb")]
        [InlineData("1x2x3")]
        public void ABadImageSizeIsRefused(string text)
        {
            var e = Assert.Throws<InvalidWorkloadException>(() => Engine.Parsing.ImageSize.Parse(text, "ImageSize"));
            Assert.Equal("ImageSize", e.Parameter);
        }
    }
}
