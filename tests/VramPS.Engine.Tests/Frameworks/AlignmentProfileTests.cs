using VramPS.Engine.Alignment;
using VramPS.Engine.Frameworks;
using Xunit;

namespace VramPS.Engine.Tests.Frameworks
{
    /// <summary>The alignment behaviours of DeepSpeed-Chat, verl and OpenRLHF, each read from the file named beside it.</summary>
    public class AlignmentProfileTests
    {
        private static FrameworkProfile Of(string name) => FrameworkProfiles.Of(FrameworkNames.Parse(name));

        [Fact]
        public void DeepSpeed_chat_reads_its_step_scripts_defaults()
        {
            var p = Of("DeepSpeed-Chat");
            // step2_*/main.py --max_seq_len 512; step3 main.py --max_prompt_seq_len 256, --max_answer_seq_len 256;
            // every --*gradient_checkpointing is store_true; --enable_ema exists; ds_utils.py overlap_comm True.
            Assert.Equal(512, p.PreferenceLength.Value);
            Assert.Equal(256, p.PromptLength.Value);
            Assert.Equal(256, p.GenerationLength.Value);
            Assert.False(p.StageCheckpointing.Value);
            Assert.True(p.EmaCopy.Value);
            Assert.Equal(2, p.ReduceBuffers.Value);
            Assert.Equal(RolloutGeneration.HybridEngine, p.Generation.Value);
            Assert.Equal("RewardModel, Dpo, Ppo", p.Stages.Value!.ToString());
        }

        [Fact]
        public void Verl_reads_its_rollout_and_data_configs()
        {
            var p = Of("verl");
            // rollout.yaml gpu_memory_utilization 0.5, free_cache_engine True; legacy_data.yaml 512 and 512;
            // hf_model.yaml enable_gradient_checkpointing True.
            Assert.Equal(0.5, p.RolloutFraction.Value);
            Assert.True(p.RolloutSleeps.Value);
            Assert.Equal(512, p.PromptLength.Value);
            Assert.Equal(512, p.GenerationLength.Value);
            Assert.True(p.StageCheckpointing.Value);
            Assert.True(p.SequentialPpoUpdates.Value);
            Assert.Equal("Ppo, Grpo", p.Stages.Value!.ToString());
        }

        [Fact]
        public void OpenRlhf_places_its_vllm_engines_apart_unless_colocated()
        {
            var p = Of("OpenRLHF");
            // train_ppo_ray.py: no --train.colocate_all by default, --vllm.enable_sleep store_true; train_dpo.py --data.max_len 512.
            Assert.Null(p.RolloutFraction.Value);
            Assert.False(p.RolloutSleeps.Value);
            Assert.Equal(512, p.PreferenceLength.Value);
            Assert.True(p.FrozenModelsSixteenBit.Value);
            Assert.Equal(1, Of("HF-Trainer").ReduceBuffers.Value);
        }
    }
}
