using System;
using System.Linq;
using VramPS.Engine.Estimation;
using VramPS.Engine.Models;
using Xunit;

namespace VramPS.Engine.Tests.Estimation
{
    /// <summary>
    /// QLoRA with its bitsandbytes NF4 base sharded over 2 GPUs (FSDP or DeepSpeed ZeRO-3), Llama-2-7B, LoRA r 8 on
    /// q_proj and v_proj. Figures by hand from the model's config: the blocks' linears are
    /// 32 x (4 x 4096^2 + 3 x 4096 x 11008) = 6,476,005,376 weights, stored as 4 bits of packed data
    /// (3,238,002,688 bytes) and, with double quantization, 8/64 + 32/(64 x 256) bits of statistics each
    /// (6,476,005,376 x 0.126953125 / 8 = 102,768,640 bytes); the other 262,410,240 parameters (embedding, head,
    /// norms) stay bf16; the adapters are 32 x 2 x 8 x (4096 + 4096) = 4,194,304 elements.
    /// bitsandbytes keeps the statistics on each Linear4bit module, outside the parameter FSDP flattens
    /// (bitsandbytes@95f9af3 nn/modules.py Params4bit._quantize, fix_4bit_weight_quant_state_from_module), so each rank
    /// holds them whole while the packed data, the rest and the adapters are halved.
    /// </summary>
    public class ShardedQuantizedBaseTests
    {
        private const long PackedData = 6_476_005_376L / 2;
        private const long Statistics = 102_768_640;
        private const long Rest = 262_410_240;
        private const long Adapters = 32L * 2 * 8 * (4096 + 4096);

        private static PhaseMemory At(Framework framework, Offload offload, Phase phase) =>
            Estimate(framework, offload).Phases.Single(p => p.Phase == phase);

        private static TrainingMemoryEstimate Estimate(Framework framework, Offload offload)
        {
            var w = Llama2Fixture.Workload(FinetuneMethod.QLoRA);
            w.Quantization = Quantization.NF4;
            w.LoraRank = 8;
            w.LoraTargets = new[] { "q_proj", "v_proj" };
            w.Framework = framework;
            w.GpuCount = 2;
            w.Sharding = Sharding.Zero3;
            w.Offload = offload;
            return MemoryEstimator.Estimate(w);
        }

        [Fact]
        public void Fsdp_halves_the_packed_data_and_keeps_the_statistics_whole()
        {
            // peft's fp32 adapters (4 bytes); the k-bit preparation's fp32 upcast does not survive FSDP's flat parameters.
            var step = At(Framework.HfTrainer, Offload.None, Phase.OptimizerStep);
            Assert.Equal((PackedData + 2 * Rest + 4 * Adapters) / 2 + Statistics, step.Weights);
        }

        [Fact]
        public void Fsdp_parameter_offload_leaves_the_statistics_on_the_gpu()
        {
            // FSDP's CPUOffload moves the flat parameters to the host; the statistics live on the modules.
            var step = At(Framework.HfTrainer, Offload.OptimizerAndParameters, Phase.OptimizerStep);
            Assert.Equal(Statistics, step.Weights);
        }

        [Fact]
        public void Fsdp_parameter_offload_keeps_the_gradients_on_the_host()
        {
            // torch CPUOffload(offload_params=True) "offloads gradients to CPU as well": the adapters' reduce-scattered
            // gradients (4,194,304 / 2 fp32 elements a rank) go to the flat parameter's pinned _cpu_grad.
            var e = Estimate(Framework.HfTrainer, Offload.OptimizerAndParameters);
            Assert.Equal(0, e.Phases.Single(p => p.Phase == Phase.BackwardEnd).Gradients);
            Assert.True(e.HostMemory >= Adapters / 2 * 4, $"{e.HostMemory}");
        }

        [Fact]
        public void Deepspeed_loads_the_whole_quantized_model_on_every_rank_before_partitioning()
        {
            // transformers builds a quantized model outside deepspeed.zero.Init, so each rank quantizes all of it onto its
            // GPU; DeepSpeed's bf16 engine holds the adapters in bf16 (2 bytes). The last weight quantized is on the GPU in
            // bf16 meanwhile: the largest linear, gate/up/down at 4096 x 11008.
            var load = At(Framework.DeepSpeed, Offload.None, Phase.Load);
            Assert.Equal(PackedData + Statistics + 2 * Rest + 2 * Adapters, load.Weights);
            Assert.Equal(4096L * 11008 * 2, load.Other);
        }

        [Fact]
        public void Resident_state_after_training_matches_fms_acceleration_post_train_allocated()
        {
            // foundation-model-stack/fms-acceleration scripts/benchmarks/refs/a100_80gb.csv@876e2ed data row 66 (dev row
            // fms-a100-066): Llama-2-70B QLoRA, LoRA r 16 on q, k, v, o, FSDP FULL_SHARD over 2 A100s, post-train allocated
            // 17.94 GiB on rank 0: what stays once the step's gradients are freed (weights and AdamW states). With the
            // statistics halved as well the same state would be 0.51 GiB less (68.45e9 x 0.127 / 8 / 2 bytes).
            var w = new Workload(ModelCatalog.Default.Get("meta-llama/Llama-2-70b-hf"))
            {
                Method = FinetuneMethod.QLoRA, Precision = Precision.Bf16, Optimizer = OptimizerKind.AdamW,
                BatchSize = 2, SequenceLength = 4096, GradientAccumulation = 1, Checkpointing = Checkpointing.Full,
                Attention = AttentionKernel.Flash, LoraRank = 16, LoraTargets = new[] { "q_proj", "k_proj", "v_proj", "o_proj" },
                Quantization = Quantization.NF4, GpuCount = 2, Sharding = Sharding.Zero3, Offload = Offload.None,
                Framework = Framework.HfTrainer,
            };
            var step = MemoryEstimator.Estimate(w).Phases.Single(p => p.Phase == Phase.OptimizerStep);
            double gib = (step.Weights + step.OptimizerStates) / (double)(1L << 30);
            Assert.True(Math.Abs(gib - 17.94) / 17.94 < 0.02, $"{gib:F3} GiB");
        }

        [Fact]
        public void Accelerate_fsdp_never_holds_the_whole_model()
        {
            // fsdp_cpu_ram_efficient_loading: FSDP quantizes and shards unit by unit, so no load phase outweighs the step.
            Assert.DoesNotContain(Estimate(Framework.HfTrainer, Offload.None).Phases, p => p.Phase == Phase.Load);
        }

        [Fact]
        public void Deepspeed_load_peak_sets_the_reserved_high_water()
        {
            // The caching allocator keeps the blocks the partitioning frees, so Reserved is at least the load peak, with
            // the all-gather stream's pool beside it (its blocks cannot reuse the default stream's). The step itself can
            // allocate more than the load: the coordinator keeps up to stage3_max_live_parameters (1e9 16-bit storage
            // elements, 2 GB) of this 1.9e9-element model gathered (Zero3CoordinatorTests).
            var e = Estimate(Framework.DeepSpeed, Offload.None);
            var load = e.Phases.Single(p => p.Phase == Phase.Load);
            Assert.True(e.Reserved >= load.Allocated + 2_000_000_000L, $"{e.Reserved} < {load.Allocated} + the gathered pool");
        }
    }
}
