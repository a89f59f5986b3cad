using System;
using System.Linq;
using VramPS.Engine.Alignment;
using VramPS.Engine.Errors;
using VramPS.Engine.Estimation;
using VramPS.Engine.Frameworks;
using VramPS.Engine.Models;
using Xunit;

namespace VramPS.Engine.Tests.Frameworks
{
    /// <summary>
    /// The profiles as a table: one per framework, every behaviour cited, and the values read from each framework's
    /// source (the file named in each test), so a profile edited by mistake fails here and not only in a figure.
    /// </summary>
    public class FrameworkProfileTests
    {
        [Fact]
        public void Every_framework_has_exactly_one_profile_under_its_own_name()
        {
            var frameworks = Enum.GetValues(typeof(Framework)).Cast<Framework>().ToArray();
            Assert.Equal(frameworks.OrderBy(f => f), FrameworkProfiles.All.Select(p => p.Framework).OrderBy(f => f));
            foreach (var f in frameworks) Assert.Equal(f, FrameworkProfiles.Of(f).Framework);
            Assert.Equal(FrameworkProfiles.All.Count, FrameworkProfiles.All.Select(p => p.Name.ToUpperInvariant()).Distinct().Count());
        }

        [Fact]
        public void Every_behaviour_of_every_profile_names_its_source()
        {
            foreach (var p in FrameworkProfiles.All)
            {
                Assert.False(string.IsNullOrWhiteSpace(p.Summary), p.Name);
                Assert.False(string.IsNullOrWhiteSpace(p.Versions), p.Name);
                Assert.True(p.Behaviors.Count >= 30, $"{p.Name}: {p.Behaviors.Count} behaviours");
                foreach (var b in p.Behaviors) Assert.False(string.IsNullOrWhiteSpace(b.Source), $"{p.Name}.{b.Name} has no source");
            }
        }

        [Fact]
        public void A_default_that_the_engine_takes_says_what_it_assumed()
        {
            foreach (var p in FrameworkProfiles.All)
            {
                if (p.DefaultCheckpointing.Value != null) Assert.False(string.IsNullOrEmpty(p.DefaultCheckpointing.Assumption), p.Name);
                if (p.DefaultAttention.Value != null) Assert.False(string.IsNullOrEmpty(p.DefaultAttention.Assumption), p.Name);
                if (p.DefaultVisionTraining.Value != null) Assert.False(string.IsNullOrEmpty(p.DefaultVisionTraining.Assumption), p.Name);
                if (p.TransformersRelease.Value != null) Assert.False(string.IsNullOrEmpty(p.TransformersRelease.Assumption), p.Name);
                if (p.DefaultTechniques.Value != Techniques.None) Assert.False(string.IsNullOrEmpty(p.DefaultTechniques.Assumption), p.Name);
                if (p.AllLinearLoraTargets.Value) Assert.False(string.IsNullOrEmpty(p.AllLinearLoraTargets.Assumption), p.Name);
                if (p.FullTrainsLoadedDtype.Value) Assert.False(string.IsNullOrEmpty(p.FullTrainsLoadedDtype.Assumption), p.Name);
            }
        }

        // lora_dropout defaults: litgpt/finetune/lora.py setup 0.05; fms-hf-tuning tuning/config/peft_config.py 0.05;
        // fsdp_qlora train.py 0.1; peft LoraConfig 0.0.
        [Theory]
        [InlineData("litgpt", 0.05)]
        [InlineData("fms-acceleration", 0.05)]
        [InlineData("fsdp_qlora", 0.1)]
        [InlineData("Megatron-SWIFT", 0.05)]
        [InlineData("HF-Trainer", 0.0)]
        [InlineData("torchtune", 0.0)]
        public void Lora_dropout_is_each_frameworks_default(string name, double dropout) =>
            Assert.Equal(dropout, FrameworkProfiles.Of(FrameworkNames.Parse(name)).LoraDropout.Value);

        [Fact]
        public void Unsloth_takes_over_only_the_stacks_that_train_a_transformers_model_in_transformers_Trainer()
        {
            // Unsloth's FastLanguageModel loads a transformers model and UnslothTrainer subclasses TRL's SFTTrainer
            // (unsloth/models/loader.py, unsloth/trainer.py): HF-Trainer's runs and peft's (transformers' Trainer over
            // get_peft_model) move over as they are; every other stack has its own model classes, loop or recipe.
            var takers = FrameworkProfiles.All.Where(p => p.UnslothTakesRuns.Value).Select(p => p.Framework).OrderBy(f => f).ToArray();
            Assert.Equal(new[] { Framework.HfTrainer, Framework.Peft }, takers);
        }

        [Fact]
        public void DeepSpeed_reduces_through_a_bucket_of_five_hundred_million_elements()
        {
            // deepspeed/runtime/zero/config.py: reduce_bucket_size default 5e8.
            Assert.Equal(500_000_000L, FrameworkProfiles.Of(Framework.DeepSpeed).ReduceBucketElements.Value);
            Assert.Equal(0L, FrameworkProfiles.Of(Framework.HfTrainer).ReduceBucketElements.Value);
        }

        [Fact]
        public void Selective_checkpointing_is_Megatron_LMs_core_attention_recompute_and_torchtitans_op_level_mode()
        {
            Assert.Equal(new[] { "Megatron-LM", "Megatron-SWIFT", "NeMo" }, FrameworkProfiles.All.Where(p => p.SelectiveRecompute.Value == SelectiveRecompute.CoreAttention).Select(p => p.Name));
            Assert.Equal(new[] { "torchtitan" }, FrameworkProfiles.All.Where(p => p.SelectiveRecompute.Value == SelectiveRecompute.OpLevel).Select(p => p.Name));
        }

        [Fact]
        public void A_profile_written_as_another_with_differences_keeps_the_rest()
        {
            var peft = FrameworkProfiles.Of(Framework.Peft);
            var trainer = FrameworkProfiles.Of(Framework.HfTrainer);
            Assert.Equal(new Version(5, 0), peft.TransformersRelease.Value);
            Assert.Equal(trainer.KbitPreparationUpcast, peft.KbitPreparationUpcast);
            Assert.Equal(trainer.LossPath, peft.LossPath);
        }

        [Fact]
        public void The_engine_asks_the_profile_for_defaults_and_says_so()
        {
            var w = new Workload(ModelArchitecture.LlamaLike(1_000_000_000)) { Method = FinetuneMethod.LoRA, Framework = Framework.LlamaFactory };
            var r = new ResolvedRecipe(w);
            Assert.Same(FrameworkProfiles.Of(Framework.LlamaFactory), r.Profile);
            Assert.Equal(Checkpointing.Full, r.Checkpointing);
            Assert.Contains(r.Profile.DefaultCheckpointing.Assumption, r.Assumptions);
            Assert.Contains(r.Profile.AllLinearLoraTargets.Assumption, r.Assumptions);
        }

        [Fact]
        public void Stages_are_refused_for_frameworks_without_them_naming_those_that_run_the_stage()
        {
            var w = new Workload(ModelArchitecture.LlamaLike(1_000_000_000)) { Framework = Framework.Torchtune, Stage = TrainingStage.Dpo };
            var e = Assert.Throws<InvalidWorkloadException>(() => MemoryEstimator.Estimate(w));
            // DPO: TRL's DPOTrainer under the transformers stacks and Unsloth, DeepSpeed-Chat's step2_dpo_finetuning,
            // OpenRLHF's train_dpo.py; verl runs only PPO and GRPO (main_ppo.py), so it is not offered for DPO.
            Assert.Equal("Stage", e.Parameter);
            Assert.Contains("use -Framework HF-Trainer, peft, axolotl, LLaMA-Factory, fms-acceleration, Unsloth, ms-swift, DeepSpeed-Chat or OpenRLHF.", e.Message);
        }

        [Fact]
        public void Behaviours_list_value_and_source_under_the_profiles_name()
        {
            var b = FrameworkProfiles.Of(Framework.Litgpt).Behaviors.Single(x => x.Name == nameof(FrameworkProfile.ChunkedHead));
            Assert.Equal("litgpt", b.Framework);
            Assert.Equal(true, b.Value);
            Assert.Contains("chunked_cross_entropy", b.Source);
        }
    }
}
