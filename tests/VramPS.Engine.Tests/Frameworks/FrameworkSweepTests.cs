using System;
using System.Collections.Generic;
using System.Linq;
using VramPS.Engine.Alignment;
using VramPS.Engine.Errors;
using VramPS.Engine.Estimation;
using VramPS.Engine.Frameworks;
using VramPS.Engine.Models;
using VramPS.Engine.Tests.Fuzz;
using Xunit;

namespace VramPS.Engine.Tests.Frameworks
{
    /// <summary>
    /// Every framework over every stage, method and key option (sharding, offload, TP/PP/CP/EP, the rollout engine's
    /// settings, each adapter): an estimate whose terms hold together, or a refusal naming a workload parameter. Never
    /// another exception.
    /// </summary>
    public class FrameworkSweepTests
    {
        private static readonly ModelArchitecture Dense = ModelCatalog.Default.Get("Qwen/Qwen2.5-0.5B");
        private static readonly ModelArchitecture Moe = ModelCatalog.Default.Get("Qwen/Qwen1.5-MoE-A2.7B");

        private static readonly TrainingStage?[] Stages =
            new TrainingStage?[] { null }.Concat(Enum.GetValues(typeof(TrainingStage)).Cast<TrainingStage?>()).ToArray();

        private static readonly FinetuneMethod[] Methods = (FinetuneMethod[])Enum.GetValues(typeof(FinetuneMethod));

        /// <summary>The names a refusal may give as its parameter: the workload's settings, as the cmdlets name them.</summary>
        private static readonly HashSet<string> Parameters = new HashSet<string>(
            typeof(Workload).GetProperties().Select(p => p.Name).Concat(new[] { "Model", "Gpu" }), StringComparer.Ordinal);

        private static Workload Base(Framework framework, TrainingStage? stage, FinetuneMethod method, ModelArchitecture model) =>
            new Workload(model) { Framework = framework, Stage = stage, Method = method, Gpu = Engine.Gpus.GpuCatalog.Default.Get("H100-SXM"), BatchSize = 1, SequenceLength = 512 };

        private static IEnumerable<Workload> ShardingAndOffload()
        {
            foreach (var f in FrameworkProfiles.All.Select(p => p.Framework))
            foreach (var stage in Stages)
            foreach (var method in Methods)
            foreach (var gpus in new[] { 1, 8 })
            foreach (Sharding sharding in Enum.GetValues(typeof(Sharding)))
            foreach (Offload offload in Enum.GetValues(typeof(Offload)))
            {
                var w = Base(f, stage, method, Dense);
                w.GpuCount = gpus;
                w.Sharding = sharding;
                w.Offload = offload;
                yield return w;
            }
        }

        private static IEnumerable<Workload> ModelParallel()
        {
            var layouts = new Action<Workload>[]
            {
                w => w.TensorParallel = 2,
                w => { w.TensorParallel = 2; w.SequenceParallel = true; },
                w => w.PipelineParallel = 2,
                w => { w.PipelineParallel = 2; w.VirtualStages = 2; },
                w => w.ContextParallel = 2,
                w => w.ExpertParallel = 2,
                w => { w.TensorParallel = 2; w.PipelineParallel = 2; w.Sharding = Sharding.Zero1; },
            };
            foreach (var f in FrameworkProfiles.All.Select(p => p.Framework))
            foreach (var stage in Stages)
            foreach (var method in Methods)
            foreach (var model in new[] { Dense, Moe })
            foreach (var layout in layouts)
            {
                var w = Base(f, stage, method, model);
                w.GpuCount = 8;
                layout(w);
                yield return w;
            }
        }

        private static IEnumerable<Workload> Rollout()
        {
            var settings = new Action<Workload>[]
            {
                w => { },
                w => w.VllmMode = VllmMode.Colocate,
                w => { w.VllmMode = VllmMode.Colocate; w.RolloutSleep = true; w.RolloutMemoryFraction = 0.3; },
                w => w.VllmMode = VllmMode.Server,
                w => w.RolloutSleep = false,
                w => w.RolloutMemoryFraction = 0.6,
                w => w.EmaCopy = true,
                w => w.PrecomputeReferenceLogProbs = true,
                w => { w.Offload = Offload.OptimizerAndParameters; w.Sharding = Sharding.Zero3; },
                w => { w.Offload = Offload.Optimizer; w.Sharding = Sharding.Zero3; },
                w => w.TensorParallel = 2,
            };
            foreach (var f in FrameworkProfiles.All.Select(p => p.Framework))
            foreach (var stage in new TrainingStage?[] { TrainingStage.Ppo, TrainingStage.Grpo, TrainingStage.Dpo })
            foreach (var method in Methods)
            foreach (var gpus in new[] { 1, 8 })
            foreach (var setting in settings)
            {
                var w = Base(f, stage, method, Dense);
                w.GpuCount = gpus;
                setting(w);
                yield return w;
            }
        }

        private static IEnumerable<Workload> Adapters()
        {
            foreach (var f in FrameworkProfiles.All.Select(p => p.Framework))
            foreach (var stage in new TrainingStage?[] { null, TrainingStage.Dpo, TrainingStage.Grpo })
            foreach (var method in new[] { FinetuneMethod.LoRA, FinetuneMethod.QLoRA })
            foreach (AdapterKind adapter in Enum.GetValues(typeof(AdapterKind)))
            {
                var w = Base(f, stage, method, Dense);
                w.Adapter = adapter;
                yield return w;
            }
        }

        /// <summary>
        /// What went wrong with one workload, or null when it estimated soundly or was refused as it should be;
        /// <paramref name="estimated"/> says whether it estimated.
        /// </summary>
        private static string? Outcome(Workload w, out bool estimated)
        {
            estimated = false;
            try
            {
                var e = MemoryEstimator.Estimate(w);
                EstimateChecks.Verify(e);
                // Weights may all live on the host where parameters are offloaded; never otherwise.
                if (e.Weights <= 0 && e.Offload != Offload.OptimizerAndParameters) return $"{w}: an estimate without weights";
                estimated = true;
                return null;
            }
            catch (InvalidWorkloadException e)
            {
                if (!Parameters.Contains(e.Parameter)) return $"{w}: refused naming '{e.Parameter}', no parameter: {e.Message}";
                if (e.Message.IndexOf("-" + e.Parameter, StringComparison.Ordinal) < 0 && e.Message.IndexOf(e.Parameter, StringComparison.Ordinal) < 0)
                    return $"{w}: refusal for -{e.Parameter} does not name it: {e.Message}";
                return null;
            }
            catch (Exception e)
            {
                return $"{w}: {e.GetType().Name}: {e.Message}";
            }
        }

        /// <summary>
        /// Every workload sound or refused by name, and some of them estimated (a sweep all refused proves nothing): under
        /// every framework where <paramref name="everyFramework"/>, else under some (not every framework has alignment
        /// stages, adapters or model parallelism).
        /// </summary>
        private static void Sweep(IEnumerable<Workload> workloads, bool everyFramework = false)
        {
            var failures = new List<string>();
            var estimating = new HashSet<Framework?>();
            foreach (var w in workloads)
            {
                if (Outcome(w, out bool estimated) is string failure) failures.Add(failure);
                if (estimated) estimating.Add(w.Framework);
            }
            Assert.True(failures.Count == 0, $"{failures.Count} failures:\n" + string.Join("\n", failures.Take(40)));
            Assert.NotEmpty(estimating);
            var silent = FrameworkProfiles.All.Where(p => !estimating.Contains(p.Framework)).Select(p => p.Name).ToList();
            Assert.True(!everyFramework || silent.Count == 0, "no workload of the sweep estimated under " + string.Join(", ", silent));
        }

        [Fact]
        public void Every_stage_and_method_under_every_sharding_and_offload_estimates_or_is_refused_by_name() => Sweep(ShardingAndOffload(), everyFramework: true);

        [Fact]
        public void Every_model_parallel_layout_estimates_or_is_refused_by_name() => Sweep(ModelParallel());

        [Fact]
        public void Every_rollout_and_reference_setting_estimates_or_is_refused_by_name() => Sweep(Rollout());

        [Fact]
        public void Every_adapter_estimates_or_is_refused_by_name() => Sweep(Adapters());
    }
}
