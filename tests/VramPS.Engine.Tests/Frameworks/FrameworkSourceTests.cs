using System;
using System.Linq;
using VramPS.Engine.Alignment;
using VramPS.Engine.Errors;
using VramPS.Engine.Estimation;
using VramPS.Engine.Models;
using Xunit;

namespace VramPS.Engine.Tests.Frameworks
{
    /// <summary>
    /// What each framework's own source offers and defaults to, against what -Framework accepts and assumes: a run it
    /// cannot make is refused naming the parameter, the frameworks a refusal points to are the ones whose source offers
    /// the setting, and a default is the framework's own, in its own words.
    /// </summary>
    public class FrameworkSourceTests
    {
        private static readonly ModelArchitecture Llama = ModelCatalog.Default.Get("meta-llama/Llama-3.1-8B");

        private static Workload Run(Framework framework, FinetuneMethod method, TrainingStage? stage = null) =>
            new Workload(Llama) { Framework = framework, Method = method, Stage = stage, GpuCount = 8 };

        private static InvalidWorkloadException Refusal(Workload w) => Assert.Throws<InvalidWorkloadException>(() => MemoryEstimator.Estimate(w));

        /// <summary>The "-Framework A, B or C" list a message gives after the words given, up to its verb or the end of the clause.</summary>
        private static string[] Named(string message, string after)
        {
            int at = message.LastIndexOf(after, StringComparison.Ordinal);
            Assert.True(at >= 0, message);
            string rest = message.Substring(at + after.Length);
            string list = rest.Substring(0, rest.IndexOfAny(new[] { '.', ';', '(' }));
            int verb = list.IndexOf(" offer", StringComparison.Ordinal);
            if (verb >= 0) list = list.Substring(0, verb);
            list = list.Replace(" or ", ", ");
            return list.Split(',').Select(n => n.Trim()).Where(n => n.Length > 0).ToArray();
        }

        [Theory]
        [InlineData(Framework.Verl, TrainingStage.Ppo)]
        [InlineData(Framework.OpenRLHF, TrainingStage.Dpo)]
        public void Freeze_is_refused_where_no_option_freezes_decoder_blocks(Framework framework, TrainingStage stage)
        {
            // verl@b178a3c freezes only actor.freeze_vision_tower and Megatron's MoE routers; OpenRLHF@3c3be62 only
            // --actor.freeze_visual_encoder and the whole actor for --critic.freezing_steps. Neither freezes blocks.
            Assert.Equal("Method", Refusal(Run(framework, FinetuneMethod.Freeze, stage)).Parameter);
            Assert.Equal("Method", Refusal(Run(framework, FinetuneMethod.Freeze)).Parameter);
        }

        [Theory]
        [InlineData(Framework.Torchtune)]
        [InlineData(Framework.Litgpt)]
        [InlineData(Framework.FsdpQlora)]
        [InlineData(Framework.MegatronLM)]
        [InlineData(Framework.NeMo)]
        public void Freeze_is_refused_where_the_recipes_train_everything_or_only_added_weights(Framework framework)
        {
            // torchtune recipes/full_finetune_*.py and litgpt finetune/full.py train every parameter, their LoRA and
            // adapter recipes only the added weights; fsdp_qlora's --train_type has no freeze; Megatron-Core 0.8-0.12's
            // arguments.py has no block freezing (NeMo runs its training).
            var e = Refusal(Run(framework, FinetuneMethod.Freeze));
            Assert.Equal("Method", e.Parameter);
            Assert.Contains("-Method Freeze", e.Message);
        }

        [Fact]
        public void Megatron_swift_freezes_what_freeze_parameters_names()
        {
            // swift/megatron/arguments/megatron_args.py@3602360 freeze_parameters_ratio. Llama 3.1 8B's top 4 blocks train,
            // 218,112,000 parameters each: q and o 4096 x 4096, k and v 4096 x 1024, gate, up and down 4096 x 14336, two
            // norms of 4096.
            var w = Run(Framework.MegatronSwift, FinetuneMethod.Freeze);
            w.TrainableLayers = 4;
            Assert.Equal(4L * (2 * 4096 * 4096 + 2 * 4096 * 1024 + 3 * 4096 * 14336 + 2 * 4096), MemoryEstimator.Estimate(w).TrainableParameters);
        }

        [Theory]
        [InlineData(Framework.Verl, TrainingStage.Grpo)]
        [InlineData(Framework.OpenRLHF, TrainingStage.Ppo)]
        public void Only_plain_lora_is_offered_where_the_trainer_builds_a_bare_LoraConfig(Framework framework, TrainingStage stage)
        {
            // verl fsdp_workers.py and OpenRLHF models/actor.py build LoraConfig(r, lora_alpha, target_modules ...):
            // no use_dora, no other peft config.
            var dora = Run(framework, FinetuneMethod.LoRA, stage);
            dora.Adapter = AdapterKind.DoRA;
            var e = Refusal(dora);
            Assert.Equal("Adapter", e.Parameter);
            Assert.Contains("Allowed with it: -Adapter LoRA", e.Message);
            var lora = Run(framework, FinetuneMethod.LoRA, stage);
            lora.Adapter = AdapterKind.LoRA;
            Assert.True(MemoryEstimator.Estimate(lora).Total > 0);
        }

        [Fact]
        public void A_refused_adapter_points_to_the_frameworks_that_build_it()
        {
            // DoRA: peft (use_dora) under every transformers stack, torchtune's DoRALinear, NeMo's DoRA, fsdp_qlora's
            // bnb_dora; not litgpt (LoRA only), Megatron-LM's peft.py (LoRA), verl, OpenRLHF, DeepSpeed-Chat or torchtitan.
            var w = Run(Framework.Litgpt, FinetuneMethod.LoRA);
            w.Adapter = AdapterKind.DoRA;
            var named = Named(Refusal(w).Message, "; -Framework ");
            Assert.Contains("torchtune", named);
            Assert.Contains("NeMo", named);
            Assert.Contains("fsdp_qlora", named);
            Assert.Contains("HF-Trainer", named);
            foreach (var never in new[] { "litgpt", "Megatron-LM", "verl", "OpenRLHF", "DeepSpeed-Chat", "torchtitan" })
                Assert.DoesNotContain(never, named);
        }

        [Fact]
        public void A_refused_qlora_points_to_every_framework_with_a_quantized_base()
        {
            // OpenRLHF --ds.load_in_4bit and ms-swift's quant_bits 4 load a bitsandbytes base as HF-Trainer does; the
            // message once listed five frameworks and left them out. Megatron-LM, verl and torchtitan have none.
            var named = Named(Refusal(Run(Framework.MegatronLM, FinetuneMethod.QLoRA)).Message, "or -Framework ");
            foreach (var offers in new[] { "HF-Trainer", "axolotl", "LLaMA-Factory", "torchtune", "Unsloth", "OpenRLHF", "ms-swift", "fsdp_qlora" })
                Assert.Contains(offers, named);
            foreach (var never in new[] { "Megatron-LM", "verl", "torchtitan", "DeepSpeed-Chat" })
                Assert.DoesNotContain(never, named);
        }

        [Fact]
        public void A_refused_badam_points_to_llama_factory()
        {
            var w = Run(Framework.HfTrainer, FinetuneMethod.Full);
            w.GpuCount = 1;
            w.Optimizer = OptimizerKind.BAdam;
            var e = Refusal(w);
            Assert.Equal("Optimizer", e.Parameter);
            Assert.Equal(new[] { "LLaMA-Factory" }, Named(e.Message, "BAdam: -Framework "));
        }

        [Theory]
        [InlineData(Framework.Torchtitan, OptimizerKind.AdamW8bit)]
        [InlineData(Framework.Torchtitan, OptimizerKind.Adafactor)]
        [InlineData(Framework.MegatronLM, OptimizerKind.Lion)]
        [InlineData(Framework.NeMo, OptimizerKind.AdamW8bit)]
        [InlineData(Framework.OpenRLHF, OptimizerKind.SGD)]
        public void An_optimizer_the_framework_never_builds_is_refused(Framework framework, OptimizerKind optimizer)
        {
            // torchtitan/optimizer.py@9dec370: Adam or AdamW; Megatron-LM (and NeMo over it) --optimizer adam or sgd;
            // OpenRLHF's DeepSpeed config "type": "AdamW".
            var w = Run(framework, FinetuneMethod.Full);
            w.Optimizer = optimizer;
            var e = Refusal(w);
            Assert.Equal("Optimizer", e.Parameter);
            Assert.Contains($"not -Optimizer {optimizer}", e.Message);
        }

        [Theory]
        [InlineData(Framework.Torchtitan, OptimizerKind.AdamW)]
        [InlineData(Framework.MegatronLM, OptimizerKind.SGD)]
        [InlineData(Framework.OpenRLHF, OptimizerKind.AdamW)]
        public void The_optimizers_each_framework_builds_still_estimate(Framework framework, OptimizerKind optimizer)
        {
            var w = Run(framework, FinetuneMethod.Full);
            w.Optimizer = optimizer;
            Assert.True(MemoryEstimator.Estimate(w).Total > 0);
        }

        [Fact]
        public void Torchtitan_runs_only_the_techniques_its_config_has()
        {
            // config_manager.py@9dec370: --training.compile, --optimizer.early_step_in_backward, fused_rmsnorm; no Liger.
            var liger = Run(Framework.Torchtitan, FinetuneMethod.Full);
            liger.Techniques = Techniques.FusedLinearLoss;
            Assert.Equal("Techniques", Refusal(liger).Parameter);
            var compiled = Run(Framework.Torchtitan, FinetuneMethod.Full);
            compiled.Techniques = Techniques.Compile | Techniques.FusedKernels;
            Assert.True(MemoryEstimator.Estimate(compiled).Total > 0);
        }

        [Fact]
        public void Torchtitan_offloads_the_optimizer_only_with_the_parameters()
        {
            // --training.enable_cpu_offload: FSDP2 CPUOffloadPolicy moves parameters, gradients and optimizer states.
            var optimizer = Run(Framework.Torchtitan, FinetuneMethod.Full);
            optimizer.Offload = Offload.Optimizer;
            Assert.Equal("Offload", Refusal(optimizer).Parameter);
            var both = Run(Framework.Torchtitan, FinetuneMethod.Full);
            both.Offload = Offload.OptimizerAndParameters;
            Assert.True(MemoryEstimator.Estimate(both).Total > 0);
        }

        [Fact]
        public void Torchtitan_shards_over_every_data_parallel_rank_unless_told()
        {
            // torchtitan/config_manager.py@9dec370: --training.data_parallel_shard_degree default -1, which
            // parallel_dims.py resolves to world_size / (dp_replicate x cp x tp x pp): FSDP over all 8 ranks here.
            var e = MemoryEstimator.Estimate(Run(Framework.Torchtitan, FinetuneMethod.Full));
            Assert.Equal(Sharding.Zero3, e.Sharding);
            Assert.Contains(e.Assumptions, a => a.Contains("data_parallel_shard_degree -1"));
            // With TP over all 8 ranks no data-parallel rank is left to shard over.
            var tp = Run(Framework.Torchtitan, FinetuneMethod.Full);
            tp.TensorParallel = 8;
            Assert.Equal(Sharding.None, MemoryEstimator.Estimate(tp).Sharding);
        }

        [Theory]
        [InlineData(Framework.Torchtitan, "torchtitan's own attention")]
        [InlineData(Framework.Torchtune, "torchtune's MultiHeadAttention")]
        [InlineData(Framework.Litgpt, "litgpt's own attention")]
        public void Own_model_code_attends_through_its_own_sdpa_not_transformers_default(Framework framework, string words)
        {
            // torchtitan/models/attention.py, torchtune/modules/attention.py and litgpt/model.py call
            // F.scaled_dot_product_attention themselves; none of them runs transformers' attention.
            var w = Run(framework, FinetuneMethod.Full);
            w.GpuCount = 1;
            var e = MemoryEstimator.Estimate(w);
            Assert.Equal(AttentionKernel.Sdpa, e.Attention);
            Assert.Contains(e.Assumptions, a => a.Contains(words));
            Assert.DoesNotContain(e.Assumptions, a => a.Contains("transformers' default"));
        }

        [Fact]
        public void Torchtitan_says_its_own_checkpointing_default_is_not_the_one_taken()
        {
            // config_manager.py@9dec370: --activation_checkpoint.mode 'selective', selective_ac_option '2'.
            var e = MemoryEstimator.Estimate(Run(Framework.Torchtitan, FinetuneMethod.Full));
            Assert.Equal(Checkpointing.None, e.Checkpointing);
            Assert.Contains(e.Assumptions, a => a.Contains("every second block checkpointed") && a.Contains("-Checkpointing"));
            Assert.DoesNotContain(e.Assumptions, a => a.Contains("the Trainer's default"));
        }

        // deepspeed/runtime/pipe/engine.py PipelineEngine asserts the ZeRO stage is below 2, and a pipeline or AutoTP run
        // needs DeepSpeed's own model wrapping (PipelineModule, tp_model_init), which the profile does not model: a
        // model-parallel layout under -Framework DeepSpeed (and DeepSpeed-Chat, OpenRLHF over its engine) is refused by
        // its parameter, not estimated as Megatron-LM's.
        [Theory]
        [InlineData(Framework.DeepSpeed, "PipelineParallel")]
        [InlineData(Framework.DeepSpeed, "TensorParallel")]
        [InlineData(Framework.OpenRLHF, "PipelineParallel")]
        public void DeepSpeed_runs_refuse_model_parallel_layouts(Framework framework, string parameter)
        {
            var w = new Workload(Llama) { Framework = framework, Method = FinetuneMethod.Full, GpuCount = 8, Sharding = Sharding.Zero3 };
            if (parameter == "PipelineParallel") w.PipelineParallel = 2; else w.TensorParallel = 2;
            Assert.Equal(parameter, Refusal(w).Parameter);
        }

        // What a framework's own loop does is said in its words: torchtitan computes in bf16 through FSDP2's
        // MixedPrecisionPolicy (no Trainer --bf16 autocast), Megatron-Core has its own vocab-parallel cross-entropy (no
        // transformers loss path), torchtune's recipes leave checkpointing off unless their config sets it.
        [Theory]
        [InlineData(Framework.Torchtitan, "MixedPrecisionPolicy")]
        [InlineData(Framework.MegatronSwift, "vocab-parallel cross-entropy")]
        [InlineData(Framework.Torchtune, "enable_activation_checkpointing")]
        public void Assumptions_speak_of_the_frameworks_own_loop(Framework framework, string words)
        {
            var w = Run(framework, FinetuneMethod.Full);
            if (framework == Framework.Torchtitan) w.Checkpointing = Checkpointing.Full;
            var e = MemoryEstimator.Estimate(w);
            Assert.Contains(e.Assumptions, a => a.Contains(words));
            Assert.DoesNotContain(e.Assumptions, a => a.Contains("Trainer") || a.Contains("transformers 4.46-4.49 loss path"));
        }
    }
}
