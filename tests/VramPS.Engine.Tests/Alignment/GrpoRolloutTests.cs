using System.Linq;
using VramPS.Engine.Alignment;
using VramPS.Engine.Errors;
using VramPS.Engine.Estimation;
using VramPS.Engine.Gpus;
using VramPS.Engine.Tests.Estimation;
using Xunit;
using static VramPS.Engine.Tests.Alignment.StageFixture;

namespace VramPS.Engine.Tests.Alignment
{
    /// <summary>
    /// How GRPO's trainers hold the policy and a colocated vLLM engine, on Llama-2-7B (64-token prompts, 128 generated
    /// tokens, one group of 8 as the micro-batch). Expected values are worked by hand from the sources each test cites.
    /// </summary>
    public class GrpoRolloutTests
    {
        /// <summary>bitsandbytes NF4 with double quantization: 4 bits, an 8-bit absmax per 64 weights, an fp32 scale per 256 absmax.</summary>
        private const double DoubleQuantBits = 4 + 8.0 / 64 + 32.0 / (64 * 256);

        private static readonly GpuSpec H100 = GpuCatalog.Default.Get("H100-SXM");

        private static Workload Grpo(FinetuneMethod method, Framework framework = Framework.HfTrainer)
        {
            var w = Workload(TrainingStage.Grpo, method);
            w.Framework = framework;
            w.BatchSize = null;
            w.SequenceLength = null;
            w.PromptLength = 64;
            w.GenerationLength = 128;
            return w;
        }

        [Fact]
        public void TrlsGrpoTrainerKeepsAQLoraBaseInItsLoadDtypeAndCastsTheAdaptersToBf16()
        {
            // trl/trainer/grpo_trainer.py@v0.26.2: get_peft_model without peft's prepare_model_for_kbit_training, so the
            // embedding, head and norms stay 16-bit; lines 331-334 cast every trainable parameter of a 4-bit model to bf16.
            double quantized = Llama2Fixture.BlockLinear * DoubleQuantBits / 8;
            double rest = P - Llama2Fixture.BlockLinear;
            var grpo = MemoryEstimator.Estimate(Grpo(FinetuneMethod.QLoRA));
            Assert.InRange(grpo.At(Phase.Generation).Weights - (quantized + 2 * rest + 2 * Adapters), -1, 1);
            Assert.Contains(grpo.Assumptions, a => a.Contains("prepares no k-bit training"));

            // The same QLoRA run under SFT: peft's prepare_model_for_kbit_training upcasts the rest to fp32 and the
            // adapters are peft's fp32 ones.
            var sftWorkload = Grpo(FinetuneMethod.QLoRA);
            sftWorkload.Stage = null;
            sftWorkload.SequenceLength = 192;
            sftWorkload.BatchSize = 8;
            var sft = MemoryEstimator.Estimate(sftWorkload);
            Assert.InRange(sft.Phases.Single(p => p.Phase == Phase.OptimizerStep).Weights - (quantized + 4 * rest + 4 * Adapters), -1, 1);
        }

        [Fact]
        public void TrlsColocatedEngineAsleepHoldsItsShareOnlyWhileItGenerates()
        {
            // grpo_trainer.py@v0.26.2 lines 1421-1422: sleep(level=2) after each generation drops the weights and the KV cache.
            var w = Grpo(FinetuneMethod.LoRA);
            w.RolloutMemoryFraction = 0.3;
            w.RolloutSleep = true;
            w.Gpu = H100;
            var e = MemoryEstimator.Estimate(w);

            double share = 0.3 * H100.MemoryBytes;
            var generation = e.At(Phase.Generation);
            Assert.InRange(generation.Weights - (2 * P + 4 * Adapters + 2 * P), -1, 1);
            Assert.InRange(generation.Other - (share - 2 * P), -1, 1);
            foreach (var phase in e.Phases.Where(p => p.Phase != Phase.Generation))
                Assert.InRange(phase.Weights, 0, 2 * P + 4 * Adapters + 1);
            Assert.Equal(true, e.RolloutSleep);

            // Awake (GRPOConfig.vllm_enable_sleep_mode defaults to False) it keeps its copy of the weights in every phase.
            w.RolloutSleep = null;
            var awake = MemoryEstimator.Estimate(w);
            Assert.Equal(false, awake.RolloutSleep);
            Assert.All(awake.Phases, p => Assert.True(p.Weights >= 2 * P + 2 * P));
        }

        [Fact]
        public void UnslothsFastInferenceSharesTheWeightsAndItsStandbyRaisesTheShareToNineTenthsOfTheFreeMemory()
        {
            // unsloth_zoo/vllm_utils.py@069fb62: load_vllm raises gpu_memory_utilization below 0.9 to 0.9 under standby,
            // approximate_vllm_memory_usage takes it of the memory free after the CUDA context, and the trained model
            // runs on vLLM's weights. Unsloth's GRPO notebooks set UNSLOTH_VLLM_STANDBY=1.
            var w = Grpo(FinetuneMethod.LoRA, Framework.Unsloth);
            w.RolloutMemoryFraction = 0.7;
            w.Gpu = H100;
            var e = MemoryEstimator.Estimate(w);

            Assert.Equal(0.9, e.RolloutMemoryFraction);
            Assert.Equal(true, e.RolloutSleep);
            double share = 0.9 * (85_520_809_984.0 - 641_728_512);
            var engine = e.Models.Single(m => m.Role == ModelRole.Rollout);
            Assert.Equal(0, engine.Weights);
            var generation = e.At(Phase.Generation);
            Assert.InRange(generation.Weights - (2 * P + 4 * Adapters), -1, 1);
            Assert.InRange(generation.Other - (share - 2 * P), -1, 1);
            // In standby the KV cache is freed for scoring and the update; the shared weights stay as the policy's.
            // Scoring returns the last hidden states of all 8 x 192 positions in bf16 (unsloth/models/rl_replacements.py
            // _get_per_token_logps_and_entropies, UNSLOTH_RETURN_HIDDEN_STATES), not logits.
            Assert.Equal(8 * 192 * H * 2, e.At(Phase.Scoring).Other);
            Assert.True(e.At(Phase.BackwardTop).Other < share - 2 * P);

            // Without standby the share stays as given and is held in every phase.
            w.RolloutSleep = false;
            var awake = MemoryEstimator.Estimate(w);
            Assert.Equal(0.7, awake.RolloutMemoryFraction);
            double awakeShare = 0.7 * (85_520_809_984.0 - 641_728_512);
            Assert.All(awake.Phases, p => Assert.True(p.Other >= awakeShare - 2 * P - 1));
        }

        [Fact]
        public void UnslothsGrpoLossFormsOneSequencesLogitsAtATime()
        {
            // unsloth_zoo/rl_replacements.py@069fb62 grpo_accumulated_loss: n_chunks = batch size, so one sequence's 128
            // completion logits (bf16), their fp32 quarters saved for logsumexp and the logits' gradient, beside
            // grad_inputs for all 8 x 128 completion tokens (bf16, hidden wide).
            var e = MemoryEstimator.Estimate(Grpo(FinetuneMethod.LoRA, Framework.Unsloth));
            Assert.Equal(8 * 128 * 2 * H + 128 * V * (2 + 4 + 2), e.At(Phase.ForwardEnd).Other);
            Assert.Equal(8 * 128 * 2 * H, e.At(Phase.BackwardStart).Other);
        }

        [Fact]
        public void AVllmServerLeavesTheTrainingGpuTheTrainedModelsAndTheirScoring()
        {
            // trl vllm-serve generates on GPUs of its own; the trainer still scores the batch with the policy for vLLM's
            // importance-sampling correction: logits of 8 x 128 completion tokens while accelerate casts them to fp32 (2 + 4 B),
            // as with a colocated engine.
            var w = Grpo(FinetuneMethod.LoRA);
            w.VllmMode = VllmMode.Server;
            var e = MemoryEstimator.Estimate(w);
            Assert.Equal(new[] { ModelRole.Policy }, e.Models.Select(m => m.Role));
            Assert.Equal(0, e.KvCache);
            Assert.Equal(VllmMode.Server, e.VllmMode);
            var generation = e.At(Phase.Generation);
            Assert.Equal(2 * P + 4 * Adapters, generation.Weights);
            Assert.Equal(0, generation.Activations + generation.Other);
            Assert.Equal(8 * 128 * V * 6, e.At(Phase.Scoring).Other);

            w.RolloutMemoryFraction = 0.3;
            Assert.Equal("VllmMode", Assert.Throws<InvalidWorkloadException>(() => MemoryEstimator.Estimate(w)).Parameter);
            var unsloth = Grpo(FinetuneMethod.LoRA, Framework.Unsloth);
            unsloth.VllmMode = VllmMode.Server;
            Assert.Contains("fast_inference", Assert.Throws<InvalidWorkloadException>(() => MemoryEstimator.Estimate(unsloth)).Message);
        }

        [Fact]
        public void AColocatedEngineWithoutAShareTakesTheFrameworksDefault()
        {
            // GRPOConfig.vllm_gpu_memory_utilization defaults to 0.3 (TRL v0.26.2); FastLanguageModel.from_pretrained's
            // gpu_memory_utilization to 0.5 (Unsloth).
            var w = Grpo(FinetuneMethod.LoRA);
            w.VllmMode = VllmMode.Colocate;
            w.Gpu = H100;
            var trl = MemoryEstimator.Estimate(w);
            Assert.Equal(0.3, trl.RolloutMemoryFraction);
            Assert.Equal(VllmMode.Colocate, trl.VllmMode);
            Assert.InRange(trl.At(Phase.Generation).Other - (0.3 * H100.MemoryBytes - 2 * P), -1, 1);

            var unsloth = Grpo(FinetuneMethod.LoRA, Framework.Unsloth);
            unsloth.VllmMode = VllmMode.Colocate;
            unsloth.RolloutSleep = false;
            unsloth.Gpu = H100;
            Assert.Equal(0.5, MemoryEstimator.Estimate(unsloth).RolloutMemoryFraction);

            var dpo = Workload(TrainingStage.Dpo, FinetuneMethod.LoRA);
            dpo.VllmMode = VllmMode.Server;
            Assert.Contains("-VllmMode applies to -Stage Grpo only; -Stage Dpo ignores it.", StageSettings.Ignored(dpo));
        }

        [Fact]
        public void AShareOfAnUnnamedGpuIsAWarningNamingTheGpuAssumed()
        {
            var w = Grpo(FinetuneMethod.LoRA);
            w.RolloutMemoryFraction = 0.3;
            var e = MemoryEstimator.Estimate(w);
            Assert.Contains(e.Warnings, m => m.StartsWith("-RolloutMemoryFraction 0.3 without -Gpu") && m.Contains("H100-SXM (79.6 GiB)"));

            w.Gpu = H100;
            Assert.DoesNotContain(MemoryEstimator.Estimate(w).Warnings, m => m.Contains("-RolloutMemoryFraction"));
        }

        [Fact]
        public void RolloutSleepWithoutAnEngineIsNamedAsIgnored()
        {
            var w = Grpo(FinetuneMethod.LoRA);
            w.RolloutSleep = true;
            Assert.Contains(StageSettings.Ignored(w), m => m.StartsWith("-RolloutSleep applies to a vLLM engine colocated with training"));
            w.Stage = TrainingStage.Dpo;
            Assert.Contains(StageSettings.Ignored(w), m => m.StartsWith("-RolloutSleep applies to -Stage Ppo and Grpo only"));
        }
    }
}
