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
    /// NeMo 2.0's behaviours, each from NVIDIA/NeMo at 8cfedd7: nemo/collections/llm/peft/lora.py (LoRA's dataclass
    /// defaults), peft/utils.py (ParallelLinearAdapter's dtype), peft/__init__.py (PEFT_STR2CLS),
    /// recipes/optim/adam.py (use_distributed_optimizer=True), recipes/finetune_default.py (no recompute, no sequence
    /// parallelism) and recipes/precision/mixed_precision.py (bf16-mixed, grad_reduce_in_fp32=True).
    /// </summary>
    public class NeMoProfileTests
    {
        private static Workload Llama8B(FinetuneMethod method, int gpus = 8) =>
            new Workload(ModelCatalog.Default.Get("meta-llama/Llama-3.1-8B")) { Framework = Framework.NeMo, Method = method, GpuCount = gpus, SequenceLength = 2048 };

        [Theory]
        [InlineData("NeMo")]
        [InlineData("nemo")]
        [InlineData("Megatron-Bridge")]
        [InlineData("megatron-bridge")]
        public void Both_names_read_as_the_NeMo_profile(string name) =>
            Assert.Equal(Framework.NeMo, FrameworkNames.Read(name).Framework);

        [Fact]
        public void An_unknown_name_lists_NeMo_with_its_synonym()
        {
            var e = Assert.Throws<InvalidWorkloadException>(() => FrameworkNames.Read("NeMo-Aligner"));
            Assert.Equal("Framework", e.Parameter);
            Assert.Contains("NeMo (Megatron-Bridge)", e.Message);
        }

        [Fact]
        public void LoRA_is_dim_32_on_every_linear_in_bf16_without_dropout()
        {
            // lora.py LoRA: target_modules linear_qkv, linear_proj, linear_fc1, linear_fc2; dim 32; dropout 0.0;
            // utils.py ParallelLinearAdapter: self.bfloat16() under a bf16 model config.
            var r = new ResolvedRecipe(Llama8B(FinetuneMethod.LoRA));
            var t = new TrainerBehavior(r);
            Assert.Equal(32, r.LoraRank);
            Assert.Equal(2, t.AdapterBytes);
            Assert.False(t.LoraDropout);
            Assert.Contains(r.Profile.AllLinearLoraTargets.Assumption, r.Assumptions);
            Assert.Contains(r.Profile.DefaultLoraRank.Assumption, r.Assumptions);
            Assert.All(Enumerable.Range(0, r.Model.LinearModuleNames.Count), i => Assert.True(r.AdaptsName(i), r.Model.LinearModuleNames[i]));
        }

        [Fact]
        public void The_default_dim_trains_four_times_the_adapter_parameters_of_the_recipes_dim_8()
        {
            // Each adapted linear trains r x (in + out) parameters: dim 32 against the model recipes' recipe.peft.dim = 8.
            var byDefault = MemoryEstimator.Estimate(Llama8B(FinetuneMethod.LoRA));
            var w = Llama8B(FinetuneMethod.LoRA);
            w.LoraRank = 8;
            Assert.Equal(4 * MemoryEstimator.Estimate(w).TrainableParameters, byDefault.TrainableParameters);
        }

        [Fact]
        public void Full_training_shards_the_optimizer_over_the_data_parallel_ranks_and_says_so()
        {
            // adam.py: use_distributed_optimizer=True: the fp32 main parameters and both Adam moments (12 bytes a
            // parameter) split over the 8 data-parallel ranks.
            var e = MemoryEstimator.Estimate(Llama8B(FinetuneMethod.Full));
            Assert.Equal(Sharding.Zero1, e.Sharding);
            Assert.Contains(FrameworkProfiles.Of(Framework.NeMo).FullShardsOptimizer.Assumption, e.Assumptions);
            var plain = Llama8B(FinetuneMethod.Full);
            plain.Sharding = Sharding.None;
            Assert.Equal(MemoryEstimator.Estimate(plain).OptimizerStates, 8 * e.OptimizerStates);
        }

        [Fact]
        public void LoRA_keeps_plain_data_parallel_as_the_recipes_turn_the_distributed_optimizer_off()
        {
            // recipes/llama3_8b.py finetune_recipe, LoRA branch: recipe.optim.config.use_distributed_optimizer = False.
            Assert.Equal(Sharding.None, MemoryEstimator.Estimate(Llama8B(FinetuneMethod.LoRA)).Sharding);
        }

        [Fact]
        public void Holds_bf16_weights_with_fp32_main_parameters_and_a_resident_fp32_gradient_buffer_without_recompute()
        {
            // mixed_precision.py bf16_mixed: params_dtype bf16, grad_reduce_in_fp32=True (fp32 main_grad buffer from
            // the first forward); finetune_default.py sets no recompute.
            var w = Llama8B(FinetuneMethod.Full, gpus: 1);
            var e = MemoryEstimator.Estimate(w);
            Assert.Equal(Precision.Bf16Mixed, e.Precision);
            Assert.Equal(Checkpointing.None, e.Checkpointing);
            long parameters = w.Model.TotalParameters;
            Assert.Equal(2 * parameters, e.Phases.Single(p => p.Phase == Phase.ForwardEnd).Weights);
            Assert.Equal(4 * parameters, e.Phases.Single(p => p.Phase == Phase.ForwardEnd).Gradients);
        }

        [Fact]
        public void Offers_LoRA_and_DoRA_and_refuses_other_adapters_naming_Adapter()
        {
            var dora = Llama8B(FinetuneMethod.LoRA);
            dora.Adapter = AdapterKind.DoRA;
            Assert.Equal(32, MemoryEstimator.Estimate(dora).LoraRank);
            var loha = Llama8B(FinetuneMethod.LoRA);
            loha.Adapter = AdapterKind.LoHa;
            var e = Assert.Throws<InvalidWorkloadException>(() => MemoryEstimator.Estimate(loha));
            Assert.Equal("Adapter", e.Parameter);
            Assert.Contains("LoRA, DoRA", e.Message);
        }

        [Fact]
        public void Refuses_a_bitsandbytes_base_naming_Framework()
        {
            var e = Assert.Throws<InvalidWorkloadException>(() => MemoryEstimator.Estimate(Llama8B(FinetuneMethod.QLoRA)));
            Assert.Equal("Framework", e.Parameter);
            Assert.Contains("NeMo", e.Message);
        }

        [Fact]
        public void Refuses_alignment_stages_naming_Stage()
        {
            var w = Llama8B(FinetuneMethod.LoRA);
            w.Stage = TrainingStage.Dpo;
            var e = Assert.Throws<InvalidWorkloadException>(() => MemoryEstimator.Estimate(w));
            Assert.Equal("Stage", e.Parameter);
            Assert.Contains("-Framework NeMo", e.Message);
        }
    }
}
