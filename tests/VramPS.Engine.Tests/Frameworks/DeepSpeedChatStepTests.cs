using System;
using System.Linq;
using VramPS.Engine.Alignment;
using VramPS.Engine.Errors;
using VramPS.Engine.Estimation;
using VramPS.Engine.Models;
using VramPS.Engine.Tests.Alignment;
using Xunit;

namespace VramPS.Engine.Tests.Frameworks
{
    /// <summary>
    /// What DeepSpeed-Chat's published step logs ran, tensor by tensor: OPT's model code in transformers main of April
    /// 2023 (DeepSpeedExamples applications/DeepSpeed-Chat/requirements.txt@0eaa796), DeepSpeed's engine without ZeRO,
    /// and DeepSpeed-Chat's loops. Each expected figure is worked out by hand from the cited code.
    /// </summary>
    public class DeepSpeedChatStepTests
    {
        private static readonly ModelArchitecture Opt13 = ModelCatalog.Default.Get("facebook/opt-1.3b");
        private static readonly ModelArchitecture Opt350 = ModelCatalog.Default.Get("facebook/opt-350m");

        /// <summary>The step-1 log's shape: 8 sequences of 512 tokens per GPU, fp16, eager attention, no checkpointing.</summary>
        private static Workload Sft(ModelArchitecture model, Framework framework) => new Workload(model)
        {
            Method = FinetuneMethod.Full,
            Precision = Precision.Fp16Mixed,
            Framework = framework,
            BatchSize = 8,
            SequenceLength = 512,
            GradientAccumulation = 1,
            Checkpointing = Checkpointing.None,
            Attention = AttentionKernel.Eager,
            GpuCount = 2,
            Sharding = Sharding.None,
        };

        private static PhaseMemory At(TrainingMemoryEstimate e, Phase phase) => e.Phases.First(p => p.Phase == phase);

        private const double Tokens = 8 * 512;

        [Fact]
        public void Relu_output_is_the_tensor_fc2_saves()
        {
            // modeling_opt.py OPTDecoderLayer: fc1 -> relu -> fc2. ReLU saves its output (derivatives.yaml relu:
            // threshold_backward(grad, result, 0)) and fc2 saves that same tensor: 2 bytes x 8192 per token per layer.
            // GELU saves its input (fc1's output) and fc2 the GELU output: two tensors, 2 x 2 x 8192.
            var gelu = Opt13.WithId(Opt13.Id);
            gelu.Activation = "gelu";
            var relu = MemoryEstimator.Estimate(Sft(Opt13, Framework.DeepSpeedChat));
            var other = MemoryEstimator.Estimate(Sft(gelu, Framework.DeepSpeedChat));
            double expected = 2.0 * 8192 * Tokens * 24;
            Assert.Equal(expected, At(other, Phase.ForwardEnd).Activations - At(relu, Phase.ForwardEnd).Activations);
        }

        [Fact]
        public void Opt_eager_attention_before_4_46_keeps_the_clamped_scores_input()
        {
            // modeling_opt.py OPTAttention (April 2023 to 4.36): attn_weights = torch.max(scores + mask, finfo.min) keeps
            // its fp16 input for backward (aten maximum): 32 heads x 512 keys x 2 bytes per token per layer, 24 layers.
            var old = Sft(Opt13, Framework.DeepSpeedChat);
            old.TransformersVersion = new Version(4, 29);
            var current = Sft(Opt13, Framework.DeepSpeedChat);
            current.TransformersVersion = new Version(4, 46);
            double expected = 32.0 * 512 * 2 * Tokens * 24;
            Assert.Equal(expected, At(MemoryEstimator.Estimate(old), Phase.ForwardEnd).Activations
                - At(MemoryEstimator.Estimate(current), Phase.ForwardEnd).Activations);
        }

        [Fact]
        public void Opt_before_4_46_takes_its_own_fp16_loss_and_the_loop_keeps_the_previous_logits()
        {
            // modeling_opt.py OPTForCausalLM (April 2023): logits = lm_head(...).contiguous() in fp16 (DeepSpeed's engine
            // runs the fp16 model without autocast), shift_logits = logits[..., :-1, :].contiguous(), CrossEntropyLoss
            // in fp16 saving its log-softmax: 3 x 2 bytes per vocabulary entry at the loss. step1 main.py keeps
            // `outputs` until the next forward returns: the previous step's fp16 logits, 2 more. 50272 entries per token.
            var e = MemoryEstimator.Estimate(Sft(Opt13, Framework.DeepSpeedChat));
            Assert.Equal("4.29", e.TransformersVersion);
            Assert.Equal((3 * 2 + 2) * Tokens * 50272, At(e, Phase.ForwardEnd).Other);
            // Backward's start: the logits, the saved log-softmax, its incoming gradient and its input gradient (4 x 2).
            Assert.Equal(4 * 2 * Tokens * 50272, At(e, Phase.BackwardStart).Other);
        }

        [Fact]
        public void Only_deepspeed_chat_loops_keep_the_logits_through_the_step()
        {
            // The same run under DeepSpeed's engine alone holds no outputs after backward; DeepSpeed-Chat's keeps the
            // fp16 logits (2 bytes x 50272 per token) through the optimizer step.
            var chat = Sft(Opt13, Framework.DeepSpeedChat);
            var plain = Sft(Opt13, Framework.DeepSpeed);
            plain.TransformersVersion = new Version(4, 29);
            Assert.Equal(2 * Tokens * 50272, At(MemoryEstimator.Estimate(chat), Phase.OptimizerStep).Other
                - At(MemoryEstimator.Estimate(plain), Phase.OptimizerStep).Other);
        }

        [Fact]
        public void Deepspeed_without_zero_reduces_after_backward()
        {
            // deepspeed/runtime/engine.py _backward_epilogue -> allreduce_gradients -> buffered_allreduce_fallback
            // (stage 0): the flat fp16 bucket (all of OPT-350m's trainable parameters, under 5e8 elements) exists only
            // once backward has ended, so nothing but the model's own tensors during backward.
            var w = Sft(Opt350, Framework.DeepSpeed);
            var e = MemoryEstimator.Estimate(w);
            Assert.Equal(0, At(e, Phase.BackwardTop).Other);
            Assert.Equal(2 * e.TrainableParameters, At(e, Phase.BackwardEnd).Other);
        }

        [Fact]
        public void Deepspeed_chat_dpo_keeps_both_outputs_and_takes_log_probs_after_the_reference()
        {
            // step2_dpo_finetuning/main.py@1842b4f, the published run's shape: 2 pairs per GPU (4 sequences of 512),
            // fp16. Backward's start holds the policy's and the reference's logits, the policy's saved log-softmax, the
            // gather's full-size gradient and log_softmax's input gradient: 5 x 2 bytes per entry; after the loss's
            // backward the two logits stay referenced (2 x 2) through the step.
            var w = new Workload(Opt350)
            {
                Method = FinetuneMethod.Full,
                Precision = Precision.Fp16Mixed,
                Framework = Framework.DeepSpeedChat,
                Stage = TrainingStage.Dpo,
                BatchSize = 2,
                SequenceLength = 512,
                GradientAccumulation = 2,
                GpuCount = 8,
                Sharding = Sharding.None,
                Attention = AttentionKernel.Sdpa,
            };
            var e = MemoryEstimator.Estimate(w);
            double entries = 4.0 * 512 * 50272;
            Assert.Equal(5 * 2 * entries, At(e, Phase.BackwardStart).Other);
            Assert.Equal(2 * 2 * entries, At(e, Phase.BackwardTop).Other);
            // The step (deepspeed/runtime/fp16/fused_optimizer.py step, fp16 without ZeRO): the policy's fp16 weights and
            // gradients (2 + 2 bytes a parameter), the fp32 master and Adam's two moments (12), the group's per-parameter
            // fp32 copies and their flat concatenation (8), the reference's fp16 weights (2), and both held logits.
            double n = Opt350.TotalParameters;
            Assert.Equal(26 * n + 2 * 2 * entries, At(e, Phase.OptimizerStep).Allocated);
        }
        [Fact]
        public void Unstated_settings_take_deepspeed_chats_own_defaults()
        {
            // training/step1_supervised_finetuning/main.py@45b4b71: --dtype fp16, --per_device_train_batch_size 16,
            // --max_seq_len 512; transformers of April 2023 (4.29) had no SDPA path, so OPT ran eager attention.
            var e = MemoryEstimator.Estimate(new Workload(Opt13) { Framework = Framework.DeepSpeedChat });
            Assert.Equal(Precision.Fp16Mixed, e.Precision);
            Assert.Equal(16, e.BatchSize);
            Assert.Equal(512, e.SequenceLength);
            Assert.Equal(AttentionKernel.Eager, e.Attention);
            var lora = MemoryEstimator.Estimate(new Workload(Opt13) { Framework = Framework.DeepSpeedChat, Method = FinetuneMethod.LoRA });
            Assert.Equal(Precision.Fp16, lora.Precision);
        }

        [Fact]
        public void Dpo_runs_the_transformers_of_its_own_release()
        {
            // training/step2_dpo_finetuning arrived in January 2025 (1842b4f; its log ran on 2025-01-02), when
            // transformers>=4.31 resolved to 4.47, which has the SDPA path (4.36 on); step 3 kept April 2023's 4.29, eager.
            var dpo = MemoryEstimator.Estimate(new Workload(Opt350) { Framework = Framework.DeepSpeedChat, Stage = TrainingStage.Dpo, BatchSize = 2 });
            Assert.Equal("4.47", dpo.TransformersVersion);
            Assert.Equal(AttentionKernel.Sdpa, dpo.Attention);
            var ppo = MemoryEstimator.Estimate(new Workload(Opt13) { Framework = Framework.DeepSpeedChat, Stage = TrainingStage.Ppo, RewardModel = Opt350, BatchSize = 2 });
            Assert.Equal("4.29", ppo.TransformersVersion);
            Assert.Equal(AttentionKernel.Eager, ppo.Attention);
        }

        [Fact]
        public void Ppo_reference_is_a_full_fp16_copy_even_when_the_actor_trains_lora()
        {
            // dschat/rlhf/rlhf_engine.py _init_ref: create_hf_model from the actor's checkpoint, no LoRA, fp16 at stage 0
            // (the actor's ZeRO stage is 2): 2 bytes for every parameter of OPT-1.3b on every GPU.
            var w = new Workload(Opt13)
            {
                Method = FinetuneMethod.LoRA,
                LoraRank = 128,
                Framework = Framework.DeepSpeedChat,
                Stage = TrainingStage.Ppo,
                RewardModel = Opt350,
                BatchSize = 4,
                GpuCount = 8,
                Sharding = Sharding.Zero2,
            };
            Assert.Equal(2 * Opt13.TotalParameters, MemoryEstimator.Estimate(w).Row(ModelRole.Reference).Weights);
        }

        public static TheoryData<string, Action<Workload>> Unoffered => new TheoryData<string, Action<Workload>>
        {
            // training/*/main.py: FusedAdam or DeepSpeedCPUAdam only; plain transformers models and losses; ZeRO data
            // parallel only; no block freezing; the DPO reference runs every step; PPO generates with the hybrid engine.
            { "Optimizer", w => w.Optimizer = OptimizerKind.AdamW8bit },
            { "Techniques", w => w.Techniques = Techniques.FusedLinearLoss },
            { "Attention", w => w.Attention = AttentionKernel.Flash },
            // create_hf_model passes no attn_implementation, and transformers before 4.36 has no SDPA path: the SFT
            // and reward steps' release (4.29) runs eager attention only.
            { "Attention", w => w.Attention = AttentionKernel.Sdpa },
            { "Attention", w => { w.Attention = AttentionKernel.Sdpa; w.TransformersVersion = new System.Version(4, 35); } },
            { "TensorParallel", w => w.TensorParallel = 2 },
            { "Method", w => { w.Method = FinetuneMethod.Freeze; w.TrainableLayers = 2; } },
            { "PrecomputeReferenceLogProbs", w => { w.Stage = TrainingStage.Dpo; w.PrecomputeReferenceLogProbs = true; } },
            { "RolloutMemoryFraction", w => { w.Stage = TrainingStage.Ppo; w.RewardModel = Opt350; w.RolloutMemoryFraction = 0.5; } },
            // DeepSpeed's zero/config.py: offload_optimizer is ZeRO-Offload, offload_param "valid only with stage 3".
            { "Offload", w => w.Offload = Offload.Optimizer },
            { "Offload", w => { w.Sharding = Sharding.Zero2; w.Offload = Offload.OptimizerAndParameters; } },
        };

        [Theory]
        [MemberData(nameof(Unoffered))]
        public void Refuses_what_deepspeed_chat_cannot_run(string parameter, Action<Workload> set)
        {
            var w = new Workload(Opt13) { Framework = Framework.DeepSpeedChat, GpuCount = 8, BatchSize = 4 };
            set(w);
            var error = Assert.Throws<InvalidWorkloadException>(() => MemoryEstimator.Estimate(w));
            Assert.Equal(parameter, error.Parameter);
            Assert.Contains("DeepSpeed-Chat", error.Message);
        }

        [Fact]
        public void Runs_sdpa_where_its_transformers_release_defaults_to_it()
        {
            // transformers 4.36 made SDPA the default attn_implementation; DeepSpeed-Chat's DPO step runs 4.47 unless told.
            var w = new Workload(Opt13) { Framework = Framework.DeepSpeedChat, GpuCount = 8, BatchSize = 4, Attention = AttentionKernel.Sdpa, TransformersVersion = new System.Version(4, 36) };
            Assert.Equal(AttentionKernel.Sdpa, MemoryEstimator.Estimate(w).Attention);
            var dpo = new Workload(Opt13) { Framework = Framework.DeepSpeedChat, GpuCount = 8, BatchSize = 4, Attention = AttentionKernel.Sdpa, Stage = TrainingStage.Dpo };
            Assert.Equal(AttentionKernel.Sdpa, MemoryEstimator.Estimate(dpo).Attention);
        }
    }
}
