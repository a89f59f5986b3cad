using System.Linq;
using VramPS.Engine.Alignment;
using VramPS.Engine.Errors;
using VramPS.Engine.Estimation;
using VramPS.Engine.Gpus;
using VramPS.Engine.Models;
using Xunit;

namespace VramPS.Engine.Tests.Alignment
{
    /// <summary>
    /// The alignment frameworks that run PPO outside TRL: DeepSpeed-Chat (DeepSpeedExamples applications/DeepSpeed-Chat),
    /// verl and OpenRLHF. Expected figures come from their sources and logs, cited in each test.
    /// </summary>
    public class RlhfFrameworkTests
    {
        private static readonly ModelArchitecture Opt13 = ModelCatalog.Default.Get("facebook/opt-1.3b");
        private static readonly ModelArchitecture Opt350 = ModelCatalog.Default.Get("facebook/opt-350m");

        /// <summary>DeepSpeed-Chat's step-3 log run: OPT-1.3b actor, OPT-350m critic and reward, ZeRO-2 on 16 GPUs, fp16.</summary>
        private static Workload DschatPpo(bool ema)
        {
            return new Workload(Opt13)
            {
                Method = FinetuneMethod.Full,
                Precision = Precision.Fp16Mixed,
                Framework = Framework.DeepSpeedChat,
                Stage = TrainingStage.Ppo,
                RewardModel = Opt350,
                BatchSize = 4,
                GradientAccumulation = 1,
                GpuCount = 16,
                Sharding = Sharding.Zero2,
                Attention = AttentionKernel.Eager,
                EmaCopy = ema,
            };
        }

        [Fact]
        public void Hybrid_engine_workspace_is_the_size_its_log_requests()
        {
            // training_log_output/actor_opt-1.3b_critic_opt-350m_globalBatchSize64.log: "Requested memory: 0.515625
            // (GigaBytes)" for 4 sequences of 512 tokens (max_out_tokens = 256 + 256) on OPT-1.3b in fp16.
            Assert.Equal(0.515625 * (1L << 30), SequentialRlLayout.Workspace(Opt13, 4, 512, 2));
        }

        [Fact]
        public void DeepSpeed_chat_ppo_holds_reference_ema_and_reward_in_fp16_on_every_gpu()
        {
            var with = MemoryEstimator.Estimate(DschatPpo(ema: true));
            var without = MemoryEstimator.Estimate(DschatPpo(ema: false));

            Assert.Equal(new[] { ModelRole.Policy, ModelRole.Reference, ModelRole.Ema, ModelRole.Reward, ModelRole.Value }, with.Models.Select(m => m.Role));
            // rlhf_engine.py _init_ref / _init_ema: get_eval_ds_config fp16 at ZeRO stage 0 (the actor's is 2): 2 bytes per
            // parameter, not sharded over the 16 GPUs; _init_reward likewise for the critic's architecture.
            Assert.Equal(2 * Opt13.TotalParameters, with.Row(ModelRole.Ema).Weights);
            Assert.Equal(2 * Opt13.TotalParameters, with.Row(ModelRole.Reference).Weights);
            Assert.Equal(2 * Opt350.WithScalarHead().TotalParameters, with.Row(ModelRole.Reward).Weights);
            Assert.Equal(2 * Opt13.TotalParameters, with.Phases.Last().Weights - without.Phases.Last().Weights);
        }

        [Fact]
        public void DeepSpeed_chat_ppo_takes_its_own_defaults()
        {
            var e = MemoryEstimator.Estimate(DschatPpo(ema: false));
            // step3_rlhf_finetuning/main.py: --max_prompt_seq_len 256, --max_answer_seq_len 256, checkpointing flags off.
            Assert.Equal(256, e.PromptLength);
            Assert.Equal(256, e.GenerationLength);
            Assert.Equal(Checkpointing.None, e.Checkpointing);
        }

        [Fact]
        public void DeepSpeed_chat_refuses_the_stages_it_has_no_script_for()
        {
            var w = DschatPpo(ema: false);
            w.Stage = TrainingStage.Grpo;
            w.RewardModel = null;
            var error = Assert.Throws<InvalidWorkloadException>(() => MemoryEstimator.Estimate(w));
            Assert.Equal("Stage", error.Parameter);
        }

        [Fact]
        public void Ema_copy_is_refused_where_the_trainer_keeps_none()
        {
            var w = DschatPpo(ema: true);
            w.Framework = Framework.HfTrainer;
            var error = Assert.Throws<InvalidWorkloadException>(() => MemoryEstimator.Estimate(w));
            Assert.Equal("EmaCopy", error.Parameter);
        }

        [Fact]
        public void OpenRlhf_offloads_adam_through_the_step_and_never_a_trained_model_s_parameters()
        {
            // openrlhf/utils/deepspeed/deepspeed.py (OpenRLHF@3c3be62) get_ds_train_config: offload_optimizer cpu with
            // --ds.adam_offload (DeepSpeed's CPU Adam steps on the host: no states on the GPU at the step), offload_param
            // always none for the actor and critic.
            var w = new Workload(Opt13)
            {
                Method = FinetuneMethod.Full,
                Precision = Precision.Bf16Mixed,
                Framework = Framework.OpenRLHF,
                Stage = TrainingStage.Ppo,
                RewardModel = Opt350,
                GpuCount = 8,
                Sharding = Sharding.Zero2,
                Offload = Offload.Optimizer,
            };
            Assert.Equal(0, MemoryEstimator.Estimate(w).At(Phase.OptimizerStep).OptimizerStates);
            w.Sharding = Sharding.Zero3;
            w.Offload = Offload.OptimizerAndParameters;
            var error = Assert.Throws<InvalidWorkloadException>(() => MemoryEstimator.Estimate(w));
            Assert.Equal("Offload", error.Parameter);
            Assert.Contains("use -Offload Optimizer", error.Message);
        }

        [Fact]
        public void Verl_holds_its_rollout_pool_only_while_generating()
        {
            var gpu = GpuCatalog.Default.Get("H100-SXM");
            var w = new Workload(ModelCatalog.Default.Get("Qwen/Qwen2.5-7B"))
            {
                Method = FinetuneMethod.Full,
                Precision = Precision.Bf16Mixed,
                Framework = Framework.Verl,
                Stage = TrainingStage.Grpo,
                BatchSize = 8,
                GpuCount = 8,
                Sharding = Sharding.Zero3,
                Gpu = gpu,
            };
            var e = MemoryEstimator.Estimate(w);
            // rollout.yaml gpu_memory_utilization: 0.5 of the GPU; free_cache_engine: True releases it after generation.
            Assert.Equal(0.5, e.RolloutMemoryFraction);
            double pool = 0.5 * gpu.MemoryBytes;
            Assert.True(e.At(Phase.Generation).Allocated >= pool, "the pool is held while generating");
            Assert.True(e.At(Phase.OptimizerStep).Allocated < pool, "the pool is released for the update");
        }
    }
}
