using System.Linq;
using VramPS.Engine.Errors;
using VramPS.Engine.Estimation;
using VramPS.Engine.Models;
using VramPS.Engine.Parsing;
using Xunit;

namespace VramPS.Engine.Tests.Parsing
{
    /// <summary>
    /// The remark grammar of -Framework and -LoraTargets: a parenthesised remark is recorded and never read, what remains
    /// must be one of the allowed forms, and anything else is refused naming the parameter and the forms. The cells are
    /// those of ../shared/validation/vlm-dev.csv (Unsloth's and TRL's VLM notebooks), written by hand here.
    /// </summary>
    public sealed class RemarkGrammarTests
    {
        [Fact]
        public void TakesEveryRemarkOutAndKeepsItsText()
        {
            var r = Remarks.Split("HF-Trainer  (TRL SFTTrainer + PEFT)", "Framework");
            Assert.Equal("HF-Trainer", r.Value);
            Assert.Equal(new[] { "TRL SFTTrainer + PEFT" }, r.Notes);

            var nested = Remarks.Split("a (one (inner) two) b (three)", "LoraTargets");
            Assert.Equal("a b", nested.Value);
            Assert.Equal(new[] { "one (inner) two", "three" }, nested.Notes);
        }

        [Theory]
        [InlineData("HF-Trainer (TRL", "a '(' is never closed")]
        [InlineData("HF-Trainer TRL)", "a ')' closes no '('")]
        [InlineData("HF-Trainer ( )", "'()' holds no remark")]
        public void RefusesUnbalancedOrEmptyParentheses(string text, string why)
        {
            var e = Assert.Throws<InvalidWorkloadException>(() => Remarks.Split(text, "Framework"));
            Assert.Equal("Framework", e.Parameter);
            Assert.Contains(why, e.Message);
            Assert.Contains("balanced parentheses", e.Message);
        }

        [Fact]
        public void ReadsAFrameworkWithARemark()
        {
            var name = FrameworkNames.Read("HF-Trainer (TRL SFTTrainer + PEFT)");
            Assert.Equal(Framework.HfTrainer, name.Framework);
            Assert.Equal(new[] { "-Framework remark (recorded, not read): TRL SFTTrainer + PEFT" }, name.Notes);
        }

        [Fact]
        public void ReadsUnslothUnderTransformersTrainerAsUnsloth()
        {
            // Unsloth's DeepSeek-OCR-2 notebook passes its FastVisionModel to transformers.Trainer: the run is Unsloth's.
            var name = FrameworkNames.Read("Unsloth+HF-Trainer");
            Assert.Equal(Framework.Unsloth, name.Framework);
            Assert.Single(name.Notes);
            Assert.StartsWith("-Framework Unsloth+HF-Trainer is Unsloth: unsloth/trainer.py", name.Notes[0]);
        }

        [Theory]
        [InlineData("HF-Trainer+Unsloth")]
        [InlineData("axolotl+HF-Trainer")]
        [InlineData("Unsloth+HF-Trainer+peft")]
        [InlineData("TRL SFTTrainer")]
        [InlineData("Unsloth, HF-Trainer")]
        public void RefusesOtherFrameworkText(string text)
        {
            var e = Assert.Throws<InvalidWorkloadException>(() => FrameworkNames.Read(text));
            Assert.Equal("Framework", e.Parameter);
            Assert.Contains("Allowed: HF-Trainer, torchtune", e.Message);
            Assert.Contains("a framework with the loop it runs under: Unsloth+HF-Trainer", e.Message);
        }

        [Fact]
        public void ReadsTheVlmDevTargetCells()
        {
            var all = LoraTargetText.Parse(new[] { "all-linear (language + vision attention and MLP via finetune_* flags)" });
            Assert.True(all.AllLinear);
            Assert.False(all.LanguageModelOnly);
            Assert.Empty(all.ExpertParameters);
            Assert.Equal(new[] { "-LoraTargets remark (recorded, not read): language + vision attention and MLP via finetune_* flags" }, all.Remarks);

            var language = LoraTargetText.Parse(new[] { "all-linear of the language model (attention + MLP); vision not targeted" });
            Assert.True(language.AllLinear);
            Assert.True(language.LanguageModelOnly);

            // A CSV cell comes split at its commas (-LoraTargets takes a comma list); the remark's own commas survive.
            var suffix = LoraTargetText.Parse(new[] { "q_proj", "k_proj", "v_proj", "o_proj", "gate_proj", "up_proj", "down_proj", "fc1", "fc2 (suffix match: LM attention + MoE experts", "fc1/fc2 hit the vision MLPs)" });
            Assert.False(suffix.AllLinear);
            Assert.Equal(new[] { "q_proj", "k_proj", "v_proj", "o_proj", "gate_proj", "up_proj", "down_proj", "fc1", "fc2" }, suffix.Names);
            Assert.Equal("-LoraTargets remark (recorded, not read): suffix match: LM attention + MoE experts,fc1/fc2 hit the vision MLPs", suffix.Remarks.Single());

            var moe = LoraTargetText.Parse(new[] { "all-linear (language + vision attention and MLP via finetune_* flags) + MoE expert parameters mlp.experts.gate_up_proj", "mlp.experts.down_proj (printed 'Detected MoE model with num_experts = 128 ... Enabling LoRA on MoE parameters')" });
            Assert.True(moe.AllLinear);
            Assert.Equal(new[] { "mlp.experts.gate_up_proj", "mlp.experts.down_proj" }, moe.ExpertParameters);
            Assert.Equal(2, moe.Remarks.Count);
        }

        [Theory]
        [InlineData("all-linear of the vision tower")]
        [InlineData("all linear")]
        [InlineData("q_proj v_proj")]
        [InlineData("all-linear + experts")]
        [InlineData("all-linear, q_proj")]
        [InlineData("(only a remark)")]
        public void RefusesOtherTargetText(string text)
        {
            var e = Assert.Throws<InvalidWorkloadException>(() => LoraTargetText.Parse(new[] { text }));
            Assert.Equal("LoraTargets", e.Parameter);
            Assert.Contains("Allowed: all-linear, or module names separated by commas", e.Message);
        }

        private static TrainingMemoryEstimate Estimate(Workload w) => MemoryEstimator.Estimate(w);

        private static Workload Ministral(string targets) => new Workload(ModelCatalog.Default.Get("mistralai/Ministral-3-3B-Instruct-2512"))
        {
            Method = FinetuneMethod.LoRA,
            Framework = Framework.Unsloth,
            LoraTargets = new[] { targets },
            ImageWidth = 320,
            ImageHeight = 50,
        };

        [Fact]
        public void RecordsTheRemarkAndEstimatesAsWithoutIt()
        {
            var remarked = Estimate(Ministral("all-linear (language + vision tower attention and MLP via finetune_* flags)"));
            var bare = Estimate(Ministral("all-linear"));
            Assert.Contains("-LoraTargets remark (recorded, not read): language + vision tower attention and MLP via finetune_* flags", remarked.Assumptions);
            Assert.Equal(bare.Reserved, remarked.Reserved);
            Assert.Equal(bare.TrainableParameters, remarked.TrainableParameters);
        }

        [Fact]
        public void ALanguageModelScopeLeavesTheVisionTowerWithoutAdapters()
        {
            var scoped = Estimate(Ministral("all-linear of the language model"));
            var whole = Estimate(Ministral("all-linear"));
            Assert.Contains("vision encoder frozen: -LoraTargets is scoped to the language model", scoped.Assumptions);
            // Unsloth adapts the tower by default (finetune_vision_layers=True): the scope removes exactly its adapters.
            Assert.True(scoped.TrainableParameters < whole.TrainableParameters);
            var told = Ministral("all-linear; vision not targeted");
            told.VisionTower = VisionTraining.Trained;
            var e = Assert.Throws<InvalidWorkloadException>(() => Estimate(told));
            Assert.Equal("VisionTower", e.Parameter);
        }

        [Fact]
        public void RefusesExpertParametersOnAModelWithoutFusedExperts()
        {
            var e = Assert.Throws<InvalidWorkloadException>(() => Estimate(Ministral("all-linear + MoE expert parameters mlp.experts.down_proj")));
            Assert.Equal("LoraTargets", e.Parameter);
            Assert.Contains("has no fused expert parameters", e.Message);
        }
    }
}
