using System;
using System.Collections.Generic;
using System.Linq;
using System.Reflection;
using VramPS.Engine.Alignment;
using VramPS.Engine.Errors;
using VramPS.Engine.Estimation;
using VramPS.Engine.Gpus;
using VramPS.Engine.Models;
using VramPS.Engine.Planning;
using Xunit;

namespace VramPS.Engine.Tests.Planning
{
    /// <summary>
    /// The planners' memo must give exactly what MemoryEstimator gives for the same workload on the same GPU: it may
    /// reuse an estimate only for a run that is the same in every setting but the GPU, and only where nothing but the
    /// CUDA context depends on the GPU.
    /// </summary>
    public class RunMemoTests
    {
        private static Workload Llama(FinetuneMethod method = FinetuneMethod.LoRA) =>
            new Workload(ModelCatalog.Default.Get("meta-llama/Llama-2-7b-hf")) { Method = method, SequenceLength = 1024 };

        private static GpuSpec Catalog(string name) => GpuCatalog.Default.Get(name);

        private static TrainingMemoryEstimate Direct(Workload workload, GpuSpec gpu)
        {
            var w = workload.Clone();
            w.Gpu = gpu;
            return MemoryEstimator.Estimate(w);
        }

        [Fact]
        public void A_run_moved_onto_each_gpu_has_the_total_of_its_own_estimate_there()
        {
            var memo = new RunMemo();
            var w = Llama();
            foreach (var gpu in GpuCatalog.Default.All)
            {
                var direct = Direct(w, gpu);
                var memoized = memo.Estimate(w, gpu);
                Assert.Equal(direct.Total, memoized.Total);
                Assert.Equal(direct.Total, memo.Total(w, gpu));
                Assert.Equal(direct.Reserved, memoized.Reserved);
                Assert.Equal(gpu.Name, memoized.Gpu);
                Assert.Same(gpu, memoized.Workload.Gpu);
            }
        }

        [Fact]
        public void An_alignment_stage_is_estimated_on_each_gpu_since_its_rollout_engine_takes_a_share_of_it()
        {
            var w = Llama();
            w.Stage = TrainingStage.Grpo;
            w.RolloutMemoryFraction = 0.3;
            var memo = new RunMemo();
            var small = Catalog("A100-40GB");
            var large = Catalog("H100-SXM");
            Assert.Equal(Direct(w, small).Total, memo.Total(w, small));
            Assert.Equal(Direct(w, large).Total, memo.Total(w, large));
            Assert.NotEqual(memo.Total(w, small) - small.ContextBytes, memo.Total(w, large) - large.ContextBytes);
        }

        [Fact]
        public void Each_caller_gets_its_own_copy()
        {
            var memo = new RunMemo();
            var w = Llama();
            var gpu = Catalog("H100-SXM");
            var first = memo.Estimate(w, gpu);
            first.Fits = false;
            var second = memo.Estimate(w, gpu);
            Assert.Null(second.Fits);
            // The lists copies share cannot be changed through them.
            Assert.Throws<NotSupportedException>(() => ((IList<string>)first.Assumptions)[0] = "changed");
            Assert.Throws<NotSupportedException>(() => ((IList<string>)first.LoraTargets).Clear());
            Assert.Throws<NotSupportedException>(() => ((IList<PhaseMemory>)first.Phases).Clear());
            Assert.Throws<NotSupportedException>(() => ((IList<ModelMemory>)first.Models).Clear());
        }

        [Fact]
        public void A_refused_run_stays_refused()
        {
            var w = Llama();
            w.TensorParallel = 3;
            var memo = new RunMemo();
            var gpu = Catalog("H100-SXM");
            Assert.Throws<InvalidWorkloadException>(() => memo.Estimate(w, gpu));
            Assert.Null(memo.Shared(w, gpu));
            Assert.Equal(long.MaxValue, memo.Total(w, gpu));
            Assert.False(memo.Fits(w, gpu));
        }

        [Fact]
        public void Changing_the_workload_after_asking_does_not_change_what_was_remembered()
        {
            var memo = new RunMemo();
            var w = Llama();
            var gpu = Catalog("H100-SXM");
            long before = memo.Total(w, gpu);
            w.BatchSize = 8;
            Assert.Equal(Direct(w, gpu).Total, memo.Total(w, gpu));
            w.BatchSize = null;
            Assert.Equal(before, memo.Total(w, gpu));
        }

        [Fact]
        public void The_gpu_is_the_only_setting_two_runs_may_differ_in()
        {
            var baseline = Llama();
            var moved = baseline.Clone();
            moved.Gpu = Catalog("T4");
            Assert.True(baseline.SameRunAs(moved));

            var settings = typeof(Workload).GetProperties(BindingFlags.Public | BindingFlags.Instance)
                .Where(p => p.Name != nameof(Workload.Gpu) && p.GetSetMethod() != null).ToArray();
            Assert.True(settings.Length >= 35, $"only {settings.Length} settable properties found");
            foreach (var property in settings)
            {
                var changed = baseline.Clone();
                property.SetValue(changed, OtherValue(property.PropertyType, property.GetValue(baseline)));
                Assert.False(baseline.SameRunAs(changed), $"{property.Name} is not compared");
            }
            Assert.False(baseline.SameRunAs(baseline.WithModel(ModelCatalog.Default.Get("mistralai/Mistral-7B-v0.1"))), "Model is not compared");
        }

        /// <summary>A value of the type other than the one given.</summary>
        private static object OtherValue(Type type, object? current)
        {
            var inner = Nullable.GetUnderlyingType(type) ?? type;
            if (inner == typeof(int)) return (int?)current == 7 ? 9 : 7;
            if (inner == typeof(double)) return (double?)current == 0.25 ? 0.5 : 0.25;
            if (inner == typeof(bool)) return !((bool?)current ?? false);
            if (inner == typeof(string)) return (string?)current == "other" ? "another" : "other";
            if (inner == typeof(string[])) return new[] { "o_proj" };
            if (inner == typeof(Version)) return new Version(9, 9);
            if (inner == typeof(FrameworkVersion)) return FrameworkVersion.Parse("2025-06-11", "FrameworkVersion");
            if (inner == typeof(ModelArchitecture)) return ModelCatalog.Default.Get("mistralai/Mistral-7B-v0.1");
            if (inner.IsEnum)
            {
                foreach (var value in Enum.GetValues(inner))
                {
                    if (!value.Equals(current) && Convert.ToInt64(value) != 0) return value;
                }
            }
            throw new InvalidOperationException($"no other value for {type}");
        }
    }
}
