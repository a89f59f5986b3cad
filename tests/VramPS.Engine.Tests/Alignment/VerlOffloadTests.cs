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
    /// verl's offload is not FSDP's CPUOffload: verl/workers/fsdp_workers.py (volcengine/verl@b178a3c) wraps the actor and
    /// critic without it and moves their flat parameters (param_offload, fsdp_utils.py offload_fsdp_model_to_cpu) and
    /// optimizer states (optimizer_offload, offload_fsdp_optimizer) to the host between phases: update_actor and
    /// update_critic load both back before the update and offload them after it, compute_log_prob and compute_values
    /// load only the weights, rollout_mode offloads the weights before the engine resumes. The reference and reward
    /// models are wrapped with CPUOffload(offload_params=True) whatever the settings. Qwen2.5-7B, full fine-tuning in
    /// bf16 mixed precision over fp32 weights (the actor's torch_dtype float32), FSDP full shard (Zero3) on 8 H100s.
    /// </summary>
    public class VerlOffloadTests
    {
        private static readonly ModelArchitecture Qwen7 = ModelCatalog.Default.Get("Qwen/Qwen2.5-7B");
        private static readonly long P = Qwen7.TotalParameters;

        private static Workload Run(TrainingStage stage, Offload offload)
        {
            return new Workload(Qwen7)
            {
                Method = FinetuneMethod.Full,
                Precision = Precision.Bf16Mixed,
                Framework = Framework.Verl,
                Stage = stage,
                RewardModel = stage == TrainingStage.Ppo ? Qwen7 : null,
                // PPO with a KL penalty in the reward (algorithm.use_kl_in_reward, kl_ctrl.kl_coef 0.001): the reference loads.
                KlCoefficient = stage == TrainingStage.Ppo ? 0.001 : null,
                BatchSize = 8,
                GpuCount = 8,
                Sharding = Sharding.Zero3,
                Offload = offload,
                Gpu = GpuCatalog.Default.Get("H100-SXM"),
            };
        }

        private static readonly Phase[] Update = { Phase.ForwardEnd, Phase.BackwardStart, Phase.BackwardTop, Phase.BackwardEnd, Phase.OptimizerStep };

        [Theory]
        [InlineData(Offload.Optimizer)]
        [InlineData(Offload.OptimizerAndParameters)]
        public void The_actor_update_runs_with_weights_gradients_and_optimizer_states_on_the_gpu(Offload offload)
        {
            // update_actor: load_fsdp_model_to_gpu and load_fsdp_optimizer before actor.update_policy, so each phase of the
            // update holds what it holds without offload; the optimizer step's AdamW states (exp_avg and exp_avg_sq, fp32)
            // are 8 bytes per parameter over the 8 ranks.
            var none = MemoryEstimator.Estimate(Run(TrainingStage.Grpo, Offload.None));
            var offloaded = MemoryEstimator.Estimate(Run(TrainingStage.Grpo, offload));
            foreach (var phase in Update) Assert.Equal(none.At(phase).Allocated, offloaded.At(phase).Allocated);
            Assert.Equal(8 * P / 8, offloaded.At(Phase.OptimizerStep).OptimizerStates);
            Assert.True(offloaded.At(Phase.BackwardEnd).Gradients > 0, "FSDP keeps the reduce-scattered gradients on the GPU");
        }

        [Fact]
        public void Between_phases_the_actor_keeps_only_what_is_not_offloaded()
        {
            // Generation is the peak (the rollout engine's 0.5 of the GPU). Optimizer: the fp32 weight shard, 4 bytes per
            // parameter over 8 ranks, stays; OptimizerAndParameters: rollout_mode offloads it too.
            var optimizer = MemoryEstimator.Estimate(Run(TrainingStage.Grpo, Offload.Optimizer));
            var both = MemoryEstimator.Estimate(Run(TrainingStage.Grpo, Offload.OptimizerAndParameters));
            Assert.Equal(Phase.Generation, optimizer.PeakPhase);
            Assert.Equal(4 * P / 8, optimizer.Row(ModelRole.Policy).Weights);
            Assert.Equal(0, optimizer.Row(ModelRole.Policy).OptimizerStates);
            Assert.Equal(0, both.Row(ModelRole.Policy).Weights);
            Assert.Equal(0, both.Row(ModelRole.Policy).OptimizerStates);
            Assert.Equal(4 * P / 8, optimizer.At(Phase.Generation).Allocated - both.At(Phase.Generation).Allocated);
        }

        [Fact]
        public void Log_prob_loads_the_weights_back_but_not_the_optimizer_states()
        {
            // compute_log_prob: load_fsdp_model_to_gpu only. Scoring with the weights offloaded holds what it holds with the
            // optimizer alone offloaded; without offload it holds the 8 bytes per parameter of AdamW's states besides.
            var none = MemoryEstimator.Estimate(Run(TrainingStage.Grpo, Offload.None));
            var optimizer = MemoryEstimator.Estimate(Run(TrainingStage.Grpo, Offload.Optimizer));
            var both = MemoryEstimator.Estimate(Run(TrainingStage.Grpo, Offload.OptimizerAndParameters));
            Assert.Equal(optimizer.At(Phase.Scoring).Allocated, both.At(Phase.Scoring).Allocated);
            Assert.Equal(8 * P / 8, none.At(Phase.Scoring).Allocated - optimizer.At(Phase.Scoring).Allocated);
        }

        [Fact]
        public void The_host_holds_each_rank_s_offloaded_shards()
        {
            // Per rank: AdamW's 8 bytes per parameter, and with param_offload the fp32 weights' 4, over 8 ranks; the
            // node's host holds its 8 ranks' (HostMemory is per node, as for supervised runs), beside the same loaders.
            long none = MemoryEstimator.Estimate(Run(TrainingStage.Grpo, Offload.None)).HostMemory;
            Assert.Equal(8 * (8 * P / 8), MemoryEstimator.Estimate(Run(TrainingStage.Grpo, Offload.Optimizer)).HostMemory - none);
            Assert.Equal(8 * (12 * P / 8), MemoryEstimator.Estimate(Run(TrainingStage.Grpo, Offload.OptimizerAndParameters)).HostMemory - none);
        }

        [Fact]
        public void Reference_and_reward_weights_stay_on_the_host()
        {
            // _build_model_optimizer(role="ref") and RewardModelWorker wrap with CPUOffload(offload_params=True): their bf16
            // shards (2 bytes per parameter over 8 ranks; the reward model's scalar head in place of the LM head) are on
            // the host, none on the GPU between their forwards.
            var e = MemoryEstimator.Estimate(Run(TrainingStage.Ppo, Offload.None));
            Assert.Equal(0, e.Row(ModelRole.Reference).Weights);
            Assert.Equal(0, e.Row(ModelRole.Reward).Weights);
            // Per node: 8 ranks' shards, and each rank's loader (3 int64 tensors, loaded and pinned: 48 bytes a token).
            var policy = new VramPS.Engine.Alignment.StageRecipe(Run(TrainingStage.Ppo, Offload.None)).Policy;
            double loader = 48.0 * policy.BatchSize * policy.SequenceLength;
            Assert.Equal((long)(8 * ((2 * P + 2 * Qwen7.WithScalarHead().TotalParameters) / 8 + loader)), e.HostMemory);
            Assert.Equal(1, e.Nodes);
        }

        [Fact]
        public void Ppo_generation_with_everything_offloaded_holds_only_the_rollout_engine()
        {
            // Actor and critic offload weights and states between phases; reference and reward live on the host.
            var e = MemoryEstimator.Estimate(Run(TrainingStage.Ppo, Offload.OptimizerAndParameters));
            Assert.Equal(Phase.Generation, e.PeakPhase);
            Assert.All(e.Models.Where(m => m.Role != ModelRole.Rollout), m => Assert.Equal(0, m.Total));
        }

        [Fact]
        public void Verl_shards_fully_unless_told_otherwise()
        {
            // get_sharding_strategy: FULL_SHARD while fsdp_config.reshard_after_forward (engine/fsdp.yaml: true).
            var w = Run(TrainingStage.Grpo, Offload.None);
            w.Sharding = null;
            var e = MemoryEstimator.Estimate(w);
            Assert.Equal(Sharding.Zero3, e.Sharding);
            Assert.Equal(MemoryEstimator.Estimate(Run(TrainingStage.Grpo, Offload.None)).Allocated, e.Allocated);
        }

        [Fact]
        public void Trl_keeps_its_optimizer_states_on_the_host_through_the_update()
        {
            // TRL takes -Offload from DeepSpeed or FSDP, which step the optimizer on the host: no states on the GPU at the step.
            var w = Run(TrainingStage.Grpo, Offload.Optimizer);
            w.Framework = Framework.HfTrainer;
            Assert.Equal(0, MemoryEstimator.Estimate(w).At(Phase.OptimizerStep).OptimizerStates);
        }

        [Fact]
        public void Verl_sft_refuses_optimizer_offload_without_the_parameters()
        {
            // verl/trainer/fsdp_sft_trainer.py: CPUOffload(offload_params=...) is its only offload.
            var w = Run(TrainingStage.Sft, Offload.Optimizer);
            w.Stage = null;
            var error = Assert.Throws<InvalidWorkloadException>(() => MemoryEstimator.Estimate(w));
            Assert.Equal("Offload", error.Parameter);
            Assert.Contains("OptimizerAndParameters", error.Message);
        }

        [Fact]
        public void Verl_sft_offloads_as_fsdp_cpu_offload_does()
        {
            // CPUOffload(offload_params=True) offloads the gradients and steps the optimizer on the host (torch FSDP api.py).
            var w = Run(TrainingStage.Sft, Offload.OptimizerAndParameters);
            w.Stage = null;
            var step = MemoryEstimator.Estimate(w).At(Phase.OptimizerStep);
            Assert.Equal(0, step.OptimizerStates);
            Assert.Equal(0, step.Gradients);
        }
    }
}
