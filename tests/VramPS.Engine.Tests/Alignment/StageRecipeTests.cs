using System.Linq;
using VramPS.Engine.Alignment;
using VramPS.Engine.Errors;
using VramPS.Engine.Estimation;
using VramPS.Engine.Models;
using Xunit;
using static VramPS.Engine.Tests.Alignment.StageFixture;

namespace VramPS.Engine.Tests.Alignment
{
    /// <summary>The stage's defaults, validation and cast, and the Sft stage's parity with today's estimator.</summary>
    public class StageRecipeTests
    {
        [Theory]
        [InlineData(FinetuneMethod.Full)]
        [InlineData(FinetuneMethod.LoRA)]
        [InlineData(FinetuneMethod.QLoRA)]
        public void TheSftStageGivesExactlyTheEstimateWithoutAStage(FinetuneMethod method)
        {
            var plain = Workload(TrainingStage.Sft, method);
            plain.Stage = null;
            var sft = Workload(TrainingStage.Sft, method);
            var a = MemoryEstimator.Estimate(plain);
            var b = MemoryEstimator.Estimate(sft);

            Assert.Equal(a.Allocated, b.Allocated);
            Assert.Equal(a.Total, b.Total);
            Assert.Equal(a.PeakPhase, b.PeakPhase);
            Assert.Equal(a.Phases.Select(p => p.Allocated), b.Phases.Select(p => p.Allocated));
            var row = Assert.Single(b.Models);
            Assert.Equal(ModelRole.Policy, row.Role);
            Assert.Equal(b.Allocated, row.Total);
            Assert.Equal(TrainingStage.Sft, b.Stage);
        }

        [Fact]
        public void OnlineStagesTakeTrlsLengthsAndGroupSize()
        {
            var grpo = Workload(TrainingStage.Grpo, FinetuneMethod.LoRA);
            grpo.BatchSize = null;
            grpo.SequenceLength = null;
            var g = MemoryEstimator.Estimate(grpo);
            // huggingface/trl trl/trainer/grpo_config.py: max_prompt_length 512 (v0.14.0) and max_completion_length 256
            // in every release from v0.14.0 to v1.9.0 (512 only on main after v1.9.0, #6264).
            Assert.Equal(512, g.PromptLength);
            Assert.Equal(256, g.GenerationLength);
            Assert.Equal(512 + 256, g.SequenceLength);
            Assert.Equal(8, g.BatchSize);

            var ppo = Workload(TrainingStage.Ppo, FinetuneMethod.LoRA);
            ppo.SequenceLength = null;
            var p = MemoryEstimator.Estimate(ppo);
            Assert.Equal(53, p.GenerationLength);
            Assert.Equal(512 + 53, p.SequenceLength);
        }

        [Theory]
        [InlineData(int.MaxValue, 256, "PromptLength")]
        [InlineData(512, int.MaxValue, "GenerationLength")]
        [InlineData(1 << 27, (1 << 27) + 1, "GenerationLength")]
        public void APromptAndCompletionPastTheTokenLimitNameTheLongerOne(int prompt, int generation, string parameter)
        {
            var w = Workload(TrainingStage.Grpo, FinetuneMethod.LoRA);
            w.PromptLength = prompt;
            w.GenerationLength = generation;
            var e = Assert.Throws<InvalidWorkloadException>(() => MemoryEstimator.Estimate(w));
            Assert.Equal(parameter, e.Parameter);
            Assert.Contains("-PromptLength", e.Message);
        }

        [Fact]
        public void TheGenerationBatchIsTheMicroBatchTimesAccumulation()
        {
            var w = Workload(TrainingStage.Grpo, FinetuneMethod.LoRA);
            w.BatchSize = 2;
            w.GradientAccumulation = 4;
            var e = MemoryEstimator.Estimate(w);
            Assert.Equal(8, e.RolloutBatch);
            Assert.Equal(2, e.ForwardBatch);
            Assert.DoesNotContain(e.Assumptions, a => a.Contains("whole groups"));

            w.GradientAccumulation = 3;
            Assert.Contains(MemoryEstimator.Estimate(w).Assumptions, a => a.Contains("whole groups of 8"));
        }

        [Theory]
        [InlineData("PromptLength")]
        [InlineData("GenerationLength")]
        [InlineData("NumGenerations")]
        [InlineData("RolloutMemoryFraction")]
        [InlineData("KlCoefficient")]
        public void OutOfRangeSettingsNameTheirParameter(string parameter)
        {
            var w = Workload(TrainingStage.Grpo, FinetuneMethod.LoRA);
            switch (parameter)
            {
                case "PromptLength": w.PromptLength = 0; break;
                case "GenerationLength": w.GenerationLength = -1; break;
                case "NumGenerations": w.NumGenerations = 0; break;
                case "RolloutMemoryFraction": w.RolloutMemoryFraction = 1.0; break;
                default: w.KlCoefficient = -0.1; break;
            }
            var e = Assert.Throws<InvalidWorkloadException>(() => MemoryEstimator.Estimate(w));
            Assert.Equal(parameter, e.Parameter);
            Assert.Contains("-" + parameter, e.Message);
        }

        [Fact]
        public void StagesFollowTrlsTrainersOnly()
        {
            var w = Workload(TrainingStage.Dpo, FinetuneMethod.LoRA);
            w.Framework = Framework.Litgpt;
            Assert.Equal("Stage", Assert.Throws<InvalidWorkloadException>(() => MemoryEstimator.Estimate(w)).Parameter);

            var bert = new Workload(ModelCatalog.Default.Get("google-bert/bert-base-uncased")) { Stage = TrainingStage.Dpo };
            Assert.Contains("encoder", Assert.Throws<InvalidWorkloadException>(() => MemoryEstimator.Estimate(bert)).Message);
        }

        [Fact]
        public void TheRolloutFractionDefaultsToAnH100()
        {
            var w = Workload(TrainingStage.Grpo, FinetuneMethod.LoRA);
            w.RolloutMemoryFraction = 0.5;
            var e = MemoryEstimator.Estimate(w);
            long h100 = Engine.Gpus.GpuCatalog.Default.Get("H100-SXM").MemoryBytes;
            Assert.InRange(e.Row(ModelRole.Rollout).Total - 0.5 * h100, -1, 1);
            Assert.Contains(e.Assumptions, a => a.Contains("H100-SXM (no -Gpu given)"));
        }

        [Fact]
        public void SettingsTheStageIgnoresAreNamed()
        {
            var w = Workload(TrainingStage.Dpo, FinetuneMethod.LoRA);
            w.NumGenerations = 4;
            w.RolloutMemoryFraction = 0.3;
            w.KlCoefficient = 0.1;
            var messages = StageSettings.Ignored(w);
            Assert.Equal(3, messages.Count);
            Assert.Contains("-NumGenerations applies to -Stage Grpo only; -Stage Dpo ignores it.", messages);
            Assert.Contains("-RolloutMemoryFraction applies to -Stage Ppo and Grpo only; -Stage Dpo ignores it.", messages);

            var sft = Workload(TrainingStage.Sft, FinetuneMethod.LoRA);
            sft.PrecomputeReferenceLogProbs = true;
            Assert.Equal("-PrecomputeReferenceLogProbs applies to -Stage Dpo and Kto only; -Stage Sft ignores it.", Assert.Single(StageSettings.Ignored(sft)));

            var grpo = Workload(TrainingStage.Grpo, FinetuneMethod.LoRA);
            grpo.SequenceLength = 4096;
            Assert.Contains("-PromptLength plus -GenerationLength (768 tokens)", Assert.Single(StageSettings.Ignored(grpo)));
            grpo.SequenceLength = 512 + 256;
            Assert.Empty(StageSettings.Ignored(grpo));
        }

        [Theory]
        [InlineData("Qwen/Qwen2-0.5B-Instruct", "Qwen/Qwen2-0.5B")]
        [InlineData("Qwen/Qwen2.5-0.5B-Instruct", "Qwen/Qwen2.5-0.5B")]
        [InlineData("Qwen/Qwen2.5-1.5B-Instruct", "Qwen/Qwen2.5-1.5B")]
        [InlineData("Qwen/Qwen2.5-7B-Instruct", "Qwen/Qwen2.5-7B")]
        [InlineData("facebook/opt-350m", "facebook/opt-350m")]
        [InlineData("facebook/opt-1.3b", "facebook/opt-1.3b")]
        [InlineData("EleutherAI/pythia-1b-deduped", "EleutherAI/pythia-1b-deduped")]
        public void TheModelsOfTrlsAndDeepSpeedChatsExamplesResolve(string id, string entry)
        {
            var model = ModelCatalog.Default.Find(id);
            Assert.NotNull(model);
            Assert.Equal(ModelCatalog.Default.Get(entry).TotalParameters, model!.TotalParameters);
        }
    }
}
