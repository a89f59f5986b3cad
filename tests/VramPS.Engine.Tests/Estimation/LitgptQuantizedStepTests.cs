using System.Linq;
using VramPS.Engine.Estimation;
using VramPS.Engine.Models;
using Xunit;

namespace VramPS.Engine.Tests.Estimation
{
    /// <summary>
    /// What a litgpt QLoRA step holds beside the model (litgpt finetune/lora.py at 5895df1 with Lightning's
    /// BitsandbytesPrecision and the bitsandbytes 0.42.0 it pins), on Llama-2-7B, micro-batch 2 of 512 tokens, bf16,
    /// bnb.nf4 without double quantization, no checkpointing (one GPU). Values derived by hand from those sources.
    /// </summary>
    public class LitgptQuantizedStepTests
    {
        private const long H = Llama2Fixture.Hidden;
        private const long I = Llama2Fixture.Intermediate;
        private const long L = Llama2Fixture.Layers;
        private const long V = Llama2Fixture.Vocab;
        private const long Tokens = 2 * 512;

        private static Workload QLoRA(Framework framework, Checkpointing checkpointing = Checkpointing.None, Precision precision = Precision.Bf16) =>
            new Workload(Llama2Fixture.Model())
            {
                Method = FinetuneMethod.QLoRA, Framework = framework, Precision = precision, BatchSize = 2, SequenceLength = 512,
                Checkpointing = checkpointing, GpuCount = 1,
            };

        private static PhaseMemory At(Workload w, Phase phase) => MemoryEstimator.Estimate(w).Phases.Single(p => p.Phase == phase);

        [Fact]
        public void The_previous_micro_batchs_4_bit_inputs_are_still_held_at_the_end_of_the_next_forward()
        {
            // fit() rebinds `logits` only when the next forward returns, and the old chunks' grad_fn keeps the old graph;
            // bitsandbytes 0.42.0 MatMul4Bit keeps its input A in ctx.tensors, which backward does not release. Per token:
            // each block's qkv input (h), attention output (h), MLP input (h, shared by fc_1 and fc_2) and proj input
            // (i), 2 bytes each, and the 4-bit head's input (the final norm's output, h).
            long perToken = L * 2 * (H + H + H + I) + 2 * H;
            Assert.Equal(1_499_136, perToken);
            var w = QLoRA(Framework.Litgpt);
            Assert.Equal(perToken * Tokens, At(w, Phase.ForwardEnd).Activations - At(w, Phase.BackwardStart).Activations);
        }

        [Fact]
        public void The_last_head_chunk_dequantizes_the_whole_4_bit_head_to_fp16_and_casts_it_to_bf16()
        {
            // Lightning's _Linear4bit.quantize quantizes weight.to(torch.half): dequantize_4bit returns fp16 (2 bytes per
            // element) and MatMul4Bit casts it to the bf16 input (2 more), 32000 x 4096 elements. Beside it the loss path
            // holds the previous and the new logit chunks, 2 bytes per vocabulary entry each.
            var w = QLoRA(Framework.Litgpt);
            Assert.Equal(Tokens * V * (2 + 2) + V * H * (2 + 2), At(w, Phase.ForwardEnd).Other);
            Assert.Equal(655_360_000, At(w, Phase.ForwardEnd).Other);
        }

        [Fact]
        public void Under_16_true_the_fp16_dequantization_needs_no_cast()
        {
            Assert.Equal(4, new TrainerBehavior(new ResolvedRecipe(QLoRA(Framework.Litgpt))).HeadDequantBytes);
            Assert.Equal(2, new TrainerBehavior(new ResolvedRecipe(QLoRA(Framework.Litgpt, precision: Precision.Fp16))).HeadDequantBytes);
        }

        [Fact]
        public void The_head_is_4_bit_too()
        {
            // Every block linear (4h^2 + 3hi) and the head (V x h) at 4.5 bits (NF4, one fp32 constant per 64 weights);
            // embedding and norms in bf16; LoRA rank 8 on the query and value slices of the fused qkv, bf16.
            long quantized = L * (4 * H * H + 3 * H * I) + V * H;
            long rest = Llama2Fixture.Parameters - quantized;
            long adapters = L * 2 * 8 * (H + H);
            double expected = quantized * 4.5 / 8 + rest * 2.0 + adapters * 2.0;
            Assert.Equal(expected, At(QLoRA(Framework.Litgpt), Phase.OptimizerStep).Weights, 0);
        }

        [Fact]
        public void The_Trainer_drops_each_steps_graph_and_keeps_the_head_in_16_bit()
        {
            var w = QLoRA(Framework.HfTrainer);
            Assert.Equal(At(w, Phase.BackwardStart).Activations, At(w, Phase.ForwardEnd).Activations);
            var t = new TrainerBehavior(new ResolvedRecipe(w));
            Assert.False(t.QuantizesHead);
            Assert.Equal(0, t.HeadDequantBytes);
        }

        [Fact]
        public void Litgpt_runs_gelu_new_as_one_kernel()
        {
            // litgpt GptNeoxMLP: torch.nn.functional.gelu(x, approximate="tanh") keeps only its input; transformers'
            // NewGELUActivation keeps two more i-wide tensors (x^3's input and the tanh output feed separate ops).
            // Phi-2, full fine-tune without checkpointing: the two trainers' blocks differ by 2 x 2 bytes x 10240 per token.
            Workload Phi2(Framework framework) => new Workload(ModelCatalog.Default.Get("microsoft/phi-2"))
            {
                Method = FinetuneMethod.Full, Framework = framework, Precision = Precision.Bf16, BatchSize = 1, SequenceLength = 512,
                Checkpointing = Checkpointing.None, Attention = AttentionKernel.Sdpa,
            };
            long expected = 32 * 2 * 2 * 10240 * 512;
            Assert.Equal(expected, At(Phi2(Framework.HfTrainer), Phase.ForwardEnd).Activations - At(Phi2(Framework.Litgpt), Phase.ForwardEnd).Activations);
        }
    }
}
