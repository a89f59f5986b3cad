using System;
using System.Collections.Generic;
using System.Linq;
using VramPS.Engine.Errors;
using VramPS.Engine.Estimation;
using VramPS.Engine.Gpus;
using VramPS.Engine.Models;
using VramPS.Engine.Planning;
using Xunit;

namespace VramPS.Engine.Tests.Planning
{
    /// <summary>The planner against the estimator and the clock: every plan is the estimate of its own workload, fits its GPU, and is timed by TrainingTime.</summary>
    public class ClusterPlannerTests
    {
        private const long GiB = 1L << 30;

        private static GpuSpec Gpu(string name, long memoryGiB, double tflops, double price) => new GpuSpec
        {
            Name = name, Vendor = "Test", MemoryBytes = memoryGiB * GiB, DenseTflops16 = tflops, PricePerHour = price > 0 ? price : null,
            PriceSource = price > 0 ? "test list" : "none", ContextBytes = 500L << 20, SupportsBf16 = true,
        };

        private static readonly GpuSpec[] Gpus = { Gpu("big", 80, 1000, 4), Gpu("small", 24, 150, 0.5), Gpu("unpriced", 48, 300, 0) };

        private static Workload Full13B() => new Workload(ModelCatalog.Default.Get("meta-llama/Llama-2-13b-hf"))
        {
            Method = FinetuneMethod.Full,
            SequenceLength = 2048,
        };

        private static IReadOnlyList<ClusterPlan> Plan(Workload w, Action<PlanRequest>? change = null)
        {
            var request = new PlanRequest { Gpus = Gpus, MaxGpus = 32 };
            change?.Invoke(request);
            return ClusterPlanner.Plan(w, request);
        }

        [Fact]
        public void Every_plan_fits_and_is_the_estimate_of_its_workload()
        {
            var plans = Plan(Full13B());
            Assert.NotEmpty(plans);
            foreach (var plan in plans)
            {
                var again = MemoryEstimator.Estimate(plan.Workload);
                Assert.Equal(again.Total, plan.Total);
                Assert.True(plan.Total <= plan.MemoryBytes, $"{plan.Gpu} x{plan.GpuCount}");
                Assert.Equal(plan.GpuCount, plan.DataParallel * plan.TensorParallel * plan.PipelineParallel);
                Assert.Equal((plan.GpuCount + 7) / 8, plan.Nodes);
                Assert.InRange(plan.GpuCount, 1, 32);
            }
        }

        [Fact]
        public void Hours_and_cost_are_the_clocks()
        {
            foreach (var plan in Plan(Full13B()))
            {
                var run = TrainingTime.Estimate(plan.Workload, plan.Spec, new RunSettings());
                Assert.Equal(run.Hours, plan.Hours, 9);
                Assert.Equal(run.Cost, plan.Cost);
                Assert.Equal(plan.Hours * plan.GpuCount, plan.GpuHours, 9);
            }
        }

        [Fact]
        public void Plans_are_sorted_by_cost_with_unpriced_last_or_by_time()
        {
            var byCost = Plan(Full13B());
            var priced = byCost.TakeWhile(p => p.Cost != null).ToList();
            Assert.All(byCost.Skip(priced.Count), p => Assert.Null(p.Cost));
            Assert.Equal(priced.Select(p => Math.Round(p.Cost!.Value, 2)).OrderBy(c => c), priced.Select(p => Math.Round(p.Cost!.Value, 2)));
            Assert.Contains(byCost, p => p.Gpu == "unpriced");

            var byTime = Plan(Full13B(), r => r.SortBy = PlanSortOrder.Time);
            Assert.Equal(byTime.Select(p => p.Hours).OrderBy(h => h), byTime.Select(p => p.Hours));
        }

        [Fact]
        public void The_fewest_gpus_plan_of_a_type_has_no_smaller_count_that_fits()
        {
            var plans = Plan(Full13B());
            var big = plans.Where(p => p.Gpu == "big").OrderBy(p => p.GpuCount).First();
            int smaller = big.GpuCount <= 8 ? big.GpuCount / 2 : big.GpuCount - 8;
            if (smaller < 1) return;
            // The most frugal layout at the smaller count: all of it tensor-parallel within a node, ZeRO-3, full checkpointing.
            var w = Full13B();
            w.GpuCount = smaller;
            w.TensorParallel = Math.Min(smaller, 8);
            w.PipelineParallel = Math.Max(1, smaller / 8);
            w.SequenceParallel = w.TensorParallel > 1;
            w.Sharding = Sharding.Zero3;
            w.Checkpointing = Checkpointing.Full;
            w.Gpu = big.Spec;
            Assert.True(MemoryEstimator.Estimate(w).Total > big.MemoryBytes);
        }

        [Fact]
        public void Changes_name_what_the_plan_changed()
        {
            foreach (var plan in Plan(Full13B()))
            {
                Assert.Contains($"Gpu (none) -> {plan.Gpu}", plan.Changes);
                if (plan.GpuCount != 1) Assert.Contains($"GpuCount 1 -> {plan.GpuCount}", plan.Changes);
                if (plan.Sharding != Sharding.None) Assert.Contains($"Sharding None -> {plan.Sharding}", plan.Changes);
                if (plan.TensorParallel != 1) Assert.Contains($"TensorParallel 1 -> {plan.TensorParallel}", plan.Changes);
            }
        }

        [Fact]
        public void Settings_the_workload_gives_are_kept()
        {
            var w = Full13B();
            w.Sharding = Sharding.Zero3;
            w.Checkpointing = Checkpointing.Full;
            w.TensorParallel = 1;
            var plans = Plan(w);
            Assert.NotEmpty(plans);
            Assert.All(plans, p =>
            {
                Assert.Equal(Sharding.Zero3, p.Sharding);
                Assert.Equal(Checkpointing.Full, p.Checkpointing);
                Assert.Equal(1, p.TensorParallel);
            });
        }

        [Fact]
        public void A_smaller_micro_batch_keeps_the_tokens_per_step()
        {
            var w = Full13B();
            w.BatchSize = 16;
            Assert.All(Plan(w), p => Assert.Equal(16, p.BatchSize * p.GradientAccumulation));
        }

        [Fact]
        public void An_inventory_keeps_only_plans_that_fit_into_it()
        {
            var inventory = new[] { new InventoryItem(Gpus[0], 12), new InventoryItem(Gpus[2], 4), new InventoryItem(Gpus[0], 4) };
            var plans = Plan(Full13B(), r => r.Inventory = inventory);
            Assert.NotEmpty(plans);
            Assert.All(plans, p =>
            {
                Assert.NotEqual("small", p.Gpu);
                Assert.True(p.GpuCount <= (p.Gpu == "big" ? 16 : 4), $"{p.Gpu} x{p.GpuCount}");
            });
        }

        [Fact]
        public void A_budget_drops_dearer_and_unpriced_plans()
        {
            var all = Plan(Full13B(), r => r.Run = new RunSettings { Tokens = 100_000_000 });
            double budget = all.Where(p => p.Cost != null).Min(p => p.Cost!.Value) * 1.001;
            var within = Plan(Full13B(), r => { r.Budget = budget; r.Run = new RunSettings { Tokens = 100_000_000 }; });
            Assert.NotEmpty(within);
            Assert.All(within, p => Assert.True(p.Cost <= budget));
            Assert.Contains(all, p => p.Cost is null || p.Cost > budget);
        }

        [Fact]
        public void Bad_requests_name_the_parameter()
        {
            Assert.Equal("MaxGpus", Assert.Throws<InvalidWorkloadException>(() => Plan(Full13B(), r => r.MaxGpus = 0)).Parameter);
            Assert.Equal("Budget", Assert.Throws<InvalidWorkloadException>(() => Plan(Full13B(), r => r.Budget = -1)).Parameter);
            Assert.Equal("Mfu", Assert.Throws<InvalidWorkloadException>(() => Plan(Full13B(), r => r.Run = new RunSettings { Mfu = 2 })).Parameter);
        }
    }
}
