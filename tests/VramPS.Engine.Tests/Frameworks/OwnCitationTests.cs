using System.Collections.Generic;
using System.Linq;
using VramPS.Engine.Estimation;
using VramPS.Engine.Frameworks;
using VramPS.Engine.Models;
using Xunit;

namespace VramPS.Engine.Tests.Frameworks
{
    /// <summary>
    /// The profiles derived with `with { }` from HF-Trainer's (torchtune, torchtitan over torchtune, Megatron-LM and the
    /// Megatron-Core stacks over it, DeepSpeed and the loops over its engine, verl) cite their own framework for every
    /// behaviour, and the values their sources gave when they were re-cited (issue #14: "each with the source file or
    /// document it was read from"): a behaviour they do not restate would keep its base's citation, and Get-VramFramework
    /// would show a Trainer, peft or TRL source as what the framework was read from.
    /// </summary>
    public class OwnCitationTests
    {
        private static readonly Framework[] Derived =
        {
            Framework.MegatronLM, Framework.NeMo, Framework.MegatronSwift, Framework.DeepSpeed, Framework.DeepSpeedChat,
            Framework.Verl, Framework.OpenRLHF, Framework.Torchtune, Framework.Torchtitan,
        };

        /// <summary>
        /// Behaviours whose HF-Trainer citation is right for the framework word for word, each with the reason. None is:
        /// each of these frameworks has its own loop, so even where it runs transformers' or peft's code its citation
        /// says so in its own words.
        /// </summary>
        private static readonly IReadOnlyDictionary<(Framework Framework, string Behaviour), string> SharedCitations =
            new Dictionary<(Framework, string), string>();

        public static IEnumerable<object[]> DerivedProfiles() => Derived.Select(f => new object[] { f });

        [Theory]
        [MemberData(nameof(DerivedProfiles))]
        public void No_behaviour_carries_HF_Trainers_citation(Framework framework)
        {
            var hf = FrameworkProfiles.Of(Framework.HfTrainer).Behaviors.ToDictionary(b => b.Name, b => b.Source);
            var copied = FrameworkProfiles.Of(framework).Behaviors
                .Where(b => hf.TryGetValue(b.Name, out var source) && source == b.Source && !SharedCitations.ContainsKey((framework, b.Name)))
                .Select(b => b.Name)
                .ToList();
            Assert.True(copied.Count == 0, $"{framework} cites HF-Trainer's source for: {string.Join(", ", copied)}");
        }

        [Fact]
        public void Torchtitan_cites_none_of_torchtunes_sources()
        {
            var torchtune = FrameworkProfiles.Of(Framework.Torchtune).Behaviors.ToDictionary(b => b.Name, b => b.Source);
            var copied = FrameworkProfiles.Of(Framework.Torchtitan).Behaviors
                .Where(b => torchtune.TryGetValue(b.Name, out var source) && source == b.Source)
                .Select(b => b.Name)
                .ToList();
            Assert.True(copied.Count == 0, $"torchtitan cites torchtune's source for: {string.Join(", ", copied)}");
        }

        [Fact]
        public void The_check_sees_every_behaviour_of_an_uncited_copy()
        {
            // A profile derived without restating anything shares every citation with its base: the comparison must
            // report all of them, or it could not fail.
            var hf = FrameworkProfiles.Of(Framework.HfTrainer);
            var copy = hf with { Name = "copy" };
            var sources = hf.Behaviors.ToDictionary(b => b.Name, b => b.Source);
            Assert.Equal(sources.Count, copy.Behaviors.Count(b => sources[b.Name] == b.Source));
            Assert.Equal(typeof(FrameworkProfile).GetProperties().Count(p => p.PropertyType.IsGenericType && p.PropertyType.GetGenericTypeDefinition() == typeof(Cited<>)), sources.Count);
        }

        [Fact]
        public void The_check_sees_a_citation_copied_from_HF_Trainer()
        {
            var hf = FrameworkProfiles.Of(Framework.HfTrainer);
            var copy = FrameworkProfiles.Of(Framework.MegatronLM) with { LossParallel = hf.LossParallel };
            Assert.Contains(copy.Behaviors, b => b.Name == nameof(FrameworkProfile.LossParallel) && b.Source == hf.LossParallel.Source);
        }

        // NVIDIA/Megatron-LM@core_v0.12.0 megatron/training/training.py get_model wraps the model, adapters included, in
        // Float16Module (module.bfloat16() under --bf16): 2 bytes per adapter weight, with the optimizer's fp32 main copy.
        [Fact]
        public void Megatron_LM_trains_its_adapters_in_bf16()
        {
            var w = new Workload(ModelCatalog.Default.Get("Qwen/Qwen2.5-7B-Instruct")) { Framework = Framework.MegatronLM, Method = FinetuneMethod.LoRA };
            var r = new ResolvedRecipe(w);
            Assert.Equal(2, new TrainerBehavior(r).AdapterBytes);
            Assert.DoesNotContain(r.Assumptions, a => a.Contains("adapters in fp32"));
        }

        // verl/workers/fsdp_workers.py (verl@004c888) _build_model_optimizer: AutoConfig.from_pretrained(...,
        // attn_implementation="flash_attention_2"), gradient_checkpointing_enable(gradient_checkpointing_kwargs=
        // {"use_reentrant": False}); verl/trainer/config/model/hf_model.yaml (verl@17aa18c) target_modules: all-linear.
        [Fact]
        public void Verl_loads_flash_attention_checkpoints_without_reentrancy_and_adapts_every_linear()
        {
            var verl = FrameworkProfiles.Of(Framework.Verl);
            Assert.Equal(AttentionKernel.Flash, verl.DefaultAttention.Value);
            Assert.False(verl.ReentrantCheckpointing.Value);
            Assert.True(verl.AllLinearLoraTargets.Value);
        }

        // openrlhf/cli/train_*.py: --target_modules default "all-linear"; train_dpo.py: ref_model = Actor(args.ref_pretrain, ...)
        // without LoRA, a second model whatever the policy's adapters.
        [Fact]
        public void OpenRLHF_adapts_every_linear_and_loads_a_separate_reference()
        {
            var openRlhf = FrameworkProfiles.Of(Framework.OpenRLHF);
            Assert.True(openRlhf.AllLinearLoraTargets.Value);
            Assert.True(openRlhf.ReferenceAlwaysCopy.Value);
        }

        // DeepSpeedExamples applications/DeepSpeed-Chat/dschat/rlhf/ppo_trainer.py: self.kl_ctl = 0.1.
        [Fact]
        public void DeepSpeed_Chat_penalises_KL_at_a_tenth()
        {
            Assert.Equal(0.1, FrameworkProfiles.Of(Framework.DeepSpeedChat).DefaultKlCoefficient.Value);
        }

        // swift/megatron/argument/megatron_args.py@00840e6 MegatronArguments: use_distributed_optimizer: bool = True.
        [Fact]
        public void Megatron_SWIFT_shards_the_optimizer_unless_told()
        {
            var w = new Workload(ModelCatalog.Default.Get("Qwen/Qwen2.5-7B-Instruct")) { Framework = Framework.MegatronSwift, Method = FinetuneMethod.LoRA, GpuCount = 2 };
            var r = new ResolvedRecipe(w);
            Assert.Equal(Sharding.Zero1, r.Sharding);
            Assert.Contains(r.Profile.DefaultSharding.Assumption, r.Assumptions);
        }
    }
}
