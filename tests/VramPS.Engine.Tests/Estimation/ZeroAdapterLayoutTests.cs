using System.Linq;
using VramPS.Engine.Estimation;
using Xunit;

namespace VramPS.Engine.Tests.Estimation
{
    /// <summary>
    /// LoRA under DeepSpeed ZeRO with a bf16 config (deepspeedai/DeepSpeed engine.py _configure_distributed_model casts
    /// every parameter of the module, the adapters included, to bf16; stage_1_and_2.py and stage3.py at edaa722): the ZeRO optimizer takes the
    /// trainable parameters (the adapters) and keeps their fp32 master partition beside Adam's two fp32 moments
    /// (12 bytes per element), bf16 gradient partitions (2 bytes), and at its step a flattened bf16 copy of the group's
    /// gradient partition and its fp32 cast (2 + 4 bytes). Llama-2-7B with LoRA r 8 on q_proj and v_proj: each of the
    /// 32 layers has 2 x 8 x (4096 + 4096) = 131,072 adapter elements, 4,194,304 in all; over 4 GPUs a partition is
    /// 1,048,576 elements.
    /// </summary>
    public class ZeroAdapterLayoutTests
    {
        private const long Adapters = 32L * 2 * 8 * (4096 + 4096);
        private const long Partition = Adapters / 4;

        private static PhaseMemory At(Framework framework, Sharding sharding, Phase phase)
        {
            var w = Llama2Fixture.Workload(FinetuneMethod.LoRA);
            w.LoraRank = 8;
            w.LoraTargets = new[] { "q_proj", "v_proj" };
            w.Framework = framework;
            w.GpuCount = 4;
            w.Sharding = sharding;
            return MemoryEstimator.Estimate(w).Phases.Single(p => p.Phase == phase);
        }

        [Fact]
        public void Zero2_keeps_a_bf16_model_and_an_fp32_master_and_moments_for_the_adapters()
        {
            var step = At(Framework.DeepSpeed, Sharding.Zero2, Phase.OptimizerStep);
            Assert.Equal(2 * (Llama2Fixture.Parameters + Adapters), step.Weights);
            Assert.Equal(12 * Partition, step.OptimizerStates);
            Assert.Equal(2 * Partition, step.Gradients);
            Assert.Equal((2 + 4) * Partition, step.Other);
        }

        [Fact]
        public void MsSwift_zero3_bucket_is_hidden_size_squared()
        {
            // ms-swift's zero3.json leaves reduce_bucket_size "auto"; transformers fills hidden_size^2 = 4096^2 bf16
            // elements, which ZeRO-3 allocates with the optimizer and holds through the step. The Trainer's adamw_torch
            // (torch.optim.AdamW, foreach) adds one fp32 intermediate of the sub-group it is handed (here the whole
            // adapter partition) beside that sub-group's fp32 gradient, after the 16-bit flat copy is freed: 4 + 4 bytes.
            var step = At(Framework.MsSwift, Sharding.Zero3, Phase.OptimizerStep);
            Assert.Equal((4 + 4) * Partition + 4096L * 4096 * 2, step.Other);
        }
    }
}
