using System.Linq;
using VramPS.Engine.Alignment;
using VramPS.Engine.Estimation;
using VramPS.Engine.Tests.Estimation;

namespace VramPS.Engine.Tests.Alignment
{
    /// <summary>
    /// Llama-2-7B workloads for the stage tests (see Llama2Fixture: pure bf16, FlashAttention, full checkpointing, one
    /// GPU), with LoRA on q_proj and v_proj at rank 8 where the method takes adapters, and the figures every stage test
    /// derives its expectations from. Under LoRA the Trainer's bf16 autocast runs the 16-bit model, so accelerate's
    /// native AMP returns the logits as an fp32 copy (accelerate@12d38f0 accelerator.py prepare_model,
    /// convert_outputs_to_fp32): 4 bytes per entry, and 2 + 4 while the cast runs; pure bf16 Full runs keep bf16 logits.
    /// </summary>
    internal static class StageFixture
    {
        public const long P = Llama2Fixture.Parameters;
        public const long H = Llama2Fixture.Hidden;
        public const long I = Llama2Fixture.Intermediate;
        public const long L = Llama2Fixture.Layers;
        public const long V = Llama2Fixture.Vocab;

        /// <summary>LoRA rank 8 on q_proj and v_proj (4096 x 4096 each): 8 x (4096 + 4096) per module, two per block.</summary>
        public const long Adapters = L * 8 * 4 * H;

        /// <summary>The checkpointed block inputs in bf16 and the final RMSNorm's fp32 input copy, per token.</summary>
        public const long CheckpointedPerToken = L * 2 * H + 4 * H;

        /// <summary>
        /// One block of a forward without autograd, per token: bf16 residual and normed input (2 + 2 bytes x h) beside the
        /// larger of the MLP's gate activation, up output and product (3 x 2 bytes x i) and FlashAttention's q, k, v and
        /// output (2 bytes x 4 x 4096).
        /// </summary>
        public const long ForwardWorkingPerToken = 4 * H + 3 * 2 * I;

        /// <summary>Keys and values of every layer, bf16, per token: 2 x 32 layers x 32 KV heads x 128 x 2 bytes.</summary>
        public const long KvPerToken = 2 * L * 32 * 128 * 2;

        /// <summary>The reward and value model: the LM head (V x h) replaced by a 1 x h score.</summary>
        public const long ScalarHeadParameters = P - V * H + H;

        public static Workload Workload(TrainingStage stage, FinetuneMethod method)
        {
            var w = Llama2Fixture.Workload(method);
            w.ModelName = "meta-llama/Llama-2-7b-hf";
            w.Stage = stage;
            if (method == FinetuneMethod.LoRA || method == FinetuneMethod.QLoRA)
            {
                w.LoraRank = 8;
                w.LoraTargets = new[] { "q_proj", "v_proj" };
            }
            return w;
        }

        public static PhaseMemory At(this TrainingMemoryEstimate e, Phase phase) => e.Phases.Single(p => p.Phase == phase);

        public static ModelMemory Row(this TrainingMemoryEstimate e, ModelRole role) => e.Models.Single(m => m.Role == role);
    }
}
