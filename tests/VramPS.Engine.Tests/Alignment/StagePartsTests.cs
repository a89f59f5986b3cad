using System.Collections.Generic;
using System.Linq;
using VramPS.Engine.Alignment;
using VramPS.Engine.Estimation;
using VramPS.Engine.Frameworks;
using VramPS.Engine.Gpus;
using VramPS.Engine.Models;
using VramPS.Engine.Tests.Estimation;
using Xunit;
using static VramPS.Engine.Tests.Alignment.StageFixture;

namespace VramPS.Engine.Tests.Alignment
{
    /// <summary>Frozen models' weights by load dtype and sharding, generation's peaks and the vLLM engine's notes.</summary>
    public class StagePartsTests
    {
        private static FrozenModel Frozen(FinetuneMethod method, Precision precision, Sharding sharding = Sharding.None, int gpus = 1)
        {
            var w = Workload(TrainingStage.Dpo, method);
            w.Precision = precision;
            w.Sharding = sharding;
            w.GpuCount = gpus;
            var recipe = new ResolvedRecipe(w);
            return new FrozenModel(w, recipe, new TrainerBehavior(recipe), Llama2Fixture.Model(), 512);
        }

        [Fact]
        public void AFrozenCopyLoadsInThePolicysDtype()
        {
            Assert.Equal(2.0 * P, Frozen(FinetuneMethod.Full, Precision.Bf16).StoredWeights);
            // Autocast over fp32 weights: TRL loads the reference with the same float32 model_init_kwargs.
            Assert.Equal(4.0 * P, Frozen(FinetuneMethod.Full, Precision.Bf16Mixed).StoredWeights);
        }

        [Fact]
        public void DeepSpeedHoldsItIn16BitAndShardsItOnlyUnderZeroThree()
        {
            Assert.Equal(2.0 * P, Frozen(FinetuneMethod.Full, Precision.Bf16Mixed, Sharding.Zero2, 4).StoredWeights);
            Assert.Equal(2.0 * P / 4, Frozen(FinetuneMethod.Full, Precision.Bf16Mixed, Sharding.Zero3, 4).StoredWeights);
        }

        [Fact]
        public void UnderAFourBitPolicyTheFrozenModelsBlockLinearsAreNf4()
        {
            double nf4 = 4 + 8.0 / 64 + 32.0 / (64 * 256);
            double expected = Llama2Fixture.BlockLinear * nf4 / 8 + (P - Llama2Fixture.BlockLinear) * 2.0;
            Assert.Equal(expected, Frozen(FinetuneMethod.QLoRA, Precision.Bf16).StoredWeights, 0);
        }

        [Fact]
        public void GenerationPeaksAtThePrefillForLongPromptsAndAtTheLastStepOtherwise()
        {
            var recipe = new ResolvedRecipe(Workload(TrainingStage.Grpo, FinetuneMethod.LoRA));
            var behavior = new TrainerBehavior(recipe);
            var whole = PipelineStage.WholeModel(recipe.Model.NumLayers);
            var forward = new ForwardPass(recipe, new ParameterBudget(recipe, behavior, whole), new ActivationMemory(recipe, behavior, whole));

            var longPrompt = new HfGeneration(forward, KvPerToken, (int)L, V, 4, 4096, 1);
            Assert.Equal(4.0 * 4096 * ForwardWorkingPerToken, longPrompt.Peak.Activations);
            // The prefill's cache and each sequence's last logits, which accelerate returns in fp32 under LoRA's autocast.
            Assert.Equal(4.0 * 4096 * KvPerToken + 4.0 * V * 4, longPrompt.Peak.Other);

            var longAnswer = new HfGeneration(forward, KvPerToken, (int)L, V, 4, 16, 4096);
            double cache = 4.0 * (16 + 4096) * KvPerToken;
            Assert.Equal(cache, longAnswer.KvCache);
            Assert.Equal(cache + cache / L + 4.0 * V * (4 + 4), longAnswer.Peak.Other);
        }

        [Fact]
        public void VllmSaysWhenItsReservationIsTooSmall()
        {
            var gpu = GpuCatalog.Default.Get("RTX-4090");
            var model = Llama2Fixture.Model();
            var notes = new List<string>();
            var trl = FrameworkProfiles.Of(Framework.HfTrainer);
            var tooSmall = new RolloutEngine(model, false, 0.3, gpu, trl, false, 1, 8, 512, 512, notes);
            Assert.Equal(2.0 * P, tooSmall.Footprint);
            Assert.Contains("fails at start", notes[0]);

            notes.Clear();
            var h100 = GpuCatalog.Default.Get("H100-SXM");
            var waves = new RolloutEngine(model, false, 0.2, h100, trl, false, 64, 512, 4096, 4096, notes);
            Assert.Equal(0.2 * h100.MemoryBytes, waves.Footprint);
            Assert.Contains("in waves", notes[0]);
        }
    }
}
