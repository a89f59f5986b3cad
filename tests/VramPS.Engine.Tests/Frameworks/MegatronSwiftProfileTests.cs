using System.Linq;
using VramPS.Engine.Errors;
using VramPS.Engine.Estimation;
using VramPS.Engine.Frameworks;
using VramPS.Engine.Models;
using Xunit;

namespace VramPS.Engine.Tests.Frameworks
{
    /// <summary>
    /// Megatron-SWIFT's behaviours, each from ms-swift's source at ea766ff (swift/megatron/argument/megatron_args.py,
    /// swift/megatron/tuners/lora.py), and the gradient buffer it shares with Megatron-LM
    /// (megatron/core/distributed/param_and_grad_buffer.py).
    /// </summary>
    public class MegatronSwiftProfileTests
    {
        private static Workload Qwen7B(FinetuneMethod method) =>
            new Workload(ModelCatalog.Default.Get("Qwen/Qwen2.5-7B-Instruct")) { Framework = Framework.MegatronSwift, Method = method, GpuCount = 2, TensorParallel = 2 };

        [Fact]
        public void The_default_lora_rank_says_whose_it_is()
        {
            // megatron_args.py@00840e6 MegatronTunerMixin lora_rank: int = 8 is Megatron-SWIFT's own; Megatron-LM's
            // peft.py takes whatever LoRA the run hands in, so its rank 8 is VramPS's guess, not peft's default.
            var swift = new ResolvedRecipe(Qwen7B(FinetuneMethod.LoRA));
            Assert.Equal(8, swift.Adapter.Rank);
            Assert.Contains("LoRA rank 8 (Megatron-SWIFT's lora_rank default)", swift.Assumptions);
            var w = Qwen7B(FinetuneMethod.LoRA);
            w.Framework = Framework.MegatronLM;
            var megatron = new ResolvedRecipe(w);
            Assert.Contains(megatron.Assumptions, a => a.StartsWith("LoRA rank 8 (a guess", System.StringComparison.Ordinal));
            Assert.DoesNotContain(megatron.Assumptions, a => a.Contains("peft's default)", System.StringComparison.Ordinal));
        }

        [Fact]
        public void Recomputes_the_core_attention_unless_told_and_says_so()
        {
            // megatron_args.py: recompute_granularity 'selective', recompute_modules ['core_attn'].
            var r = new ResolvedRecipe(Qwen7B(FinetuneMethod.Full));
            Assert.Equal(Checkpointing.Selective, r.Checkpointing);
            Assert.Equal(SelectiveRecompute.CoreAttention, r.Profile.SelectiveRecompute.Value);
            Assert.Contains(r.Profile.DefaultCheckpointing.Assumption, r.Assumptions);
        }

        [Fact]
        public void LoRA_adapts_every_linear_in_bf16_with_dropout_005()
        {
            // MegatronTunerMixin: target_modules ['all-linear'], lora_dropout 0.05; tuners/lora.py moves the adapters to
            // the base weight's dtype (bf16 under --bf16).
            var w = Qwen7B(FinetuneMethod.LoRA);
            var r = new ResolvedRecipe(w);
            var t = new TrainerBehavior(r);
            Assert.Equal(2, t.AdapterBytes);
            Assert.True(t.LoraDropout);
            Assert.Contains(r.Profile.AllLinearLoraTargets.Assumption, r.Assumptions);
            // Qwen2.5's linears: q, k, v, o, gate, up, down, every one adapted.
            Assert.Equal(7, r.Model.LinearModuleNames.Count);
            Assert.All(Enumerable.Range(0, 7), i => Assert.True(r.AdaptsName(i), r.Model.LinearModuleNames[i]));
        }

        // Qwen2.5-7B (hidden 3584, intermediate 18944, 28 heads of 128 with 4 key-value heads, 28 layers), LoRA r8 on
        // q, k, v, o, gate, up, down: 8 x ((3584 + 3584) x 2 + (3584 + 512) x 2 + (3584 + 18944) x 3) = 720,896 per layer.
        private const long Qwen7BLoraR8 = 28L * 720_896;

        // The same targets on Megatron-Core's modules: linear_qkv (3584 -> 3584 + 512 + 512), linear_proj (3584 -> 3584),
        // linear_fc1 (3584 -> 2 x 18944), linear_fc2 (18944 -> 3584), one pair each (ms-swift tuners/lora.py
        // LoraParallelLinear: lora_A in x r, lora_B r x out): 8 x ((3584 + 4608) + (3584 + 3584) + (3584 + 37888)
        // + (18944 + 3584)) = 65,536 + 57,344 + 331,776 + 180,224 = 634,880 per layer.
        private const long Qwen7BFusedLoraR8 = 28L * 634_880;

        private static Workload Qwen7BLoraOn(Framework framework, int gpus, Sharding sharding) =>
            new Workload(ModelCatalog.Default.Get("Qwen/Qwen2.5-7B-Instruct"))
            {
                Framework = framework, Method = FinetuneMethod.LoRA, Precision = Precision.Bf16, LoraRank = 8,
                LoraTargets = new[] { "all-linear" }, GpuCount = gpus, Sharding = sharding, SequenceLength = 1024,
            };

        [Theory]
        [InlineData(Framework.MegatronSwift)]
        [InlineData(Framework.NeMo)]
        public void Bf16_adapters_get_fp32_main_gradients_and_an_fp32_main_copy_stepped_with_fp32_moments(Framework framework)
        {
            // Megatron-Core under --bf16 (arguments.py: accumulate_allreduce_grads_in_fp32, so the DDP grad buffer is
            // fp32 for every parameter that requires grad; distrib_optimizer.py: each bf16 parameter's shard is cloned to
            // fp32 for the optimizer, Adam's exp_avg and exp_avg_sq on that copy). Per adapter element on one GPU:
            // 4 bytes of gradient and 4 + 4 + 4 of main copy and moments, beside its 2-byte bf16 weight. (ms-swift's and
            // NeMo's adapters are bf16: training.py get_model's Float16Module casts them with the model.)
            var e = MemoryEstimator.Estimate(Qwen7BLoraOn(framework, 1, Sharding.None));
            var step = e.Phases.Single(p => p.Phase == Phase.OptimizerStep);
            Assert.Equal(Qwen7BFusedLoraR8, e.TrainableParameters);
            Assert.Equal(4 * Qwen7BFusedLoraR8, step.Gradients);
            Assert.Equal(12 * Qwen7BFusedLoraR8, step.OptimizerStates);
        }

        [Fact]
        public void The_default_precision_of_a_LoRA_run_says_its_adapters_are_bf16_with_an_fp32_main_copy()
        {
            // Without -Precision the estimate's assumption must describe what it computed (2-byte adapters, 4-byte
            // gradients, 12 bytes of main copy and moments), not peft's fp32 adapters.
            var w = Qwen7BLoraOn(Framework.MegatronSwift, 1, Sharding.None);
            w.Precision = null;
            var r = new ResolvedRecipe(w);
            Assert.Equal(Precision.Bf16, r.Precision);
            Assert.Contains(r.Assumptions, a => a.StartsWith("frozen base and adapters in bf16; the optimizer steps an fp32 main copy", System.StringComparison.Ordinal));
            Assert.DoesNotContain(r.Assumptions, a => a.Contains("adapters in fp32", System.StringComparison.Ordinal));
        }

        [Fact]
        public void The_distributed_optimizer_shards_the_adapters_main_copy_and_moments_but_not_their_gradients()
        {
            // -Sharding Zero1 is the distributed optimizer: over 4 data-parallel ranks each steps a quarter of the fp32
            // main copy and moments (12 bytes per element / 4); the fp32 grad buffer stays whole on every rank.
            var step = MemoryEstimator.Estimate(Qwen7BLoraOn(Framework.MegatronSwift, 4, Sharding.Zero1)).Phases.Single(p => p.Phase == Phase.OptimizerStep);
            Assert.Equal(4 * Qwen7BFusedLoraR8, step.Gradients);
            Assert.Equal(12 * Qwen7BFusedLoraR8 / 4, step.OptimizerStates);
        }

        [Fact]
        public void Peft_adapters_under_the_Trainer_keep_fp32_gradients_and_moments_with_no_main_copy()
        {
            // The contrast: peft's fp32 adapters (autocast_adapter_dtype) step in place: 4 bytes of gradient, 8 of moments.
            var step = MemoryEstimator.Estimate(Qwen7BLoraOn(Framework.HfTrainer, 1, Sharding.None)).Phases.Single(p => p.Phase == Phase.OptimizerStep);
            Assert.Equal(4 * Qwen7BLoraR8, step.Gradients);
            Assert.Equal(8 * Qwen7BLoraR8, step.OptimizerStates);
        }

        [Fact]
        public void Offers_LoRA_only_and_refuses_other_adapters_naming_Adapter()
        {
            var w = Qwen7B(FinetuneMethod.LoRA);
            w.Adapter = AdapterKind.DoRA;
            Assert.Equal("Adapter", Assert.Throws<InvalidWorkloadException>(() => MemoryEstimator.Estimate(w)).Parameter);
        }

        [Theory]
        [InlineData(Framework.MegatronSwift)]
        [InlineData(Framework.MegatronLM)]
        public void The_fp32_gradient_buffer_is_resident_from_the_first_forward(Framework framework)
        {
            // _ParamAndGradBuffer allocates grad_data (fp32, main_grads_dtype) for every trainable parameter with the
            // model: 4 bytes per parameter on one GPU at every phase, not only after backward.
            var model = ModelCatalog.Default.Get("meta-llama/Llama-3.1-8B");
            var w = new Workload(model) { Framework = framework, Method = FinetuneMethod.Full, Precision = Precision.Bf16Mixed, GpuCount = 1, SequenceLength = 1024 };
            var e = MemoryEstimator.Estimate(w);
            long buffer = 4 * model.TotalParameters;
            foreach (var phase in new[] { Phase.ForwardEnd, Phase.BackwardStart, Phase.BackwardEnd, Phase.OptimizerStep })
                Assert.Equal(buffer, e.Phases.Single(p => p.Phase == phase).Gradients);
        }

        [Fact]
        public void The_Trainers_gradients_appear_only_in_backward()
        {
            // torch autograd creates .grad in backward; zero_grad(set_to_none=True) frees it after the step.
            var w = new Workload(ModelCatalog.Default.Get("meta-llama/Llama-3.1-8B")) { Method = FinetuneMethod.Full, GpuCount = 1, SequenceLength = 1024 };
            Assert.Equal(0, MemoryEstimator.Estimate(w).Phases.Single(p => p.Phase == Phase.ForwardEnd).Gradients);
        }
    
        private static Workload Qwen30BA3B(Framework framework, int tp, int ep) =>
            new Workload(ModelCatalog.Default.Get("Qwen/Qwen3-30B-A3B"))
            {
                Framework = framework, Method = FinetuneMethod.Full, Precision = Precision.Bf16Mixed, GpuCount = 8,
                TensorParallel = tp, ExpertParallel = ep, Sharding = Sharding.Zero1, Checkpointing = Checkpointing.Full,
            };

        [Fact]
        public void Routed_experts_stay_whole_under_tensor_parallelism_and_the_estimate_says_so()
        {
            // megatron_args.py expert_tensor_parallel_size 1 (ms-swift 3.10, 9f5fcf5) against Megatron-Core's default
            // expert TP = TP: at TP 2 x EP 4 each rank holds 1/4 of every expert instead of 1/8. Qwen3-30B-A3B's routed
            // experts: 48 layers x 128 experts x 3 x 2048 x 768 = 28,991,029,248 parameters, bf16 weights.
            const long experts = 48L * 128 * 3 * 2048 * 768;
            var swift = MemoryEstimator.Estimate(Qwen30BA3B(Framework.MegatronSwift, 2, 4));
            var megatron = MemoryEstimator.Estimate(Qwen30BA3B(Framework.MegatronLM, 2, 4));
            long Weights(TrainingMemoryEstimate e) => e.Phases.Single(p => p.Phase == Phase.OptimizerStep).Weights;
            Assert.Equal(2 * (experts / 4 - experts / 8), Weights(swift) - Weights(megatron));
            Assert.Contains(FrameworkProfiles.Of(Framework.MegatronSwift).ExpertsSplitByTensorParallel.Assumption, swift.Assumptions);
        }

        [Fact]
        public void Expert_parallel_ranks_are_drawn_from_the_tensor_parallel_ranks_too_when_experts_stay_whole()
        {
            // Expert-data-parallel size = world / (expert TP x EP x PP): 8 / (1 x 8) = 1 with whole experts; with expert
            // TP 2, 8 / (2 x 8) is no whole number and Megatron-Core refuses the layout.
            Assert.Equal(8, MemoryEstimator.Estimate(Qwen30BA3B(Framework.MegatronSwift, 2, 8)).ExpertParallel);
            Assert.Equal("ExpertParallel", Assert.Throws<InvalidWorkloadException>(() => MemoryEstimator.Estimate(Qwen30BA3B(Framework.MegatronLM, 2, 8))).Parameter);
        }
    }
}
