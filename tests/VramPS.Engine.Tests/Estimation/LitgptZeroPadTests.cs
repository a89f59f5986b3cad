using System.Linq;
using VramPS.Engine.Estimation;
using VramPS.Engine.Models;
using Xunit;

namespace VramPS.Engine.Tests.Estimation
{
    /// <summary>
    /// litgpt's fused qkv adapter (litgpt/lora.py LoRAQKVLinear.zero_pad, lit-gpt 8641822 and litgpt 5895df1) copies
    /// the LoRA output of the adapted slices into a zero tensor of the fused qkv width with index_copy; autograd's
    /// index_copy backward (tools/autograd/derivatives.yaml: source's gradient is
    /// grad.index_select(dim, index).expand_as(source)) keeps that source, 16-bit under bf16-true, until backward
    /// reaches the block. With q, k and v all adapted, zero_pad returns the LoRA output as is and keeps nothing.
    /// Llama-2-7B (Llama2Fixture): 32 blocks, q and v each 4096 wide; one sequence of 512 tokens, rank 8, no checkpointing.
    /// </summary>
    public class LitgptZeroPadTests
    {
        private const long Tokens = 512;
        private const long Layers = Llama2Fixture.Layers;

        private static Workload Lora(Framework framework, params string[] targets)
        {
            var w = Llama2Fixture.Workload(FinetuneMethod.LoRA);
            w.Framework = framework;
            w.Checkpointing = Checkpointing.None;
            w.LoraRank = 8;
            w.LoraTargets = targets;
            return w;
        }

        private static long Saved(Workload w) => MemoryEstimator.Estimate(w).Phases.Single(p => p.Phase == Phase.BackwardStart).Activations;

        [Fact]
        public void Query_and_value_keep_their_padded_lora_output_where_all_three_keep_none()
        {
            long qv = Saved(Lora(Framework.Litgpt, "q_proj", "v_proj"));
            long qkv = Saved(Lora(Framework.Litgpt, "q_proj", "k_proj", "v_proj"));
            // q and v: zero_pad keeps their LoRA output, 2 x 4096 bf16 values per token. Adapting k too drops that but
            // adds k's rank-wide A output, which its slice of B keeps (8 bf16 values per token).
            long perTokenLayer = 2 * (4096 + 4096) - 2 * 8;
            Assert.Equal(Layers * Tokens * perTokenLayer, qv - qkv);
        }

        [Fact]
        public void Peft_pads_nothing()
        {
            long qv = Saved(Lora(Framework.Peft, "q_proj", "v_proj"));
            long qkv = Saved(Lora(Framework.Peft, "q_proj", "k_proj", "v_proj"));
            // Padding q and v (2 x 4096 x 2 B per token) would outweigh the branch k_proj adds (its dropout mask and output).
            Assert.True(qkv > qv, "peft adds each adapted linear's LoRA output to its own output and pads nothing");
        }

        [Fact]
        public void A_fused_attention_linear_takes_litgpts_query_and_value_defaults_and_says_so()
        {
            var w = new Workload(ModelCatalog.Default.Get("stabilityai/stablelm-base-alpha-3b"))
            {
                Method = FinetuneMethod.LoRA, Framework = Framework.Litgpt, Precision = Precision.Bf16, BatchSize = 1,
                SequenceLength = 512, Checkpointing = Checkpointing.None, LoraRank = 8, LoraTargets = new[] { "query_key_value" },
            };
            Assert.Contains(MemoryEstimator.Estimate(w).Assumptions, a => a.StartsWith("LoRA on the query and value slices of the fused attention linear"));
        }
    }
}
