using System;

namespace VramPS.Engine.Frameworks.Profiles
{
    /// <summary>
    /// PyTorch's torchtitan: its own Llama model code under FSDP2 (fully_shard per block, the last block kept gathered
    /// after forward), MixedPrecisionPolicy bf16 parameters over fp32 sharded masters with fp32 gradient reduction,
    /// activation checkpointing of whole blocks or op by op, torch.compile per block, the loss on fp32-cast logits, the
    /// sharded gradients in the reduce-scatter stream's own allocator pool, and the expandable segments its launcher sets.
    /// </summary>
    internal static class Torchtitan
    {
        /// <summary>What a compiled loss holds, in words: the fp32 upcast fuses into the loss kernels.</summary>
        private const string CompiledLossChange =
            "under -Techniques Compile torchtitan compiles the loss too: the fp32 upcast and log-softmax fuse into its kernels, which keep only the 16-bit logits, and backward holds their 16-bit gradient beside them (4 bytes per vocabulary entry instead of 12)";

        private static FrameworkProfile CompilingLoss(FrameworkProfile p, string source) => p with { CompilesLoss = new Cited<bool>(true, source) };

        private static bool LossCompileMoves(Estimation.ResolvedRecipe r) => Estimation.TrainerBehavior.CompilesWholeLoss(r, compilesLoss: true);

        private const string FirstLossCompile = "train.py@e10cb94 (\"Move output .float() to loss fn and compile it if compiling\"): if job_config.training.compile: loss_fn = torch.compile(loss_fn), over cross_entropy_loss's pred.float()";

        private static readonly DatedChange LossCompiled = new DatedChange(
            new ProfileRelease("e10cb94", "e10cb94", "2024-10-22"), new ProfileRelease("e8977b0", "e8977b0", "2024-12-18"),
            CompiledLossChange, FirstLossCompile, p => CompilingLoss(p, FirstLossCompile), LossCompileMoves);

        private const string LossCompileSince = "torchtitan/components/loss.py@bbb1b61 build_cross_entropy_loss: if job_config.training.compile: loss_fn = torch.compile(loss_fn) (as at e7c0cae); at b5bcd76 torchtitan/config/configs.py Compile.components defaults to [\"model\", \"loss\"]";

        private static readonly DatedChange LossCompiledAgain = new DatedChange(
            new ProfileRelease("bbb1b61", "bbb1b61", "2025-04-02"), null,
            CompiledLossChange, LossCompileSince, p => CompilingLoss(p, LossCompileSince), LossCompileMoves);

        private const string UnitsApartSince =
            "torchtitan/models/llama3/parallelize_llama.py@83e6941 (\"Improve reshard_after_forward logic\", #1094) apply_fsdp: fully_shard(model.tok_embeddings), each block, then fully_shard([model.norm, model.output], reshard_after_forward=policy == \"always\") before fully_shard(model) (as at 6fc499f6)";

        private static bool ShardsParameters(Estimation.ResolvedRecipe r) => r.Sharding == Sharding.Zero3 && r.Parallel.ShardDegree > 1;

        private static readonly DatedChange UnitsApart = new DatedChange(
            new ProfileRelease("83e6941", "83e6941", "2025-07-28"), null,
            "FSDP shards the embedding and the norm with the head as units of their own: only the head's stays gathered after forward, and the largest gradient reduce-scattered at once is one of them, not both",
            UnitsApartSince, p => p with { EmbeddingAndHeadApart = new Cited<bool>(true, UnitsApartSince) }, ShardsParameters);

        private const string OutputsDropped = "train.py@e5ef99a (\"Update PP to release memory earlier\"): pp_schedule.step(..., return_outputs=False), so the last stage keeps no micro-batch's output (pytorch/pytorch#165822)";

        private static readonly DatedChange PipelineOutputsDropped = new DatedChange(
            new ProfileRelease("e5ef99a", "e5ef99a", "2025-10-22"), null,
            "the pipeline's last stage keeps no micro-batch's logits after its backward: train.py passes return_outputs=False",
            OutputsDropped, p => p with { PipelineKeepsOutputs = new Cited<bool>(false, OutputsDropped) },
            r => r.Parallel.Pipeline > 1 && r.Profile.PipelineKeepsOutputs.Value);

        private const string MicroBatchPerStage = "torchtitan/parallelisms/pipelining_utils.py@90567fc (\"fix num_microbatches input for PP\") build_pipeline_schedule: pipeline_parallel_microbatches None gives n_microbatches = num_total_stages, the pipeline degree times the stages per rank";

        private static readonly DatedChange MicroBatchesPerStage = new DatedChange(
            new ProfileRelease("90567fc", "90567fc", "2025-01-07"), new ProfileRelease("5e2033c", "5e2033c", "2025-04-07"),
            "the pipeline splits the local batch into one micro-batch per stage, pipeline ranks times the stages each holds",
            MicroBatchPerStage, p => p with { PipelineMicroBatches = new Cited<PipelineMicroBatches>(Frameworks.PipelineMicroBatches.OnePerStage, MicroBatchPerStage, "torchtitan's pipeline_parallel_microbatches default: one per stage") },
            r => r.Parallel.Pipeline > 1 && r.Parallel.VirtualStages > 1);

        private const string MicroBatchOfOne = "torchtitan/distributed/pipeline.py@5e2033c (\"[PP] Add microbatch_size and remove num_microbatches config\") build_pipeline_schedule: n_microbatches = batch_size // pipeline_parallel_microbatch_size, whose default is 1";

        private static readonly DatedChange MicroBatchesOfOne = new DatedChange(
            new ProfileRelease("5e2033c", "5e2033c", "2025-04-07"), null,
            "the pipeline splits the local batch into micro-batches of one sample (pipeline_parallel_microbatch_size 1)",
            MicroBatchOfOne, p => p with { PipelineMicroBatches = new Cited<PipelineMicroBatches>(Frameworks.PipelineMicroBatches.OneSample, MicroBatchOfOne, "torchtitan's pipeline_parallel_microbatch_size default: 1") },
            r => r.Parallel.Pipeline > 1 && r.BatchSize > 1);

        private const string NoAdapters = "torchtitan has no adapters (PartialTraining False: every parameter trains): not applicable";
        private const string NoQuantizedBase = "torchtitan has no quantized frozen base (QuantizedBase False; float8 linears train every weight): not applicable";
        private const string NoAlignment = "torchtitan runs no preference or RL stage (AlignmentStages False): not applicable";
        private const string NoDeepSpeed = "torchtitan shards only with FSDP2 fully_shard (torchtitan/parallelisms/parallelize_llama.py@9dec370 apply_fsdp), never DeepSpeed ZeRO: not applicable";
        private const string DenseOnly = "torchtitan/models/__init__.py@9dec370 models_config builds llama3 (dense Llama 3) only; the mixture-of-experts models of later releases (torchtitan/experiments/llama4 and deepseek_v3 at v0.1.0, torchtitan/models/llama4, deepseek_v3, qwen3 and gpt_oss over torchtitan/models/moe at v0.2.2) run torchtitan's own MoE layer, which VramPS does not model";
        private const string OwnModel = "torchtitan/models/llama/model.py@9dec370";
        private const string OwnConfig = "torchtitan/config_manager.py@9dec370";

        private const string AmpSince =
            "torchtitan/distributed/utils.py@0b44d4c (\"support AMP for DDP / single-device training\", #1303) maybe_enable_amp: without fully_shard (parallel_dims.fsdp_enabled: dp_shard or cp above 1) and without TP or PP, train.py runs the forward under torch.autocast(mixed_precision_param); with TP or PP it warns and trains in fp32";

        private static readonly DatedChange AmpWithoutFsdp = new DatedChange(
            new ProfileRelease("0b44d4c", "0b44d4c", "2025-06-16"), null,
            "one GPU or DDP without fully_shard autocasts to bf16 over the fp32 weights (maybe_enable_amp); tensor or pipeline parallelism without it still trains in fp32",
            AmpSince, p => p with
            {
                AutocastsUnshardedDataParallel = new Cited<bool>(true, AmpSince, "fp32 weights with bf16 autocast (torchtitan's maybe_enable_amp: no fully_shard, no TP or PP)"),
            },
            r => r.Precision == Precision.Fp32 && r.Parallel.Tensor == 1 && r.Parallel.Pipeline == 1);

        private const string PureBf16Since =
            "torchtitan/config/job_config.py@e99e16c (\"Support full bf16 training\", #1646) Training.dtype \"bfloat16\": train.py builds the model under set_default_dtype(bfloat16), so parameters, gradients and optimizer states are bf16 with no fp32 copy; mixed_precision_param still bfloat16 or float32, no fp16";

        private static readonly DatedChange PureBf16 = new DatedChange(
            new ProfileRelease("e99e16c", "e99e16c", "2025-09-16"), null,
            "--training.dtype bfloat16 trains parameters, gradients and optimizer states in bf16 (-Precision Bf16)",
            PureBf16Since, p => p with
            {
                Precisions = new Cited<System.Collections.Generic.IReadOnlyList<Precision>?>(new Text.ReadableList<Precision>(new[] { Precision.Fp32, Precision.Bf16Mixed, Precision.Bf16 }, ", "), PureBf16Since),
            },
            r => r.Precision == Precision.Bf16);

        public static FrameworkProfile Profile { get; } = Torchtune.Profile.WithoutStages(NoAlignment).WithoutDeepSpeed(NoDeepSpeed).WithoutMixtureOfExperts(DenseOnly) with
        {
            Framework = Framework.Torchtitan,
            Name = "torchtitan",
            UnslothTakesRuns = new Cited<bool>(false, "torchtitan's own model classes; Unsloth patches transformers models only"),
            Summary = "PyTorch torchtitan (FSDP2 fully_shard, its own model code, pretraining at scale)",
            Versions = "torchtitan 9dec370 (Dec 2024); v0.1.0-v0.2.2 with -FrameworkVersion",
            Releases = new ReleaseHistory(
                baseline: new ProfileRelease("9dec370", "9dec370", "2024-12-26"),
                earliest: LossCompiled.From,
                published: new[]
                {
                    new ProfileRelease("v0.1.0", "f7084fc", "2025-06-17"),
                    new ProfileRelease("v0.2.0", "29624e3", "2025-10-17"),
                    new ProfileRelease("v0.2.1", "81af883", "2025-12-26"),
                    new ProfileRelease("v0.2.2", "73a0e69", "2026-02-20"),
                },
                changes: new[] { LossCompiled, LossCompiledAgain, MicroBatchesPerStage, MicroBatchesOfOne, AmpWithoutFsdp, UnitsApart, PureBf16, PipelineOutputsDropped }),
            TransformersRelease = new Cited<Version?>(null, "torchtitan/models/llama3/model.py: its own model code, no transformers"),
            DefaultCheckpointing = new Cited<Checkpointing?>(null,
                "torchtitan/config_manager.py@9dec370 --activation_checkpoint.mode default 'selective' with --activation_checkpoint.selective_ac_option default '2' (every second block checkpointed), a mode VramPS does not model; off unless -Checkpointing",
                "no activation checkpointing: torchtitan's own default (--activation_checkpoint.mode selective, every second block checkpointed) has no VramPS mode; give -Checkpointing None, Selective (op level) or Full as the run sets it"),
            UnmodelledDefaultCheckpointing = new Cited<bool>(true,
                OwnConfig + " --activation_checkpoint.mode default 'selective', --activation_checkpoint.selective_ac_option default '2': parallelize_llama.py _apply_ac_to_transformer_block wraps every second block in checkpoint_wrapper (as at v0.2.2, torchtitan/config/job_config.py ActivationCheckpoint); VramPS models op-level selective and full checkpointing, not every n-th block"),
            Precisions = new Cited<System.Collections.Generic.IReadOnlyList<Precision>?>(new Text.ReadableList<Precision>(new[] { Precision.Fp32, Precision.Bf16Mixed }, ", "),
                OwnConfig + " --training.mixed_precision_param choices bfloat16 and float32, FSDP2's MixedPrecisionPolicy over the fp32 parameters train.py builds: no fp16, and no pure bf16 before --training.dtype (e99e16c)"),
            Optimizers = new Cited<System.Collections.Generic.IReadOnlyList<OptimizerKind>?>(new Text.ReadableList<OptimizerKind>(new[] { OptimizerKind.AdamW }, ", "),
                "torchtitan/optimizer.py@9dec370 build_optimizers: --optimizer.name Adam or AdamW (torch.optim), else NotImplementedError"),
            OfferedTechniques = new Cited<Techniques?>(Techniques.Compile | Techniques.OptimizerInBackward | Techniques.FusedKernels,
                "torchtitan/config_manager.py@9dec370: --training.compile, --optimizer.early_step_in_backward, --model.norm_type fused_rmsnorm; no Liger or chunked loss, no activation offload"),
            OffloadsOptimizerAlone = new Cited<bool>(false,
                "torchtitan/config_manager.py@9dec370 --training.enable_cpu_offload: FSDP2's CPUOffloadPolicy moves parameters, gradients and optimizer states together (parallelize_llama.py apply_fsdp); nothing offloads the optimizer alone"),
            DefaultSharding = new Cited<Sharding?>(Sharding.Zero3,
                "torchtitan/config_manager.py@9dec370 --training.data_parallel_shard_degree default -1; parallelisms/parallel_dims.py: -1 takes every rank left after TP, PP and CP, and parallelize_llama.py apply_fsdp fully_shards each block over them",
                "FSDP2 full shard over the data-parallel ranks, -Sharding Zero3 (torchtitan's data_parallel_shard_degree -1)"),
            DefaultAttention = new Cited<AttentionKernel?>(AttentionKernel.Sdpa, "torchtitan/models/attention.py: F.scaled_dot_product_attention (causal)",
                "attention through torch SDPA (torchtitan's own attention)"),
            TransformersTrainer = new Cited<bool>(false, "torchtitan/train.py: its own training loop"),
            PartialTraining = new Cited<bool>(false, "torchtitan trains every parameter: no LoRA, no frozen layers (torchtitan/train.py, components/optimizer.py)"),
            TensorParallelSplitsSequence = new Cited<bool>(true,
                "torchtitan/models/llama3/infra/parallelize.py apply_tp: SequenceParallel() on the norms and the block inputs in every TP plan",
                "sequence parallel with tensor parallel (torchtitan's TP plan always shards the norms over the sequence)"),
            SavesGatheredLinearInputs = new Cited<bool>(true,
                "torchtitan/parallelisms/parallelize_llama.py@9dec370 apply_tp: ColwiseParallel wq/wk/wv, w1/w3 and output take the SequenceParallel norm's Shard(1) output, all-gathered to Replicate before the DTensor mm, which saves that gathered input"),
            LossParallel = new Cited<bool>(true,
                "torchtitan/parallelisms/parallelize_llama.py@9dec370: output ColwiseParallel(output_layouts=Shard(-1)) under loss_parallel (--training.disable_loss_parallel off by default); torch/distributed/tensor/parallel/loss.py computes log_softmax and the nll_loss backward op by op"),
            DefaultPipelineSchedule = new Cited<PipelineSchedule>(PipelineSchedule.OneFOneB,
                OwnConfig + " --experimental.pipeline_parallel_schedule default \"1F1B\": torchtitan/parallelisms/pipelining_utils.py build_pipeline_schedule takes torch.distributed.pipelining's Schedule1F1B",
                "1F1B pipeline schedule (torchtitan's pipeline_parallel_schedule default: torch.distributed.pipelining Schedule1F1B)"),
            PipelineMicroBatches = new Cited<PipelineMicroBatches>(Frameworks.PipelineMicroBatches.OnePerRank,
                "torchtitan/parallelisms/pipelining_utils.py@9dec370 build_pipeline_schedule: pipeline_parallel_microbatches None gives n_microbatches = pipeline_parallel_degree, whatever the stages per rank",
                "torchtitan's pipeline_parallel_microbatches default at 9dec370: one per pipeline rank"),
            PipelineHoldsUnshardedStage = new Cited<bool>(true,
                "torchtitan/parallelisms/parallelize_llama.py@9dec370 apply_fsdp: reshard_after_forward=False for every block and the root when pp_enabled, MixedPrecisionPolicy(param_dtype=bf16, reduce_dtype=fp32); torch/distributed/pipelining/stage.py (torch 2.5-2.6) backward_maybe_with_nosync: set_reshard_after_backward(False) and set_requires_gradient_sync(False) for every micro-batch's backward, post_backward run once after the last; torch/distributed/_composable/fsdp/_fsdp_param.py to_accumulated_grad_if_needed: each unsharded gradient cast to reduce_dtype and accumulated there"),
            PipelineKeepsMicroBatchTensors = new Cited<bool>(true,
                "torch/distributed/pipelining/stage.py (torch 2.5-2.6): _prepare_forward_infra and _create_grad_recv_info allocate one receive buffer per micro-batch for the stage's input and for its output's gradient, kept for the run; fwd_cache keeps each micro-batch's output until its backward; clear_runtime_states sets the received inputs' .grad to None only when the next step begins"),
            PipelineKeepsOutputs = new Cited<bool>(true,
                "torch/distributed/pipelining/stage.py forward_one_chunk: output_chunks.append(output) on the last stage, cleared when the next step begins; schedules.py PipelineScheduleSingle.step and PipelineScheduleMulti.step return _merge_outputs(output_chunks), their torch.cat, after the last backward (train.py@9dec370 pp_schedule.step discards it)"),
            AlignmentStages = new Cited<bool>(false, "torchtitan has no preference or RL trainers VramPS models"),
            SelectiveRecompute = new Cited<SelectiveRecompute>(Frameworks.SelectiveRecompute.OpLevel,
                "torchtitan/models/llama3/infra/parallelize.py _apply_ac_to_transformer_block, selective_ac_option 'op' (the shipped train_configs): _save_list keeps mm outputs except every second one, and the SDPA outputs"),
            ReentrantCheckpointing = new Cited<bool>(false, "torchtitan/models/llama3/infra/parallelize.py _apply_ac_to_transformer_block: ptd_checkpoint_wrapper, non-reentrant"),
            AdaptersInComputeDtype = new Cited<bool>(true, "torchtitan has no adapters"),
            QuantizedBase = new Cited<bool>(false, "torchtitan trains every parameter; float8 linears (torchao) are no frozen quantized base"),
            KbitPreparationUpcast = new Cited<bool>(false, "torchtitan has no k-bit quantized base"),
            LoraDropout = new Cited<double>(0.0, "torchtitan has no adapters"),
            Nf4OnlyAdaptedLinears = new Cited<bool>(false, "torchtitan has no NF4 base"),
            LossPath = new Cited<LossPath>(Frameworks.LossPath.Fp32Upcast, "torchtitan/components/loss.py cross_entropy_loss: F.cross_entropy(pred.float(), labels)"),
            CompilesLoss = new Cited<bool>(false, "train.py@9dec370: the loss_fn compile is commented out (\"compiling loss function causes CUDA errors, turning off for now\", e8977b0)"),
            FusedAdamW = new Cited<bool>(false, "torchtitan/components/optimizer.py build_optimizers: AdamW foreach (fused False) at 9dec370"),
            MasterCopyInOptimizer = new Cited<bool>(false,
                "torchtitan/models/llama3/infra/parallelize.py apply_fsdp: MixedPrecisionPolicy(param_dtype=bf16, reduce_dtype=fp32) over fp32 sharded parameters (-Precision Bf16Mixed, gathered 16-bit)",
                "fp32 sharded weights gathered and computed in bf16 (FSDP2 MixedPrecisionPolicy, torchtitan's mixed_precision_param)"),
            DdpBucketCopy = new Cited<bool>(true, "torchtitan apply_ddp (data_parallel_replicate without sharding): torch DDP buckets"),
            ShardedGradientsOnReduceStream = new Cited<bool>(true,
                "torch 2.5.1 (Nov 2024) and pytorch main at 010ae4a alike, so the benchmark's 1963fc8 (Dec 2024) between them: foreach_reduce (torch/distributed/_composable/fsdp/_fsdp_collectives.py in 2.5.1, torch/distributed/fsdp/_fully_shard/_fsdp_collectives.py@010ae4a) allocates reduce_scatter_input (the unsharded gradients in reduce_dtype, fp32 from apply_fsdp@9dec370) on the current (default) stream, since pytorch#129721, and reduce_output, which the sharded .grad views, under the reduce-scatter stream (pytorch#132445, which would have moved it too, is not in either); FSDPParamGroup.post_backward keeps the input in comm_ctx.reduce_scatter_state until the next unit's post_backward waits on its event, and FSDPState._root_post_backward_final_callback drops the last one"),
            EmbeddingAndHeadApart = new Cited<bool>(false,
                "torchtitan/parallelisms/parallelize_llama.py@9dec370 apply_fsdp: fully_shard per TransformerBlock, then fully_shard(model), whose root unit holds tok_embeddings, norm and output; FSDP2 leaves the root gathered after forward (torch/distributed/_composable/fsdp/_fsdp_state.py _lazy_init: post_forward_mesh_info = None for the root)"),
            DefaultTechniques = new Cited<Techniques>(Techniques.None,
                OwnConfig + ": --training.compile off, --model.norm_type rmsnorm (fused_rmsnorm only when asked), --optimizer.early_step_in_backward off"),
            OffloadsCheckpoints = new Cited<bool>(false, "torchtitan/parallelisms/parallelize_llama.py@9dec370 apply_ac: ptd_checkpoint_wrapper keeps its checkpoints on the GPU; torchtitan has no activation offload"),
            FullTrainsLoadedDtype = new Cited<bool>(false, "train.py@9dec370 builds the model in fp32 (model.to_empty, init_weights) and trains those fp32 parameters; only FSDP2's MixedPrecisionPolicy computes in bf16"),
            FullShardsOptimizer = new Cited<bool>(false, "torchtitan shards optimizer states only with the parameters (FSDP2 fully_shard, DefaultSharding); no optimizer-only sharding"),
            ShardingKeepsLoadedDtype = new Cited<bool>(false, "read only where FullTrainsLoadedDtype, and torchtitan trains fp32 parameters: not applicable"),
            MixedPrecisionOnlyFullySharded = new Cited<bool>(true,
                OwnConfig + " --training.mixed_precision_param (\"only takes effect when data_parallel_shard_degree > 1\"): torchtitan/parallelisms/parallelize_llama.py@9dec370 passes it only to apply_fsdp's MixedPrecisionPolicy, under dp_shard_enabled or cp_enabled; train.py has no autocast",
                "fp32 weights and compute: torchtitan applies mixed precision only through fully_shard over more than one rank (mixed_precision_param at 9dec370)"),
            AutocastsUnshardedDataParallel = new Cited<bool>(false, "train.py@9dec370: no torch.autocast (maybe_enable_amp came with 0b44d4c)"),
            Fp16ByDefault = new Cited<bool>(false, OwnConfig + " --training.mixed_precision_param default bfloat16 (choices bfloat16, float32: no fp16)"),
            DefaultBatchSize = new Cited<int?>(8, OwnConfig + " --training.batch_size default 8, the local batch of each data-parallel rank (build_hf_data_loader)",
                "8 sequences per data-parallel rank (torchtitan's --training.batch_size default)"),
            DefaultSequenceLength = new Cited<int?>(null, OwnConfig + " --training.seq_len default 2048, VramPS's own 2048"),
            DefaultLoraRank = new Cited<int>(8, NoAdapters),
            DefaultVisionTraining = new Cited<Models.VisionTraining?>(null, "torchtitan@9dec370 trains text-only Llama models: no vision tower, not applicable"),
            RunsUnder = new Cited<Framework?>(null, "torchtitan/train.py is the loop itself"),
            AttentionKernels = new Cited<System.Collections.Generic.IReadOnlyList<AttentionKernel>?>(new Text.ReadableList<AttentionKernel>(new[] { AttentionKernel.Sdpa }, ", "),
                OwnModel + " Attention.forward: F.scaled_dot_product_attention(xq, xk, xv, is_causal=True), the only attention it has (torch picks the flash or memory-efficient backend inside)"),
            AttentionFromRelease = new Cited<bool>(false, "torchtitan's own model code: no transformers release picks its attention"),
            DataParallelOnly = new Cited<bool>(false, "torchtitan/parallelisms/parallelize_llama.py@9dec370: tensor (apply_tp), pipeline (pipeline_llama.py) and context parallelism beside FSDP"),
            ZeroOffloadOnly = new Cited<bool>(false, "torchtitan offloads through FSDP2's CPUOffloadPolicy, not DeepSpeed ZeRO (OffloadNeedsFullShard says when)"),
            QuantizedBaseOneGpu = new Cited<bool>(false, NoQuantizedBase),
            BlockOptimizer = new Cited<bool>(false, "torchtitan/optimizer.py@9dec370 build_optimizers: Adam or AdamW only, no block-wise optimizer"),
            AutocastsSixteenBitModel = new Cited<bool>(true, "read only for peft's fp32 adapters, and torchtitan has none: not applicable"),
            FusedQkvAdapters = new Cited<bool>(false, NoAdapters),
            QkvZeroPadKeepsLoraOutput = new Cited<bool>(false, NoAdapters),
            OneAdapterPerFusedLinear = new Cited<bool>(false, NoAdapters),
            FusedKernelsFuseLora = new Cited<bool>(false, NoAdapters),
            AllLinearLoraTargets = new Cited<bool>(false, NoAdapters),
            Adapters = new Cited<System.Collections.Generic.IReadOnlyList<AdapterKind>?>(new[] { AdapterKind.LoRA, AdapterKind.DoRA }, NoAdapters),
            FreezesLayers = new Cited<bool>(false, "torchtitan/train.py@9dec370 trains every parameter of every block: no frozen layers"),
            DoubleQuant = new Cited<bool>(true, NoQuantizedBase),
            QuantizesHead = new Cited<bool>(false, NoQuantizedBase),
            QuantizesFromFp16 = new Cited<bool>(false, NoQuantizedBase),
            QuantizedInputOutlivesBackward = new Cited<bool>(false, NoQuantizedBase),
            QuantizedBaseLoadsWhole = new Cited<bool>(false, NoQuantizedBase),
            QuantStatisticsUnsharded = new Cited<bool>(false, NoQuantizedBase),
            UpcastsOnlyTrainable = new Cited<bool>(false, "torchtitan has no -Method Freeze (FreezesLayers False): every parameter is fp32 and trains"),
            ChunkedHead = new Cited<bool>(false, OwnModel + " Transformer.forward: output = self.output(h), one head call over every position"),
            FrozenHeadChunkTokens = new Cited<int>(0, OwnModel + " Transformer.forward: one head call over every position, and the head trains"),
            SoftcapAttentionByHand = new Cited<bool>(false, OwnModel + ": its Llama caps no attention logits: not applicable"),
            SdpaMathForMultiQuery = new Cited<bool>(false, OwnModel + " Attention.forward: repeat_kv expands the key/value heads to every query head before SDPA"),
            SeparateHead = new Cited<bool>(false, OwnModel + ": output is an nn.Linear of its own; its Llama 3 flavors (8B, 70B, 405B) have untied heads, so VramPS keeps the checkpoint's tying"),
            FusedNorms = new Cited<bool>(false, OwnConfig + " --model.norm_type default rmsnorm: torchtitan/models/norms.py RMSNorm in PyTorch ops (fused_rmsnorm is -Techniques FusedKernels)"),
            FusedSoftmax = new Cited<bool>(false, OwnModel + ": attention through SDPA only, no separate softmax: not applicable"),
            FusedActivation = new Cited<bool>(false, OwnModel + " FeedForward.forward: self.w2(F.silu(self.w1(x)) * self.w3(x)) as separate ops"),
            GeluNewInPython = new Cited<bool>(true, OwnModel + ": its Llama uses SiLU, never gelu_new: not applicable"),
            OutputKept = new Cited<OutputLifetime>(OutputLifetime.UntilLoss, "train.py@9dec370: pred = model(input_ids); loss = loss_fn(pred, labels); del pred (\"need to free to before bwd to avoid peaking memory\") before loss.backward()"),
            FusedLinearLossKeepsGradients = new Cited<bool>(true, "torchtitan offers no fused linear loss (OfferedTechniques): not applicable"),
            Fp32MainCopyOfSixteenBitTrainables = new Cited<bool>(false, "torchtitan trains fp32 parameters (FSDP2 MixedPrecisionPolicy gathers bf16 copies): no 16-bit trainable to keep a main copy of"),
            ZeroGradTakesTorchDefault = new Cited<bool>(false, "train.py@9dec370 optimizers.zero_grad() under the torch 2.5+ it requires, whose default set_to_none is True"),
            FlatParameterUnits = new Cited<bool>(false, "torchtitan/parallelisms/parallelize_llama.py@9dec370 apply_fsdp: FSDP2 fully_shard, each parameter its own DTensor shard with its own gradient, no flat parameter"),
            KeepsModelCache = new Cited<bool>(false, OwnModel + ": its own model, with no key/value cache"),
            Fp16GradientsFlattenedAtStep = new Cited<bool>(false, "torchtitan never trains in fp16 (mixed_precision_param bfloat16 or float32), and torch.optim steps each gradient where it is"),
            OffloadsGradients = new Cited<bool>(true, "torchtitan/parallelisms/parallelize_llama.py@9dec370 apply_fsdp: enable_cpu_offload sets FSDP2's CPUOffloadPolicy, which keeps the sharded gradients on the host and steps the optimizer there"),
            ReduceBucketElements = new Cited<long>(0, "FSDP2 reduce-scatters each unit's gradients (torchtitan apply_fsdp); DDP's buckets are DdpBucketCopy's"),
            UnshardedReduceAfterBackward = new Cited<bool>(false, "torchtitan/parallelisms/parallelize_llama.py@9dec370 apply_ddp: replicate(model, bucket_cap_mb=100), whose DDP reducer all-reduces each bucket during backward"),
            GradientBufferPersists = new Cited<bool>(false, "FSDP2 and DDP create each gradient in backward; train.py@9dec370 optimizers.zero_grad() sets them to None after the step"),
            ParametersMovedIntoBuffer = new Cited<bool>(false, "torchtitan's FSDP2 keeps each parameter's own sharded DTensor, and its DDP (replicate) buckets gradients only"),
            NoSyncUnshardedGradients = new Cited<bool>(false, "train.py@9dec370: one forward and backward per step, no no_sync: FSDP2 reduce-scatters in every backward"),
            OffloadNeedsFullShard = new Cited<bool>(true,
                "torchtitan/parallelisms/parallelize_llama.py@9dec370: --training.enable_cpu_offload reaches only apply_fsdp (CPUOffloadPolicy), called under dp_shard_enabled or cp_enabled; apply_ddp and one GPU offload nothing"),
            OffloadsTrainedParameters = new Cited<bool>(true, OwnConfig + " --training.enable_cpu_offload: FSDP2's CPUOffloadPolicy (parallelize_llama.py apply_fsdp) keeps the sharded parameters on the host"),
            ExpandableSegments = new Cited<bool>(true,
                "run_llama_train.sh@9dec370: PYTORCH_CUDA_ALLOC_CONF=\"expandable_segments:True\" before torchrun",
                "the caching allocator with expandable segments, as torchtitan's launcher sets (run_llama_train.sh)"),
        };
    }
}
