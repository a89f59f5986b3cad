using System.Linq;
using VramPS.Engine.Estimation;
using VramPS.Engine.Models;
using VramPS.Engine.Planning;
using Xunit;

namespace VramPS.Engine.Tests.Planning
{
    /// <summary>The comparer against the estimator: each row is the estimate of its own variant of the workload.</summary>
    public class MethodComparerTests
    {
        private static Workload Llama() => new Workload(ModelCatalog.Default.Get("meta-llama/Llama-2-7b-hf"))
        {
            ModelName = "meta-llama/Llama-2-7b-hf",
            SequenceLength = 1024,
        };

        /// <summary>
        /// The Trainer turns checkpointing on for QLoRA only (peft's prepare_model_for_kbit_training), so a comparison
        /// runs every method with it, like with like.
        /// </summary>
        private static long Total(FinetuneMethod method, OptimizerKind? optimizer = null, Precision? precision = null,
            Checkpointing? checkpointing = Checkpointing.Full)
        {
            var w = Llama();
            w.Method = method;
            w.Optimizer = optimizer;
            w.Precision = precision;
            w.Checkpointing = checkpointing;
            return MemoryEstimator.Estimate(w).Total;
        }

        [Fact]
        public void Every_method_runs_with_the_same_checkpointing_and_says_so()
        {
            var rows = MethodComparer.Compare(Llama());
            Assert.All(rows, r => Assert.Equal(Checkpointing.Full, r.Checkpointing));
            foreach (var row in rows.Where(r => r.Method != FinetuneMethod.QLoRA))
                Assert.Contains(row.Estimate.Assumptions, a => a.StartsWith($"Checkpointing Full as for every method compared (the trainer's default for {row.Method} is None", System.StringComparison.Ordinal));
        }

        [Fact]
        public void Framework_defaults_keep_each_methods_own_checkpointing()
        {
            var rows = MethodComparer.Compare(Llama(), frameworkDefaults: true);
            foreach (var row in rows)
            {
                var own = row.Method == FinetuneMethod.QLoRA ? Checkpointing.Full : Checkpointing.None;
                Assert.Equal(own, row.Checkpointing);
                Assert.Equal(Total(row.Method, checkpointing: null), row.Total);
            }
        }

        [Fact]
        public void Checkpointing_the_workload_gives_is_kept()
        {
            var w = Llama();
            w.Checkpointing = Checkpointing.None;
            Assert.All(MethodComparer.Compare(w), r => Assert.Equal(Checkpointing.None, r.Checkpointing));
        }

        [Fact]
        public void Compares_the_four_methods_by_default_in_order()
        {
            var rows = MethodComparer.Compare(Llama());
            Assert.Equal(new[] { FinetuneMethod.Full, FinetuneMethod.Freeze, FinetuneMethod.LoRA, FinetuneMethod.QLoRA },
                rows.Select(r => r.Method));
        }

        [Fact]
        public void Each_row_is_the_estimate_of_its_method()
        {
            foreach (var row in MethodComparer.Compare(Llama()))
            {
                Assert.Equal(Total(row.Method), row.Total);
                Assert.Equal(row.Estimate.Allocated, row.Allocated);
                Assert.Equal(row.Estimate.TrainableParameters, row.TrainableParameters);
                Assert.Equal("meta-llama/Llama-2-7b-hf", row.Model);
            }
        }

        [Fact]
        public void RelativeToFull_divides_by_Full_of_the_same_workload()
        {
            var rows = MethodComparer.Compare(Llama());
            long full = Total(FinetuneMethod.Full);
            Assert.Equal(1.0, rows.Single(r => r.Method == FinetuneMethod.Full).RelativeToFull);
            foreach (var row in rows) Assert.Equal(row.Total / (double)full, row.RelativeToFull, 12);
        }

        [Fact]
        public void RelativeToFull_is_computed_even_when_Full_is_not_listed()
        {
            var row = MethodComparer.Compare(Llama(), new[] { FinetuneMethod.QLoRA }).Single();
            Assert.Equal(Total(FinetuneMethod.QLoRA) / (double)Total(FinetuneMethod.Full), row.RelativeToFull, 12);
        }

        [Fact]
        public void Optimizers_and_precisions_cross_and_each_compares_with_its_own_Full()
        {
            var optimizers = new[] { OptimizerKind.AdamW, OptimizerKind.SGD };
            var precisions = new[] { Precision.Bf16, Precision.Fp32 };
            var rows = MethodComparer.Compare(Llama(), new[] { FinetuneMethod.Full, FinetuneMethod.LoRA }, optimizers, precisions);

            Assert.Equal(8, rows.Count);
            Assert.Equal(8, rows.Select(r => (r.Method, r.Optimizer, r.Precision)).Distinct().Count());
            // Full and LoRA share the Trainer's default (no checkpointing), so nothing is changed to compare them.
            foreach (var row in rows)
            {
                Assert.Equal(Total(row.Method, row.Optimizer, row.Precision, null), row.Total);
                Assert.Equal(row.Total / (double)Total(FinetuneMethod.Full, row.Optimizer, row.Precision, null), row.RelativeToFull, 12);
            }
        }

        [Fact]
        public void Quantization_applies_to_QLoRA_rows_only()
        {
            var w = Llama();
            w.Quantization = Quantization.Int8;
            var rows = MethodComparer.Compare(w, new[] { FinetuneMethod.LoRA, FinetuneMethod.QLoRA });
            Assert.Equal(Quantization.None, rows[0].Quantization);
            Assert.Equal(Quantization.Int8, rows[1].Quantization);
        }

        [Fact]
        public void Repeated_methods_give_one_row_each()
        {
            var rows = MethodComparer.Compare(Llama(), new[] { FinetuneMethod.LoRA, FinetuneMethod.LoRA });
            Assert.Single(rows);
        }

        [Fact]
        public void The_given_workload_is_not_changed()
        {
            var w = Llama();
            MethodComparer.Compare(w, null, new[] { OptimizerKind.SGD }, new[] { Precision.Fp32 });
            Assert.Equal(FinetuneMethod.Full, w.Method);
            Assert.Null(w.Optimizer);
            Assert.Null(w.Precision);
        }
    
        /// <summary>
        /// Without named methods a comparison takes those the framework runs: torchtitan trains every parameter
        /// (torchtitan/train.py), Megatron-LM has LoRA but no bitsandbytes base or block freezing, torchtune's recipes
        /// freeze no block, litgpt trains over a quantized base on one GPU only (finetune/lora.py).
        /// </summary>
        [Theory]
        [InlineData(Framework.Torchtitan, 8, "Full")]
        [InlineData(Framework.MegatronLM, 8, "Full, LoRA")]
        [InlineData(Framework.Torchtune, 1, "Full, LoRA, QLoRA")]
        [InlineData(Framework.Litgpt, 8, "Full, LoRA")]
        [InlineData(Framework.HfTrainer, 8, "Full, Freeze, LoRA, QLoRA")]
        public void Default_methods_are_those_the_framework_runs(Framework framework, int gpus, string expected)
        {
            var w = Llama();
            w.Framework = framework;
            w.GpuCount = gpus;
            var rows = MethodComparer.Compare(w);
            Assert.Equal(expected, string.Join(", ", rows.Select(r => r.Method)));
            Assert.Equal(expected, string.Join(", ", MethodComparer.DefaultMethodsFor(w, out _)));
        }

        /// <summary>The default list and the refusals agree for every framework, method and GPU count.</summary>
        [Fact]
        public void A_method_left_out_of_the_defaults_is_one_the_estimate_refuses()
        {
            foreach (var profile in Engine.Frameworks.FrameworkProfiles.All)
            foreach (var gpus in new[] { 1, 8 })
            {
                var w = Llama();
                w.Framework = profile.Framework;
                w.GpuCount = gpus;
                var offered = MethodComparer.DefaultMethodsFor(w, out var notRun);
                foreach (var method in offered.Concat(notRun))
                {
                    var variant = w.Clone();
                    variant.Method = method;
                    bool refused;
                    try
                    {
                        MemoryEstimator.Estimate(variant);
                        refused = false;
                    }
                    catch (Engine.Errors.InvalidWorkloadException e) when (e.Parameter is "Method" or "Framework" or "GpuCount")
                    {
                        refused = true;
                    }
                    Assert.True(refused == notRun.Contains(method), $"{profile.Name} {method} on {gpus} GPUs: refused {refused}");
                }
            }
        }
    }
}
