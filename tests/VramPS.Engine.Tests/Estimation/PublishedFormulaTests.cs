using System.Linq;
using VramPS.Engine.Estimation;
using VramPS.Engine.Models;
using Xunit;

namespace VramPS.Engine.Tests.Estimation
{
    /// <summary>
    /// Per-GPU memory of Llama-2-70B layouts against the published formulas, expected values derived here by hand:
    /// <list type="bullet">
    /// <item>Megatron-LM megatron/training/theoretical_memory_usage.py, compute_weight_and_optimizer_memory and
    /// compute_activation_memory (NVIDIA/Megatron-LM at commit 00caa53af30912914981c86f39db123961678bbd);</item>
    /// <item>Korthikanti et al. 2022, "Reducing Activation Recomputation in Large Transformer Models"
    /// (arXiv:2205.05198), section 4 and Table 2: per layer sbh(10 + 24/t + 5as/(ht)) bytes with tensor parallelism,
    /// sbh(34/t + 5as/(ht)) with sequence parallelism, and p micro-batches of L/p layers on the first 1F1B stage;</item>
    /// <item>DeepSpeed deepspeed/runtime/zero/stage3.py, estimate_zero3_model_states_mem_needs
    /// (deepspeedai/DeepSpeed at commit 007cca6a2ffe3ed9d393459f4a3081bd54341ba6): 4 x largest_layer_params +
    /// 18 x total_params / total_gpus per GPU without offload.</item>
    /// </list>
    /// Llama-2-70B (config.json): h 8192, ffn 28672 (SwiGLU), 80 layers, 64 heads, 8 KV groups of 128, vocabulary 32000,
    /// untied head, RMSNorm.
    /// </summary>
    public class PublishedFormulaTests
    {
        private const long H = 8192, Ffn = 28672, Layers = 80, Heads = 64, KvDim = 8 * 128, Vocab = 32000;
        private const long Seq = 4096;

        private static Workload Llama70B(Framework framework) => new Workload(ModelCatalog.Default.Get("meta-llama/Llama-2-70b-hf"))
        {
            Method = FinetuneMethod.Full,
            Precision = Precision.Bf16Mixed,
            Optimizer = OptimizerKind.AdamW,
            BatchSize = 1,
            SequenceLength = (int)Seq,
            // Megatron-LM's selective recompute; DeepSpeed over a transformers model has none (full checkpointing).
            Checkpointing = framework == Framework.MegatronLM ? Checkpointing.Selective : Checkpointing.Full,
            Framework = framework,
        };

        /// <summary>Megatron's parameter count, term by term (num_parameters_in_transformer_layer_dense with swiglu, GQA and RMSNorm).</summary>
        private static class Megatron
        {
            // self_attn_term = 2 h^2 (1 + groups / heads) (kv_channels x heads / h) = 2 h^2 x 1.125.
            public const long SelfAttention = 2 * H * H * 9 / 8;
            // 2 h (ffn x 3/2 + norm_size) + self_attn_term.
            public const long Layer = 2 * H * (Ffn * 3 / 2 + 1) + SelfAttention;
            public const long Embedding = H * Vocab;
            // num_parameters_in_transformer_block: layers plus the final RMSNorm.
            public const long Block = Layers * Layer + H;

            /// <summary>num_parameters_on_most_loaded_model_shard: (block / p + embedding) / t, plus the head when p = 1 and untied.</summary>
            public static double MostLoadedShard(int t, int p) => (Block / (double)p + Embedding) / t + (p == 1 ? Embedding / (double)t : 0);
        }

        private static PhaseMemory At(TrainingMemoryEstimate e, Phase phase) => e.Phases.Single(x => x.Phase == phase);

        private static long ModelStates(PhaseMemory phase) => phase.Weights + phase.Gradients + phase.OptimizerStates;

        [Fact]
        public void Megatrons_parameter_count_is_the_checkpoints()
        {
            Assert.Equal(Megatron.Block + 2 * Megatron.Embedding, ModelCatalog.Default.Get("meta-llama/Llama-2-70b-hf").TotalParameters);
        }

        /// <summary>
        /// Megatron replicates the norms on every tensor-parallel rank and keeps the final norm on the last stage only;
        /// its formula divides both by t and spreads the final norm over the stages. The difference is stated here.
        /// </summary>
        private static double NormCorrection(int t, int p, bool firstStage) =>
            (Layers / p) * 2 * H * (1 - 1.0 / t) - (firstStage ? H / (double)(p * t) : 0);

        [Fact]
        public void Tensor_and_pipeline_parallel_weights_and_optimizer_match_Megatron_at_18_bytes_per_parameter()
        {
            // t 8, p 4, no distributed optimizer: num_bytes_per_parameter = 18 (bf16 weight 2, fp32 main grad 4, fp32 master and Adam moments 12).
            var w = Llama70B(Framework.MegatronLM);
            w.TensorParallel = 8;
            w.PipelineParallel = 4;
            w.GpuCount = 32;
            w.GradientAccumulation = 8;
            var e = MemoryEstimator.Estimate(w);

            Assert.Equal(0, e.PipelineStage);
            double expected = (Megatron.MostLoadedShard(8, 4) + NormCorrection(8, 4, true)) * 18;
            Assert.Equal(2_171_904_256, Megatron.MostLoadedShard(8, 4));
            Assert.Equal(expected, ModelStates(At(e, Phase.OptimizerStep)));
            Assert.Equal(0, At(e, Phase.OptimizerStep).Other);
        }

        [Fact]
        public void The_distributed_optimizer_matches_Megatron_at_6_plus_12_over_d_bytes_per_parameter()
        {
            // t 8, p 2, d 4 with --use-distributed-optimizer (ZeRO-1 over the data-parallel ranks): 6 + 12 / 4 = 9 bytes.
            var w = Llama70B(Framework.MegatronLM);
            w.TensorParallel = 8;
            w.PipelineParallel = 2;
            w.GpuCount = 64;
            w.GradientAccumulation = 8;
            w.Sharding = Sharding.Zero1;
            var e = MemoryEstimator.Estimate(w);

            Assert.Equal(4, e.DataParallel);
            double expected = (Megatron.MostLoadedShard(8, 2) + NormCorrection(8, 2, true)) * (6 + 12 / 4.0);
            Assert.Equal(expected, ModelStates(At(e, Phase.OptimizerStep)));
        }

        [Fact]
        public void Tensor_parallelism_alone_holds_the_head_too_as_Megatron_counts_it()
        {
            var w = Llama70B(Framework.MegatronLM);
            w.TensorParallel = 8;
            w.GpuCount = 8;
            var e = MemoryEstimator.Estimate(w);

            // p = 1 and untied: the shard adds embedding / t for the output layer; the final norm is whole here.
            double expected = (Megatron.MostLoadedShard(8, 1) + NormCorrection(8, 1, false) + H * (1 - 1.0 / 8)) * 18;
            Assert.Equal(expected, ModelStates(At(e, Phase.OptimizerStep)));
        }

        [Fact]
        public void First_stage_activations_follow_Korthikanti_with_sequence_parallelism()
        {
            var w = Llama70B(Framework.MegatronLM);
            w.TensorParallel = 8;
            w.PipelineParallel = 4;
            w.SequenceParallel = true;
            w.GpuCount = 32;
            w.GradientAccumulation = 8;
            var e = MemoryEstimator.Estimate(w);

            // Table 2's tensors per layer per token, in bytes, for this block (no dropout, so no masks). Selective
            // recompute runs the core attention inside a checkpoint that keeps only its inputs Q, K and V, so neither
            // the 5as/h terms nor FlashAttention's fp32 log-sum-exp are stored:
            // outside attention and MLP: two norm inputs 2h each, the QKV and fc1 inputs 2h each;
            long outside = 2 * 2 * H + 2 * H + 2 * H;
            // inside: Q 2h, K and V 2 x 2 kv (grouped-query), the attention output 2h (kept by the output projection),
            // SwiGLU's fc1 output 2 x 2 ffn and fc2 input 2 ffn.
            long inside = 2 * H + 2 * 2 * KvDim + 2 * H + 2 * 2 * Ffn + 2 * Ffn;
            // With sequence parallelism both divide by t; the first 1F1B stage holds p = 4 micro-batches of L / p = 20 layers.
            double perLayer = (outside + inside) / 8.0;
            Assert.Equal(34_304, perLayer);
            Assert.Equal(4 * (Layers / 4) * Seq * perLayer, At(e, Phase.ForwardEnd).Activations);
        }

        [Fact]
        public void A_GPT_block_keeps_Korthikantis_34_sbh_less_the_dropout_masks()
        {
            // A GPT-3-like block (Korthikanti et al. Table 3, 22B: 64 heads, h 6144, 48 layers): LayerNorm, multi-head attention, GeLU MLP of 4h.
            const long h = 6144, a = 64, layers = 48, s = 2048;
            var gpt = new ModelArchitecture
            {
                Id = "gpt-22b", ModelType = "llama", HiddenSize = (int)h, IntermediateSize = (int)(4 * h), NumLayers = (int)layers,
                NumHeads = (int)a, NumKvHeads = (int)a, HeadDim = 96, VocabSize = 51200, Mlp = MlpKind.Plain, Activation = "gelu",
                Norm = NormKind.LayerNorm,
            };
            double FirstStage(bool sequenceParallel)
            {
                var w = new Workload(gpt)
                {
                    Method = FinetuneMethod.Full, Precision = Precision.Bf16Mixed, BatchSize = 1, SequenceLength = (int)s,
                    Framework = Framework.MegatronLM, TensorParallel = 8, PipelineParallel = 2, GpuCount = 16,
                    GradientAccumulation = 2, SequenceParallel = sequenceParallel,
                };
                return At(MemoryEstimator.Estimate(w), Phase.ForwardEnd).Activations;
            }

            // Korthikanti's per-layer sbh(10 + 24/t) with t = 8 (the 5as/h terms dropped by FlashAttention), less the two
            // dropout masks (sbh each) at dropout 0, plus FlashAttention's fp32 log-sum-exp (4a per token, split by t).
            double withoutSp = s * (h * (10 - 2 + 24.0 / 8) + 4 * a / 8.0);
            double withSp = s * (h * (34 - 2) / 8.0 + 4 * a / 8.0);
            // Two micro-batches of 24 layers on the first of two stages: 48 layers' worth.
            Assert.Equal(layers * withoutSp, FirstStage(false));
            Assert.Equal(layers * withSp, FirstStage(true));
        }

        /// <summary>
        /// The estimator counts 18 bytes per parameter, an fp32 gradient for every one. The engine holds 16-bit gradient
        /// partitions instead (deepspeedai/DeepSpeed@edaa722 engine.py get_data_types, stage3.py
        /// grad_partitions_flat_buffer) and makes fp32 ones only for the sub-group being stepped: 16 bytes per parameter
        /// at the end of backward, and at the step 6 bytes for each of sub_group_size (1e9) elements (the flattened
        /// 16-bit copy and its fp32 cast), since a 64-way partition of 68,976,648,192 parameters exceeds it, beside the
        /// 5e8-element 16-bit reduce bucket ZeRO-3 keeps.
        /// </summary>
        [Fact]
        public void Zero3_model_states_are_DeepSpeeds_estimator_with_16_bit_gradients()
        {
            var w = Llama70B(Framework.DeepSpeed);
            w.GpuCount = 64;
            w.Sharding = Sharding.Zero3;
            var e = MemoryEstimator.Estimate(w);

            // model_to_params: total_params = every parameter; largest_layer_params = the largest module's own
            // parameters, the embedding (and the untied head), 32000 x 8192.
            long total = Megatron.Block + 2 * Megatron.Embedding;
            long largest = Vocab * H;
            long gpuMem = 4 * largest + 16 * total / 64;
            Assert.Equal(18_292_738_048, gpuMem);
            Assert.Equal(gpuMem, ModelStates(At(e, Phase.BackwardEnd)));
            Assert.Equal(6 * 1_000_000_000L + 2 * 500_000_000L, At(e, Phase.OptimizerStep).Other);
        }

        /// <summary>
        /// cpu_offload: the GPU keeps 4 x largest_layer_params + 2 x total_params / total_gpus and the host
        /// total_params x 16 / num_nodes (x 18 with cpu_offload_params; the GPU then keeps only the largest layer).
        /// DeepSpeed multiplies the host figure by additional_buffer_factor 1.5, a margin rather than a tensor; here the
        /// host adds each rank's data-loader share instead (input ids, labels and mask as int64, loaded and pinned).
        /// </summary>
        [Theory]
        [InlineData(Offload.Optimizer, 2, 16)]
        [InlineData(Offload.OptimizerAndParameters, 0, 18)]
        public void Zero3_offload_matches_DeepSpeeds_estimator_on_gpu_and_host(Offload offload, long gpuBytesPerParameter, long hostBytesPerParameter)
        {
            var w = Llama70B(Framework.DeepSpeed);
            w.GpuCount = 64;
            w.Sharding = Sharding.Zero3;
            w.Offload = offload;
            var e = MemoryEstimator.Estimate(w);

            long total = Megatron.Block + 2 * Megatron.Embedding;
            long largest = Vocab * H;
            Assert.Equal(4 * largest + gpuBytesPerParameter * total / 64, ModelStates(At(e, Phase.BackwardEnd)));
            const int nodes = 8;
            Assert.Equal(nodes, e.Nodes);
            Assert.Equal(hostBytesPerParameter * total / nodes + 8 * 48 * Seq, e.HostMemory);
        }
    }
}
