using System.Linq;
using VramPS.Engine.Errors;
using VramPS.Engine.Estimation;
using VramPS.Engine.Models;
using Xunit;

namespace VramPS.Engine.Tests.Estimation
{
    /// <summary>
    /// What autograd saves, derived by hand on Llama-2-7B (h 4096, MLP 11008, 32 layers, 32 heads, MHA, RMSNorm, SwiGLU)
    /// per block and token, in bytes. Rules used (PyTorch): a linear saves its input for the weight gradient only when
    /// the weight requires grad and its weight for the input gradient; a multiply by a tensor that needs no gradient
    /// saves only that tensor; an op none of whose inputs requires grad records nothing. transformers' LlamaRMSNorm:
    /// hidden.to(fp32), pow (saves its fp32 input), x * rsqrt (saves x), weight * x.to(input_dtype) (saves the 16-bit
    /// or fp32 normalized x when the weight trains). Autocast (aten/src/ATen/autocast_mode.cpp, cached_cast) caches a
    /// cast only for a leaf tensor that requires grad: weights, never an activation, so every linear casts an fp32
    /// input for itself and saves its own 16-bit copy.
    /// </summary>
    public class SavedTensorTests
    {
        private const long H = Llama2Fixture.Hidden;
        private const long I = Llama2Fixture.Intermediate;
        private const long L = Llama2Fixture.Layers;
        private const long Heads = 32;

        private static Workload Llama(FinetuneMethod method, Framework framework, int batch, int sequence, Checkpointing checkpointing) =>
            new Workload(Llama2Fixture.Model())
            {
                Method = method, Framework = framework, BatchSize = batch, SequenceLength = sequence, Checkpointing = checkpointing,
            };

        private static long At(Workload w, Phase phase) => MemoryEstimator.Estimate(w).Phases.Single(p => p.Phase == phase).Activations;

        /// <summary>
        /// A trained block under the Trainer's bf16 autocast over fp32 weights (fp32 residual stream), SDPA:
        /// two norms, each the fp32 input (4h) and the fp32 normalized x for the weight (4h): 16h;
        /// q, k and v each cast the fp32 norm output and save their own bf16 copy: 3 x 2h;
        /// SDPA keeps q, k, v and its output (4 x 2h) and a fp32 log-sum-exp per head (4 x 32); o_proj its bf16 input 2h;
        /// gate and up each their own bf16 copy: 2 x 2h; SwiGLU keeps gate, act and up outputs (3 x 2 x 11008) and down
        /// its input (2 x 11008).
        /// </summary>
        private const long TrainedBlock = 16 * H + 6 * H + (8 * H + 4 * Heads) + 2 * H + 4 * H + 6 * I + 2 * I;

        [Fact]
        public void A_trained_block_under_autocast_saves_one_bf16_copy_per_linear()
        {
            Assert.Equal(235_648, TrainedBlock);
            // The head's stage: the final norm (fp32 input and normalized x, 8h) and the head's bf16 input (2h).
            long head = 8 * H + 2 * H;
            var w = Llama(FinetuneMethod.Full, Framework.HfTrainer, 1, 2048, Checkpointing.None);
            Assert.Equal((L * TrainedBlock + head) * 2048, At(w, Phase.ForwardEnd));
            Assert.Equal(15_527_313_408, At(w, Phase.ForwardEnd));
        }

        [Fact]
        public void Eager_attention_keeps_q_k_v_and_the_probabilities_not_an_output_copy()
        {
            // transformers' eager attention: q @ k^T saves q and k (2 x 2h), softmax(dtype=fp32) its fp32 output and
            // probs.to(bf16) @ v the bf16 probabilities (4 + 2 bytes per score, 32 heads x 1024 keys) and v (2h);
            // dropout at p = 0 returns its input; o_proj saves the contiguous copy of the output (2h, in TrainedBlock).
            const long s = 1024;
            long eagerCore = 3 * 2 * H + 6 * Heads * s;
            long block = TrainedBlock - (8 * H + 4 * Heads) + eagerCore;
            var w = Llama(FinetuneMethod.Full, Framework.HfTrainer, 1, (int)s, Checkpointing.None);
            w.Attention = AttentionKernel.Eager;
            Assert.Equal((L * block + 8 * H + 2 * H) * s, At(w, Phase.ForwardEnd));
        }

        [Fact]
        public void Bert_keeps_its_dropout_masks_and_fp32_layer_norm_casts()
        {
            // bert-large-uncased (h 1024, intermediate 4096, 24 layers, 16 heads, GELU, LayerNorm, dropout 0.1) under
            // fp16 autocast over fp32 weights, eager attention, 512 tokens. Per layer: two LayerNorms save their fp32
            // input (2 x 4h); layer_norm is on autocast's fp32 list, so query, key and value each save their own fp16
            // cast (3 x 2h) and so does the intermediate dense (2h); the core keeps q, k, v (3 x 2h) and per score the
            // fp32 softmax output, the dropout mask and its fp16 output (4 + 1 + 2); the attention output dense its
            // input (2h); the two hidden dropouts their masks (2 x h); GELU its input (2 x 4096) and the output dense
            // its input (2 x 4096). Outside the layers the embedding dropout's mask (h).
            const long h = 1024, i = 4096, layers = 24, heads = 16, s = 512;
            long layer = 2 * 4 * h + 3 * 2 * h + 2 * h + 3 * 2 * h + 7 * heads * s + 2 * h + 2 * h + 2 * i + 2 * i;
            var w = new Workload(ModelCatalog.Default.Get("google-bert/bert-large-uncased"))
            {
                Method = FinetuneMethod.Full, Framework = Framework.HfTrainer, Precision = Precision.Fp16Mixed, BatchSize = 1,
                SequenceLength = (int)s, Checkpointing = Checkpointing.None, Attention = AttentionKernel.Eager,
            };
            Assert.Equal((layers * layer + h) * s, At(w, Phase.ForwardEnd));
        }

        [Fact]
        public void Layer_norm_under_autocast_saves_an_fp32_cast_of_a_16_bit_stream()
        {
            // A GPT-like block (LayerNorm, GELU MLP of 4h, MHA) under FSDP's 16-bit gathered weights with the Trainer's
            // bf16 autocast: the stream is bf16, but layer_norm is on autocast's fp32 list, so each LayerNorm casts its
            // input to fp32 and saves that (2 x 4h) and hands the linears fp32: q, k and v each save their own bf16 cast
            // (3 x 2h), and so does fc1 (2h). SDPA keeps q, k, v, its output (4 x 2h) and a log-sum-exp per head (4a);
            // the output projection its input (2h); GELU its bf16 input (2 x 4h) and fc2 its input (2 x 4h). The head's
            // rank adds the final LayerNorm's fp32 cast (4h) and the head's bf16 input (2h).
            const long h = 1024, a = 16, layers = 4, s = 512;
            var gpt = new ModelArchitecture
            {
                Id = "gpt-small", ModelType = "llama", HiddenSize = (int)h, IntermediateSize = (int)(4 * h), NumLayers = (int)layers,
                NumHeads = (int)a, NumKvHeads = (int)a, HeadDim = 64, VocabSize = 32000, Mlp = MlpKind.Plain, Activation = "gelu",
                Norm = NormKind.LayerNorm,
            };
            var w = new Workload(gpt)
            {
                Method = FinetuneMethod.Full, Framework = Framework.HfTrainer, Precision = Precision.Bf16Mixed, BatchSize = 1,
                SequenceLength = (int)s, Checkpointing = Checkpointing.None, Attention = AttentionKernel.Sdpa, GpuCount = 2,
                Sharding = Sharding.Zero3,
            };
            long layer = 2 * 4 * h + 3 * 2 * h + (4 * 2 * h + 4 * a) + 2 * h + 2 * h + 2 * 4 * h + 2 * 4 * h;
            Assert.Equal((layers * layer + 4 * h + 2 * h) * s, At(w, Phase.ForwardEnd));
        }

        [Fact]
        public void Freeze_saves_nothing_in_the_frozen_blocks_below_the_trained_ones()
        {
            // Issue 11 case 6: Freeze, 2 trainable blocks, batch 4 x 2048 (was 35,961,962,496 bytes, 33.5 GiB). The 30
            // frozen blocks see an input that needs no gradient and weights that need none: autograd records nothing.
            // The 2 trained blocks save TrainedBlock each, except that the lower one's input needs no gradient, so its
            // first norm's pow records nothing (4h less); above them the final norm saves its fp32 input (4h, its
            // weight is frozen) and the frozen head's input is not saved.
            var w = Llama(FinetuneMethod.Freeze, Framework.HfTrainer, 4, 2048, Checkpointing.None);
            w.TrainableLayers = 2;
            long expected = (2 * TrainedBlock - 4 * H + 4 * H) * 4 * 2048;
            Assert.Equal(3_860_856_832, expected);
            Assert.Equal(expected, At(w, Phase.ForwardEnd));
        }

        [Fact]
        public void Llama_factory_checkpoints_only_the_trained_blocks_under_freeze()
        {
            // LLaMA-Factory (model_utils/checkpointing.py, get_custom_gradient_checkpointing_func) runs the blocks with
            // no trainable parameter without a checkpoint and sets requires_grad on the input of the others: only the 2
            // trained blocks keep a checkpointed input. Its Freeze keeps the frozen blocks and the stream in bf16 (2h).
            var w = Llama(FinetuneMethod.Freeze, Framework.LlamaFactory, 1, 1024, Checkpointing.Full);
            w.TrainableLayers = 2;
            var freeze = MemoryEstimator.Estimate(w);
            w.TrainableLayers = 3;
            var three = MemoryEstimator.Estimate(w);
            long ForwardEnd(TrainingMemoryEstimate e) => e.Phases.Single(p => p.Phase == Phase.ForwardEnd).Activations;
            Assert.Equal(2 * H * 1024, ForwardEnd(three) - ForwardEnd(freeze));
            Assert.DoesNotContain(freeze.Assumptions, a => a.Contains("enable_input_require_grads"));
        }

        [Fact]
        public void The_trainers_reentrant_checkpointing_keeps_every_block_input_under_freeze_and_says_why()
        {
            // transformers' gradient_checkpointing_enable defaults to use_reentrant=True; a reentrant checkpoint whose
            // input needs no gradient gives its weights none, so a Freeze run calls enable_input_require_grads: all 32
            // blocks keep their fp32 checkpointed input (4h each) however many of them train.
            var w = Llama(FinetuneMethod.Freeze, Framework.HfTrainer, 1, 1024, Checkpointing.Full);
            w.TrainableLayers = 2;
            var e = MemoryEstimator.Estimate(w);
            Assert.Contains(e.Assumptions, a => a.StartsWith("enable_input_require_grads() on"));
            w.TrainableLayers = 4;
            var four = MemoryEstimator.Estimate(w);
            long ForwardEnd(TrainingMemoryEstimate x) => x.Phases.Single(p => p.Phase == Phase.ForwardEnd).Activations;
            Assert.Equal(ForwardEnd(e), ForwardEnd(four));
        }

        /// <summary>
        /// Megatron-LM, Llama-2-7B at 4096 tokens, eager (DotProductAttention) attention, 16-bit weights: Transformer
        /// Engine's fused norms keep their 16-bit input (2 x 2h), the QKV and fc1 inputs 2h each, the fused SwiGLU its
        /// fc1 output (2 x 2 x 11008) and fc2 input (2 x 11008), linear_proj its input 2h. The core keeps q and k (baddbmm),
        /// the 16-bit softmax output that the fused scaled_masked_softmax saves (2 bytes per score, 32 heads x 4096 keys)
        /// and v (bmm); the selective recompute keeps only the checkpoint's q, k and v.
        /// </summary>
        [Fact]
        public void Megatron_selective_recompute_drops_the_attention_core_and_its_fused_softmax_keeps_2_bytes_a_score()
        {
            const long s = 4096;
            long outside = 2 * 2 * H + 2 * H + 2 * H + 2 * H;
            long mlp = 2 * 2 * I + 2 * I;
            long core = 3 * 2 * H + 2 * Heads * s;
            long qkv = 3 * 2 * H;
            long head = 2 * H + 2 * H;
            var none = Llama(FinetuneMethod.Full, Framework.MegatronLM, 1, (int)s, Checkpointing.None);
            none.Attention = AttentionKernel.Eager;
            var selective = Llama(FinetuneMethod.Full, Framework.MegatronLM, 1, (int)s, Checkpointing.Selective);
            selective.Attention = AttentionKernel.Eager;

            Assert.Equal((L * (outside + mlp + core) + head) * s, At(none, Phase.ForwardEnd));
            Assert.Equal(51_673_825_280, At(none, Phase.ForwardEnd));
            Assert.Equal((L * (outside + mlp + qkv) + head) * s, At(selective, Phase.ForwardEnd));
            // Korthikanti et al. 2022 section 5: selective recompute removes the as^2b terms, here 2as per token and layer.
            Assert.Equal(L * 2 * Heads * s * s, At(none, Phase.ForwardEnd) - At(selective, Phase.ForwardEnd));
            // Backward runs one block's core again: its scores come back for that block only.
            Assert.Equal(2 * Heads * s * s,
                (At(selective, Phase.BackwardTop) - At(selective, Phase.ForwardEnd)) - (At(none, Phase.BackwardTop) - At(none, Phase.ForwardEnd)));
        }

        [Theory]
        [InlineData(Framework.HfTrainer, "HF-Trainer")]
        [InlineData(Framework.Torchtune, "torchtune")]
        [InlineData(Framework.Litgpt, "litgpt")]
        [InlineData(Framework.Peft, "peft")]
        [InlineData(Framework.Axolotl, "axolotl")]
        [InlineData(Framework.LlamaFactory, "LLaMA-Factory")]
        [InlineData(Framework.FsdpQlora, "fsdp_qlora")]
        [InlineData(Framework.FmsAcceleration, "fms-acceleration")]
        [InlineData(Framework.Unsloth, "Unsloth")]
        [InlineData(Framework.DeepSpeed, "DeepSpeed")]
        public void Selective_is_refused_where_the_framework_has_no_such_mode(Framework framework, string name)
        {
            var w = Llama(FinetuneMethod.Full, framework, 1, 512, Checkpointing.Selective);
            var e = Assert.Throws<InvalidWorkloadException>(() => MemoryEstimator.Estimate(w));
            Assert.Equal("Checkpointing", e.Parameter);
            Assert.Contains($"-Framework {name} has no such mode", e.Message);
            Assert.Contains("-Framework Megatron-LM", e.Message);
        }

        [Fact]
        public void Peft_adapters_under_the_trainers_autocast_save_bf16_inputs_and_no_dropout_mask()
        {
            // LoRA on q_proj and v_proj (peft's default targets), rank 8, bf16 base, fp32 adapters, lora_dropout 0.0
            // (peft's LoraConfig default). The frozen base saves no linear input; each norm its fp32 input (4h);
            // each adapter casts x to fp32 and lora_A, under the Trainer's bf16 autocast, saves its own bf16 cast (2h)
            // and lora_B the bf16 A output (2 x 8); SDPA 8h + 4 x 32; SwiGLU 3 x 2 x 11008. The final norm 4h.
            long block = 2 * 4 * H + 2 * (2 * H + 2 * 8) + 8 * H + 4 * Heads + 6 * I;
            var w = Llama(FinetuneMethod.LoRA, Framework.HfTrainer, 1, 2048, Checkpointing.None);
            Assert.Equal((L * block + 4 * H) * 2048, At(w, Phase.ForwardEnd));
            Assert.Equal(9_741_271_040, At(w, Phase.ForwardEnd));
        }

        [Fact]
        public void A_16_bit_adapter_without_dropout_saves_the_shared_input_once()
        {
            // torchtune: bf16 adapters, lora_dropout 0.0 (nn.Dropout(p=0) returns its input), LoRA on q and v: both
            // lora_a save the same normalized input (2h), once. Norms keep 4h each; SDPA 8h + 4 x 32; SwiGLU 6 x 11008;
            // the adapters' A outputs 2 x 2 x 8; the final norm 4h.
            long block = 2 * 4 * H + 2 * H + 2 * 2 * 8 + 8 * H + 4 * Heads + 6 * I;
            var w = Llama(FinetuneMethod.LoRA, Framework.Torchtune, 1, 2048, Checkpointing.None);
            w.LoraTargets = new[] { "q_proj", "v_proj" };
            Assert.Equal((L * block + 4 * H) * 2048, At(w, Phase.ForwardEnd));
        }

        [Theory]
        [InlineData(Framework.HfTrainer, false)]
        [InlineData(Framework.Peft, false)]
        [InlineData(Framework.Axolotl, false)]
        [InlineData(Framework.LlamaFactory, false)]
        [InlineData(Framework.Torchtune, false)]
        [InlineData(Framework.Unsloth, false)]
        [InlineData(Framework.DeepSpeed, false)]
        [InlineData(Framework.Litgpt, true)]
        [InlineData(Framework.FmsAcceleration, true)]
        [InlineData(Framework.FsdpQlora, true)]
        public void Lora_dropout_follows_each_frameworks_default(Framework framework, bool dropout)
        {
            // Defaults read from each source: peft LoraConfig.lora_dropout 0.0 (src/peft/tuners/lora/config.py), axolotl
            // 0.0, LLaMA-Factory FinetuningArguments 0.0, torchtune's LoRA builders 0.0, Unsloth get_peft_model 0;
            // litgpt finetune/lora.py 0.05, fms-hf-tuning tuning/config/peft_config.py 0.05, fsdp_qlora train.py 0.1.
            var w = Llama(FinetuneMethod.LoRA, framework, 1, 512, Checkpointing.None);
            Assert.Equal(dropout, new TrainerBehavior(new ResolvedRecipe(w)).LoraDropout);
        }
    }
}
