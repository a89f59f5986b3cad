using System.Linq;
using VramPS.Engine.Estimation;
using VramPS.Engine.Models;
using Xunit;

namespace VramPS.Engine.Tests.Estimation
{
    /// <summary>What each trainer does by default, on Llama-2-7B; expected values derived from the trainers' documented defaults.</summary>
    public class TrainerRecipeTests
    {
        private const long H = Llama2Fixture.Hidden;
        private const long I = Llama2Fixture.Intermediate;
        private const long L = Llama2Fixture.Layers;

        private static Workload Bare(FinetuneMethod method, Framework framework) =>
            new Workload(Llama2Fixture.Model()) { Method = method, Framework = framework };

        [Theory]
        [InlineData(AttentionKernel.Sdpa)]
        [InlineData(AttentionKernel.Flash)]
        public void LitgptComputesCappedAttentionByHandWhateverKernelIsAsked(AttentionKernel asked)
        {
            // litgpt/model.py: "with softcapping we cannot use SDPA" (Gemma 2 caps attention logits at 50).
            Workload Gemma2(AttentionKernel kernel) => new Workload(ModelCatalog.Default.Get("google/gemma-2-2b"))
            {
                Method = FinetuneMethod.LoRA, Framework = Framework.Litgpt, BatchSize = 2, SequenceLength = 512,
                Checkpointing = Checkpointing.None, Attention = kernel,
            };
            Assert.Equal(MemoryEstimator.Estimate(Gemma2(AttentionKernel.Eager)).Allocated, MemoryEstimator.Estimate(Gemma2(asked)).Allocated);
        }

        [Fact]
        public void LitgptQuantizesEachLinearAsItLoadsSoOnlyOne16BitWeightIsResident()
        {
            // Lightning's BitsandbytesPrecision quantizes each _Linear4bit when it is created on the GPU and again from
            // each checkpoint weight in load_state_dict: the load holds the quantized model and one 16-bit linear,
            // Llama-2-7B's largest being the 4-bit head's 32000 x 4096 (2 bytes each; the MLP's are 4096 x 11008).
            var e = MemoryEstimator.Estimate(Bare(FinetuneMethod.QLoRA, Framework.Litgpt));
            var load = e.Phases.Single(p => p.Phase == Phase.Load);
            var step = e.Phases.Single(p => p.Phase == Phase.OptimizerStep);
            Assert.Equal(step.Weights + 2 * Llama2Fixture.Vocab * H, load.Weights);
            Assert.Equal(load.Weights, load.Allocated);
            Assert.NotEqual(Phase.Load, e.PeakPhase);
        }

        [Theory]
        [InlineData("google/gemma-2-2b", "4.46", null, AttentionKernel.Eager)]
        [InlineData("google/gemma-2-2b", "4.42", null, AttentionKernel.Eager)]
        [InlineData("google/gemma-2-2b", "4.48", null, AttentionKernel.Sdpa)]
        [InlineData("google/gemma-2-2b", "4.40", null, AttentionKernel.Sdpa)]
        [InlineData("google/gemma-2-2b", "4.46", AttentionKernel.Sdpa, AttentionKernel.Sdpa)]
        [InlineData("meta-llama/Llama-2-7b-hf", "4.46", null, AttentionKernel.Sdpa)]
        public void TransformersRunsCappedModelsWithEagerAttentionByDefault(string model, string version, AttentionKernel? asked, AttentionKernel expected)
        {
            // transformers 4.42-4.47, Gemma2PreTrainedModel._check_and_enable_sdpa: the default SDPA becomes eager; an
            // attn_implementation the user names is kept.
            var w = new Workload(ModelCatalog.Default.Get(model))
            {
                Method = FinetuneMethod.LoRA, Framework = Framework.HfTrainer, TransformersVersion = System.Version.Parse(version), Attention = asked,
            };
            Assert.Equal(expected, MemoryEstimator.Estimate(w).Attention);
        }

        [Fact]
        public void CappedEagerAttentionAlsoKeepsTheTanhOfTheScores()
        {
            var capped = ModelCatalog.Default.Get("google/gemma-2-2b");
            var uncapped = capped.WithId("gemma-2-2b-uncapped");
            uncapped.AttentionLogitSoftcap = 0;
            Workload Run(ModelArchitecture m) => new Workload(m)
            {
                Method = FinetuneMethod.LoRA, Framework = Framework.HfTrainer, BatchSize = 2, SequenceLength = 512,
                Checkpointing = Checkpointing.None, Attention = AttentionKernel.Eager, Precision = Precision.Bf16,
            };
            long Saved(ModelArchitecture m) => MemoryEstimator.Estimate(Run(m)).Phases.Single(p => p.Phase == Phase.ForwardEnd).Activations;

            // 26 blocks x 1024 tokens x 8 heads x 512 keys, one bf16 tanh output each.
            Assert.Equal(26L * 1024 * 8 * 512 * 2, Saved(capped) - Saved(uncapped));
        }

        [Fact]
        public void LlamaFactoryFreezeUpcastsOnlyTheTrainableBlocks()
        {
            var e = MemoryEstimator.Estimate(Bare(FinetuneMethod.Freeze, Framework.LlamaFactory));

            // The last 2 blocks train (freeze_trainable_layers 2): their weights are fp32, the rest of the model bf16
            // (model/adapter.py: only trainable parameters are upcast). With checkpointing on, autocast keeps the bf16
            // copy of one trainable block's linears; the frozen head needs none.
            long block = 4 * H * H + 3 * H * I + 2 * H;
            long trainable = 2 * block;
            long linears = 4 * H * H + 3 * H * I;
            Assert.Equal(trainable, e.TrainableParameters);
            Assert.Equal(Precision.Bf16Mixed, e.Precision);
            long stored = trainable * 4 + (Llama2Fixture.Parameters - trainable) * 2;
            Assert.Equal(stored + 2 * linears, e.Phases.Single(p => p.Phase == Phase.ForwardEnd).Weights);
            Assert.Equal(stored, e.Phases.Single(p => p.Phase == Phase.OptimizerStep).Weights);
            Assert.Equal(2 * 4 * trainable, e.Phases.Single(p => p.Phase == Phase.OptimizerStep).OptimizerStates);
            Assert.Contains(e.Assumptions, a => a.Contains("trainable ones are upcast to fp32"));
        }

        [Fact]
        public void TheTrainerKeepsAFreezeRunAllInFp32()
        {
            var e = MemoryEstimator.Estimate(Bare(FinetuneMethod.Freeze, Framework.HfTrainer));
            Assert.True(e.Weights >= Llama2Fixture.Parameters * 4, $"{e.Weights:N0} bytes of weights for an fp32 load");
        }

        [Fact]
        public void LlamaFactoryAdaptsEveryLinearAndCheckpointsByDefault()
        {
            var e = MemoryEstimator.Estimate(Bare(FinetuneMethod.LoRA, Framework.LlamaFactory));

            // lora_target: all, rank 8: q, k, v, o (h -> h), gate and up (h -> i), down (i -> h).
            long perLayer = 8 * (4 * (H + H) + 2 * (H + I) + (I + H));
            Assert.Equal(L * perLayer, e.TrainableParameters);
            Assert.Equal(Checkpointing.Full, e.Checkpointing);
        }

        [Fact]
        public void LlamaFactoryQloraKeepsNonQuantizedParametersInBf16WhereTrlUpcastsThem()
        {
            var factory = MemoryEstimator.Estimate(Bare(FinetuneMethod.QLoRA, Framework.LlamaFactory));
            var trl = MemoryEstimator.Estimate(Bare(FinetuneMethod.QLoRA, Framework.HfTrainer));

            // Both quantize every block linear to NF4 and keep fp32 adapters (LLaMA-Factory adapts every linear, TRL
            // q_proj and v_proj); the embeddings, head and norms stay at 2 bytes in LLaMA-Factory, 4 under TRL.
            long notQuantized = Llama2Fixture.Parameters - Llama2Fixture.BlockLinear;
            long factoryAdapters = factory.TrainableParameters * 4;
            long trlAdapters = trl.TrainableParameters * 4;
            double nf4 = (4 + 8.0 / 64 + 32.0 / (64 * 256)) / 8;
            Assert.Equal((long)System.Math.Round(Llama2Fixture.BlockLinear * nf4 + notQuantized * 2.0 + factoryAdapters), factory.Weights);
            Assert.Equal((long)System.Math.Round(Llama2Fixture.BlockLinear * nf4 + notQuantized * 4.0 + trlAdapters), trl.Weights);
        }

        [Fact]
        public void UnslothTurnsOnItsKernelsAndOffloadedCheckpointing()
        {
            var e = MemoryEstimator.Estimate(Bare(FinetuneMethod.QLoRA, Framework.Unsloth));
            Assert.Equal(Techniques.ChunkedLoss | Techniques.FusedKernels | Techniques.ActivationOffload, e.Techniques);
            Assert.Equal(Checkpointing.Full, e.Checkpointing);
            Assert.True(e.HostMemory > 0);
        }

        [Fact]
        public void FsdpReservesTheGatheredUnitsOnTheirOwnStream()
        {
            var w = Bare(FinetuneMethod.LoRA, Framework.FsdpQlora);
            w.GpuCount = 2;
            w.Sharding = Sharding.Zero3;
            w.Checkpointing = Checkpointing.Full;
            var e = MemoryEstimator.Estimate(w);

            // Root unit (embedding and head, bf16) and two gathered blocks (bf16) stay in the all-gather stream's pool.
            long root = 2 * Llama2Fixture.Vocab * H * 2;
            long block = 4 * H * H + 3 * H * I + 2 * H;
            Assert.True(e.Reserved - e.Allocated >= root + 2 * block * 2);
        }

        [Theory]
        [InlineData(4, 40, 12)]
        [InlineData(4, 46, 14)]
        [InlineData(5, 0, 10)]
        public void TheLossPathHoldsLogitsByTransformersRelease(int major, int minor, int bytesPerEntry)
        {
            // Up to 4.45: fp32 logits, shifted fp32 copy, fp32 log-softmax (12 B per vocabulary entry and token);
            // 4.46-4.49: the bf16 logits stay in the outputs as well (14 B); from 4.50 the labels shift (2 + 4 + 4 B).
            var w = Llama2Fixture.Workload(FinetuneMethod.LoRA);
            w.LoraRank = 8;
            w.LoraTargets = new[] { "q_proj", "v_proj" };
            w.TransformersVersion = new System.Version(major, minor);
            var e = MemoryEstimator.Estimate(w);
            var forward = System.Linq.Enumerable.Single(e.Phases, p => p.Phase == Phase.ForwardEnd);
            Assert.Equal(512L * Llama2Fixture.Vocab * bytesPerEntry, forward.Other);
        }
    }
}
