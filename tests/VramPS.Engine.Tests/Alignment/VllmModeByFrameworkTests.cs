using System.Linq;
using VramPS.Engine.Alignment;
using VramPS.Engine.Estimation;
using VramPS.Engine.Gpus;
using VramPS.Engine.Models;
using Xunit;

namespace VramPS.Engine.Tests.Alignment
{
    /// <summary>
    /// -VllmMode and -RolloutSleep where PPO generates with vLLM engines (OpenRLHF, verl), not only under TRL's GRPO:
    /// each setting either places the engine or is named in a warning, never dropped in silence or warned about wrongly.
    /// </summary>
    public class VllmModeByFrameworkTests
    {
        private static Workload Ppo(Framework framework) => new Workload(ModelCatalog.Default.Get("meta-llama/Llama-3.1-8B"))
        {
            Framework = framework, Stage = TrainingStage.Ppo, Method = FinetuneMethod.LoRA, GpuCount = 8, Gpu = GpuCatalog.Default.Get("H100-SXM"),
        };

        [Fact]
        public void OpenRlhf_ppo_colocates_its_engines_at_its_own_default_share_under_VllmMode_Colocate()
        {
            // openrlhf/cli/train_ppo_ray.py: --train.colocate_all puts the vLLM engines on the training GPUs with
            // --vllm.gpu_memory_utilization, default 0.95; without it they run on GPUs of their own.
            var colocate = Ppo(Framework.OpenRLHF);
            colocate.VllmMode = VllmMode.Colocate;
            var share = Ppo(Framework.OpenRLHF);
            share.RolloutMemoryFraction = 0.95;
            var apart = MemoryEstimator.Estimate(Ppo(Framework.OpenRLHF));
            var colocated = MemoryEstimator.Estimate(colocate);
            Assert.Equal(MemoryEstimator.Estimate(share).Total, colocated.Total);
            Assert.Equal(VllmMode.Colocate, colocated.VllmMode);
            Assert.True(colocated.Total > apart.Total);
            Assert.Empty(StageSettings.Ignored(colocate));
        }

        [Fact]
        public void OpenRlhf_ppo_under_VllmMode_Server_is_its_default_placement()
        {
            var server = Ppo(Framework.OpenRLHF);
            server.VllmMode = VllmMode.Server;
            var e = MemoryEstimator.Estimate(server);
            Assert.Equal(MemoryEstimator.Estimate(Ppo(Framework.OpenRLHF)).Total, e.Total);
            Assert.Contains(e.Assumptions, a => a.Contains("GPUs of their own") && a.Contains("train_ppo_ray.py"));
            Assert.DoesNotContain(e.Assumptions, a => a.Contains("trl vllm-serve") || a.Contains("vllm_mode=\"server\""));
        }

        [Fact]
        public void Verl_rollout_sleep_applies_to_its_colocated_engine_without_a_warning_that_it_is_ignored()
        {
            // verl's rollout runs in the actor's workers at gpu_memory_utilization 0.5 (rollout.yaml): colocated by
            // default, so free_cache_engine False (-RolloutSleep $false) keeps the engine's pool through the update.
            var awake = Ppo(Framework.Verl);
            awake.RolloutSleep = false;
            Assert.Empty(StageSettings.Ignored(awake));
            Assert.True(MemoryEstimator.Estimate(awake).Total > MemoryEstimator.Estimate(Ppo(Framework.Verl)).Total);
        }

        [Fact]
        public void Trl_ppo_names_VllmMode_as_ignored_and_the_frameworks_whose_ppo_takes_it()
        {
            // TRL's PPOTrainer generates with transformers' generate: no vLLM engine to place.
            var trl = Ppo(Framework.HfTrainer);
            trl.VllmMode = VllmMode.Colocate;
            string message = StageSettings.Ignored(trl).Single();
            Assert.Contains("-VllmMode", message);
            Assert.Contains("(verl or OpenRLHF)", message);
            Assert.Contains("ignores it", message);
        }

        [Fact]
        public void The_reference_loads_as_each_framework_decides_by_its_kl_term()
        {
            // OpenRLHF: --algo.kl.init_coef 0.01 by default, ReferenceModelActor only when above 0 (PPO and GRPO alike).
            // verl: need_reference_policy only with actor.use_kl_loss or algorithm.use_kl_in_reward, both off by default.
            // ms-swift GRPO: beta None becomes 0.04. TRL: GRPOConfig.beta 0.0, and PPOTrainer always holds a reference.
            static bool HasReference(Framework framework, TrainingStage stage, double? kl = null)
            {
                var w = Ppo(framework);
                w.Stage = stage;
                w.KlCoefficient = kl;
                return MemoryEstimator.Estimate(w).Models.Any(m => m.Role == ModelRole.Reference);
            }
            Assert.True(HasReference(Framework.OpenRLHF, TrainingStage.Grpo));
            Assert.True(HasReference(Framework.OpenRLHF, TrainingStage.Ppo));
            Assert.False(HasReference(Framework.OpenRLHF, TrainingStage.Ppo, 0));
            Assert.False(HasReference(Framework.Verl, TrainingStage.Ppo));
            Assert.True(HasReference(Framework.Verl, TrainingStage.Ppo, 0.001));
            Assert.False(HasReference(Framework.Verl, TrainingStage.Grpo));
            Assert.True(HasReference(Framework.MsSwift, TrainingStage.Grpo));
            Assert.False(HasReference(Framework.HfTrainer, TrainingStage.Grpo));
            Assert.True(HasReference(Framework.HfTrainer, TrainingStage.Ppo));
        }

        [Fact]
        public void KlCoefficient_is_read_for_ppo_where_the_framework_loads_its_reference_for_it()
        {
            var verl = Ppo(Framework.Verl);
            verl.KlCoefficient = 0.001;
            Assert.Empty(StageSettings.Ignored(verl));
            var trl = Ppo(Framework.HfTrainer);
            trl.KlCoefficient = 0.001;
            Assert.Contains("-KlCoefficient applies to -Stage Grpo only; -Stage Ppo ignores it.", StageSettings.Ignored(trl));
        }

        [Fact]
        public void OpenRlhf_generates_up_to_its_max_len_and_own_loops_are_not_described_by_trl_configs()
        {
            // train_ppo_ray.py: --data.max_len 2048 on prompt plus response, --rollout.max_new_tokens None fills it.
            var recipe = new StageRecipe(Ppo(Framework.OpenRLHF));
            Assert.Equal(2048, recipe.PromptLength + recipe.GenerationLength);
            Assert.DoesNotContain(recipe.Assumptions, n => n.Contains("PPOConfig") || n.Contains("GRPOConfig"));
            var verl = Ppo(Framework.Verl);
            verl.Stage = TrainingStage.Grpo;
            Assert.DoesNotContain(new StageRecipe(verl).Assumptions, n => n.Contains("GRPOConfig") || n.Contains("TRL needs"));
            // TRL's own trainers keep their config's words.
            Assert.Contains(new StageRecipe(Ppo(Framework.HfTrainer)).Assumptions, n => n.Contains("PPOConfig.local_batch_size"));
        }

        [Fact]
        public void OpenRlhf_shards_with_zero2_unless_told()
        {
            // openrlhf/cli/train_ppo_ray.py and train_dpo.py: --ds.zero_stage default 2.
            var dpo = Ppo(Framework.OpenRLHF);
            dpo.Stage = TrainingStage.Dpo;
            Assert.Equal(Sharding.Zero2, MemoryEstimator.Estimate(dpo).Sharding);
            Assert.Equal(Sharding.Zero2, MemoryEstimator.Estimate(Ppo(Framework.OpenRLHF)).Sharding);
        }
    }
}
