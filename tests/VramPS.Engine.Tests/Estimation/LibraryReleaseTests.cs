using System;
using System.Linq;
using VramPS.Engine.Estimation;
using VramPS.Engine.Models;
using Xunit;

namespace VramPS.Engine.Tests.Estimation
{
    /// <summary>
    /// The 2022 stack of transformers' "Efficient Training on a Single GPU" guide (docs/source/en/perf_train_gpu_one.mdx
    /// at 0016acf: bert-large-uncased, micro-batch 4 x 512 tokens, fp16 AMP, V100, January 2022), named through
    /// -TorchVersion 1.10 and -TransformersVersion 4.16. BERT-large: 24 blocks, 16 heads, word embeddings 30522 x 1024
    /// (its largest parameter). Each release-dependent mechanism, by hand:
    /// - torch before 1.11 saves softmax's input (derivatives.yaml _softmax: _softmax_backward_data(grad, result, dim,
    ///   self); pytorch#65242): BERT's scores plus its fp32 extended mask, 4 bytes per score, 24 x 4 x 16 x 512 x 512 each;
    /// - torch before 2.0 zero_grad() zeroes in place: every fp32 gradient (4 bytes per trainable parameter) stays
    ///   allocated through the next forward;
    /// - transformers before 4.32 (transformers#25109) run AdamW as adamw_hf, one parameter at a time: one fp32 temporary
    ///   of the largest parameter; torch 1.x's own AdamW (foreach off) holds two.
    /// </summary>
    public class LibraryReleaseTests
    {
        private const long Scores = 24L * 4 * 16 * 512 * 512;
        private const long Embeddings = 30522L * 1024;

        private static TrainingMemoryEstimate Bert(string? torch, string? transformers)
        {
            var w = new Workload(ModelCatalog.Default.Get("bert-large-uncased"))
            {
                Method = FinetuneMethod.Full, Framework = Framework.HfTrainer, Precision = Precision.Fp16Mixed,
                Optimizer = OptimizerKind.AdamW, BatchSize = 4, SequenceLength = 512, GradientAccumulation = 1,
                Checkpointing = Checkpointing.None, Attention = AttentionKernel.Eager,
                TorchVersion = torch == null ? null : Version.Parse(torch),
                TransformersVersion = transformers == null ? null : Version.Parse(transformers),
            };
            return MemoryEstimator.Estimate(w);
        }

        private static PhaseMemory At(TrainingMemoryEstimate e, Phase phase) => e.Phases.Single(p => p.Phase == phase);

        [Fact]
        public void Torch_before_1_11_keeps_each_softmax_input_in_fp32()
        {
            Assert.Equal(Scores * 4, At(Bert("1.10", null), Phase.ForwardEnd).Activations - At(Bert(null, null), Phase.ForwardEnd).Activations);
            Assert.Equal(0, At(Bert("1.11", null), Phase.ForwardEnd).Activations - At(Bert(null, null), Phase.ForwardEnd).Activations);
        }

        [Fact]
        public void Torch_before_2_keeps_the_zeroed_fp32_gradients_through_the_forward()
        {
            var old = Bert("1.13", null);
            Assert.Equal(4 * old.TrainableParameters, At(old, Phase.ForwardEnd).Gradients);
            Assert.Equal(0, At(Bert("2.0", null), Phase.ForwardEnd).Gradients);
        }

        [Fact]
        public void Adamw_hf_steps_one_parameter_at_a_time()
        {
            Assert.Equal(Embeddings * 4, At(Bert(null, "4.16"), Phase.OptimizerStep).Other);
            Assert.Equal(2 * Embeddings * 4, At(Bert("1.10", "4.46"), Phase.OptimizerStep).Other);
            // transformers 4.32 and later, torch 2: the foreach step's temporary list over every trainable parameter.
            var now = Bert(null, "4.32");
            Assert.Equal(4 * now.TrainableParameters, At(now, Phase.OptimizerStep).Other);
        }

        [Fact]
        public void Each_release_mechanism_is_an_assumption_and_none_applies_unnamed()
        {
            var old = Bert("1.10", "4.16");
            Assert.Equal("1.10", old.TorchVersion);
            Assert.Contains(old.Assumptions, a => a.StartsWith("torch before 1.11: softmax keeps its input"));
            Assert.Contains(old.Assumptions, a => a.StartsWith("torch before 2.0: zero_grad()"));
            Assert.Contains(old.Assumptions, a => a.StartsWith("transformers before 4.32: AdamW is the Trainer's default adamw_hf"));
            Assert.DoesNotContain(Bert(null, null).Assumptions, a => a.StartsWith("torch before") || a.StartsWith("transformers before 4.32"));
        }
    
        [Fact]
        public void A_default_AdamW_is_not_called_foreach_where_the_release_steps_one_parameter_at_a_time()
        {
            static TrainingMemoryEstimate Default(string? torch, string? transformers) => MemoryEstimator.Estimate(
                new Workload(ModelCatalog.Default.Get("bert-large-uncased"))
                {
                    Method = FinetuneMethod.Full, Framework = Framework.HfTrainer, Precision = Precision.Fp16Mixed,
                    TorchVersion = torch == null ? null : Version.Parse(torch),
                    TransformersVersion = transformers == null ? null : Version.Parse(transformers),
                });
            Assert.Contains("Optimizer AdamW (torch, foreach implementation)", Default(null, null).Assumptions);
            Assert.DoesNotContain(Default("1.10", null).Assumptions, a => a.Contains("foreach implementation"));
            Assert.DoesNotContain(Default(null, "4.16").Assumptions, a => a.Contains("foreach implementation"));
        }
    
        /// <summary>
        /// torch.nn.functional.scaled_dot_product_attention arrived in torch 2.0, and transformers' sdpa path needs 2.1.1
        /// (utils/import_utils.py is_torch_sdpa_available, from 4.36): below it the model runs eager attention; a stack
        /// whose own model code calls it (torchtune's MultiHeadAttention) cannot run on torch 1.x at all.
        /// </summary>
        private static Workload Llama(string torch, Framework framework = Framework.HfTrainer) =>
            new Workload(ModelCatalog.Default.Get("meta-llama/Llama-2-7b-hf"))
            {
                Method = FinetuneMethod.LoRA, Framework = framework, TorchVersion = Version.Parse(torch),
            };

        [Fact]
        public void Torch_before_2_1_has_no_transformers_sdpa_so_it_runs_eager_attention()
        {
            var old = MemoryEstimator.Estimate(Llama("1.13"));
            Assert.Equal(AttentionKernel.Eager, old.Attention);
            Assert.Contains(old.Assumptions, a => a.Contains("torch 1.13") && a.Contains("eager"));
            Assert.Equal(AttentionKernel.Eager, MemoryEstimator.Estimate(Llama("2.0")).Attention);
            Assert.Equal(AttentionKernel.Sdpa, MemoryEstimator.Estimate(Llama("2.1")).Attention);
            Assert.Equal(AttentionKernel.Sdpa, MemoryEstimator.Estimate(Llama("2.0", Framework.Torchtune)).Attention);
        }

        [Fact]
        public void Sdpa_asked_under_torch_before_2_is_refused()
        {
            var w = Llama("1.13");
            w.Attention = AttentionKernel.Sdpa;
            Assert.Equal("Attention", Assert.Throws<VramPS.Engine.Errors.InvalidWorkloadException>(() => MemoryEstimator.Estimate(w)).Parameter);
            Assert.Equal("TorchVersion", Assert.Throws<VramPS.Engine.Errors.InvalidWorkloadException>(() => MemoryEstimator.Estimate(Llama("1.13", Framework.Torchtune))).Parameter);
        }
    }
}
