using System.Linq;
using VramPS.Engine.Estimation;
using VramPS.Engine.Models;
using Xunit;

namespace VramPS.Engine.Tests.Frameworks
{
    /// <summary>
    /// Megatron-Core builds q, k and v into one linear_qkv and gate and up into one linear_fc1 (NVIDIA/Megatron-LM@core_v0.12.0
    /// megatron/core/transformer/attention.py SelfAttention: query_projection_size + 2 x kv_projection_size outputs;
    /// mlp.py and experts.py TEGroupedMLP: 2 x ffn_hidden_size under gated_linear_unit), and ms-swift's LoRA wraps each
    /// linear whole (modelscope/ms-swift@ea766ff swift/megatron/tuners/lora.py LoraParallelLinear.update_layer: lora_A
    /// in_features x r, lora_B r x the wrapped linear's out_features; forward: lora_B(lora_A(dropout(x))) on the one
    /// input). peft wraps q_proj, k_proj, v_proj, gate_proj and up_proj apart. Counts by hand below.
    /// </summary>
    public class MegatronFusedAdapterTests
    {
        private static Workload Qwen7B(Framework framework, params string[] targets) =>
            new Workload(ModelCatalog.Default.Get("Qwen/Qwen2.5-7B-Instruct"))
            {
                Framework = framework, Method = FinetuneMethod.LoRA, Precision = Precision.Bf16, LoraRank = 8, LoraTargets = targets,
                GpuCount = 1, BatchSize = 1, SequenceLength = 512, Checkpointing = Checkpointing.None,
            };

        [Theory]
        // Qwen2.5-7B (hidden 3584, q 3584, k and v 512 each, intermediate 18944, 28 layers), r 8, every linear.
        // Fused: 8 x ((3584 + 4608) + (3584 + 3584) + (3584 + 37888) + (18944 + 3584)) = 634,880 per layer.
        [InlineData(Framework.MegatronSwift, 634_880)]
        [InlineData(Framework.NeMo, 634_880)]
        [InlineData(Framework.MegatronLM, 634_880)]
        // Apart: 8 x ((3584 + 3584) x 2 + (3584 + 512) x 2 + (3584 + 18944) x 3) = 720,896 per layer (peft's
        // print_trainable_parameters for Qwen2.5-7B all-linear r 8: 20,185,088 = 28 x 720,896).
        [InlineData(Framework.HfTrainer, 720_896)]
        [InlineData(Framework.Litgpt, 720_896)]
        public void Megatron_profiles_train_one_pair_per_fused_linear_and_peft_one_per_module(Framework framework, long perLayer)
        {
            Assert.Equal(28 * perLayer, MemoryEstimator.Estimate(Qwen7B(framework, "all-linear")).TrainableParameters);
        }

        [Fact]
        public void A_mixture_of_experts_layer_holds_one_fc1_pair_per_expert()
        {
            // Qwen3-30B-A3B (hidden 2048, q 32 x 128 = 4096, k and v 4 x 128 = 512, 128 experts of 768, 48 layers), r 1:
            // fused, linear_qkv 2048 + 5120, linear_proj 4096 + 2048, and per expert fc1 2048 + 1536, fc2 768 + 2048:
            // 7,168 + 6,144 + 128 x (3,584 + 2,816) = 832,512 per layer; apart, q 6,144, k and v 2,560 each, o 6,144 and
            // per expert gate, up and down 2,816 each: 17,408 + 128 x 8,448 = 1,098,752 per layer.
            Workload Run(Framework framework) => new Workload(ModelCatalog.Default.Get("Qwen/Qwen3-30B-A3B"))
            {
                Framework = framework, Method = FinetuneMethod.LoRA, Precision = Precision.Bf16, LoraRank = 1,
                LoraTargets = new[] { "all-linear" }, GpuCount = 8, ExpertParallel = 8, SequenceLength = 512, Checkpointing = Checkpointing.Full,
            };
            Assert.Equal(48L * 832_512, MemoryEstimator.Estimate(Run(Framework.MegatronSwift)).TrainableParameters);
            Assert.Equal(48L * 1_098_752, MemoryEstimator.Estimate(Run(Framework.HfTrainer)).TrainableParameters);
        }

        [Fact]
        public void Naming_one_of_the_fused_modules_adapts_the_whole_fused_linear_and_says_so()
        {
            // q_proj alone: linear_qkv is one module to ms-swift, so its pair spans q, k and v: 8 x (3584 + 4608) = 65,536
            // per layer; gate_proj alone: linear_fc1's pair, 8 x (3584 + 37888) = 331,776.
            var q = MemoryEstimator.Estimate(Qwen7B(Framework.MegatronSwift, "q_proj"));
            Assert.Equal(28L * 65_536, q.TrainableParameters);
            Assert.Equal(28L * 331_776, MemoryEstimator.Estimate(Qwen7B(Framework.MegatronSwift, "gate_proj")).TrainableParameters);
            Assert.Contains(VramPS.Engine.Frameworks.FrameworkProfiles.Of(Framework.MegatronSwift).OneAdapterPerFusedLinear.Assumption, q.Assumptions);
            Assert.DoesNotContain(VramPS.Engine.Frameworks.FrameworkProfiles.Of(Framework.MegatronSwift).OneAdapterPerFusedLinear.Assumption,
                MemoryEstimator.Estimate(Qwen7B(Framework.HfTrainer, "q_proj")).Assumptions);
        }

        private static long Saved(Workload w) => MemoryEstimator.Estimate(w).Phases.Single(p => p.Phase == Phase.BackwardStart).Activations;

        [Fact]
        public void A_fused_linears_adapter_keeps_one_dropout_output_and_mask_and_one_rank_wide_A_output()
        {
            // Megatron-SWIFT's lora_dropout 0.05 over bf16 adapters: linear_fc1's adapter keeps the dropout's 1-byte
            // mask and its 2-byte output over the hidden width (which lora_A saves), and lora_A's 8-wide output (which
            // lora_B saves); the frozen base keeps nothing, lora_B's output is only added. Per token and layer:
            // 3 x 3584 + 2 x 8 = 10,768 bytes, once for gate and up together.
            long attention = Saved(Qwen7B(Framework.MegatronSwift, "q_proj"));
            long withFc1 = Saved(Qwen7B(Framework.MegatronSwift, "q_proj", "gate_proj"));
            Assert.Equal(28L * 512 * (3 * 3584 + 2 * 8), withFc1 - attention);
            Assert.Equal(withFc1, Saved(Qwen7B(Framework.MegatronSwift, "q_proj", "k_proj", "v_proj", "gate_proj", "up_proj")));
        }
    }
}
