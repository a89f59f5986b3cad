using System;
using System.Collections.Generic;
using System.Linq;
using System.Reflection;
using VramPS.Engine.Models;

namespace VramPS.Engine.Frameworks
{
    /// <summary>
    /// Everything VramPS assumes about one training framework: each behaviour the engine asks about, its value and the
    /// source it was read from. The engine reads a workload's framework only through its profile
    /// (<see cref="FrameworkProfiles"/>); a profile that differs from another little is written as that one `with` the
    /// differences (Profiles/*.cs).
    /// </summary>
    public sealed record FrameworkProfile
    {
        public Framework Framework { get; init; }
        /// <summary>The name users and the validation CSV spell (HF-Trainer, LLaMA-Factory ...).</summary>
        public string Name { get; init; } = "";
        public string Summary { get; init; } = "";
        /// <summary>The releases the behaviours were read from.</summary>
        public string Versions { get; init; } = "";
        /// <summary>The releases the profile covers and the behaviours that changed between them; null: it lists none (-FrameworkVersion refused).</summary>
        public ReleaseHistory? Releases { get; init; }
        /// <summary>Other names -Framework accepts for this profile (Megatron-Bridge for NeMo).</summary>
        public IReadOnlyList<string> Synonyms { get => _synonyms; init => _synonyms = Text.ReadableList.Names(value); }
        private readonly IReadOnlyList<string> _synonyms = Text.ReadableList.Names(null);

        // Defaults the engine takes when the workload does not say.
        /// <summary>The transformers release whose model and loss code runs; null for a stack with its own model code.</summary>
        public Cited<Version?> TransformersRelease { get; init; }
        /// <summary>Techniques on unless the workload names one of them.</summary>
        public Cited<Techniques> DefaultTechniques { get; init; }
        /// <summary>Checkpointing when not given; null: off, or on under QLoRA for the transformers Trainer stacks (peft's kbit preparation).</summary>
        public Cited<Checkpointing?> DefaultCheckpointing { get; init; }
        /// <summary>The framework's own default checkpointing is a mode VramPS does not model: a run without -Checkpointing is estimated without any, with a warning.</summary>
        public Cited<bool> UnmodelledDefaultCheckpointing { get; init; }
        /// <summary>The default checkpointing moves the saved block inputs to host memory.</summary>
        public Cited<bool> OffloadsCheckpoints { get; init; }
        /// <summary>Attention kernel when not given; null: torch SDPA through transformers (eager where transformers swaps it in).</summary>
        public Cited<AttentionKernel?> DefaultAttention { get; init; }
        /// <summary>Without -LoraTargets, LoRA adapts every linear of the blocks instead of peft's default targets.</summary>
        public Cited<bool> AllLinearLoraTargets { get; init; }
        /// <summary>
        /// Full and Freeze train the model in the 16-bit dtype it was loaded in (weights, gradients and optimizer states
        /// alike) unless -Sharding hands it to ZeRO or FSDP, which keep fp32 copies; false: fp32 weights under autocast.
        /// </summary>
        public Cited<bool> FullTrainsLoadedDtype { get; init; }
        /// <summary>Where <see cref="FullTrainsLoadedDtype"/>, fully sharding keeps the loaded 16-bit dtype too (FSDP2 without a mixed-precision policy): no fp32 copies.</summary>
        public Cited<bool> ShardingKeepsLoadedDtype { get; init; }
        /// <summary>
        /// Full training shards the optimizer states and fp32 main parameters over the data-parallel ranks unless
        /// -Sharding says (Megatron's distributed optimizer, -Sharding Zero1); false: plain data parallel.
        /// </summary>
        public Cited<bool> FullShardsOptimizer { get; init; }
        /// <summary>The sharding a run over several data-parallel ranks takes when -Sharding is not given; null: FullShardsOptimizer decides.</summary>
        public Cited<Sharding?> DefaultSharding { get; init; }
        /// <summary>
        /// Full training gets no mixed precision unless fully_shard shards the parameters over more than one rank (its
        /// MixedPrecisionPolicy): one GPU, DDP, or tensor or pipeline parallelism alone train fp32 weights in fp32.
        /// </summary>
        public Cited<bool> MixedPrecisionOnlyFullySharded { get; init; }
        /// <summary>Where <see cref="MixedPrecisionOnlyFullySharded"/>: a run without tensor or pipeline parallelism (one GPU or DDP) autocasts to bf16 over its fp32 weights.</summary>
        public Cited<bool> AutocastsUnshardedDataParallel { get; init; }
        /// <summary>Runs fp16 when -Precision is not given (Full: fp16 model with fp32 master weights; adapters: an fp16 base); false: bf16.</summary>
        public Cited<bool> Fp16ByDefault { get; init; }
        /// <summary>The micro-batch per GPU when -BatchSize is not given; null: 1.</summary>
        public Cited<int?> DefaultBatchSize { get; init; }
        /// <summary>Tokens per sequence of a supervised run when -SequenceLength is not given; null: 2048.</summary>
        public Cited<int?> DefaultSequenceLength { get; init; }
        /// <summary>The LoRA rank (and DoRA's) when -LoraRank is not given.</summary>
        public Cited<int> DefaultLoraRank { get; init; }
        /// <summary>Whether a vision tower trains when not given; null: what the method and LoRA targets make trainable.</summary>
        public Cited<VisionTraining?> DefaultVisionTraining { get; init; }

        // What the framework can run.
        /// <summary>Built on transformers' Trainer and accelerate: its autocast, model code and checkpointing.</summary>
        public Cited<bool> TransformersTrainer { get; init; }
        /// <summary>
        /// The framework whose training loop runs this one's model, so that "NAME+LOOP" (Unsloth+HF-Trainer) names this
        /// framework; null where no other loop is cited.
        /// </summary>
        public Cited<Framework?> RunsUnder { get; init; }
        /// <summary>Unsloth's patched models can take this stack's LoRA and QLoRA runs on one GPU as they are (Find-GpuFit then suggests it).</summary>
        public Cited<bool> UnslothTakesRuns { get; init; }
        /// <summary>Trains adapters (LoRA, QLoRA) and frozen layers (Freeze); false: full training only.</summary>
        public Cited<bool> PartialTraining { get; init; }
        /// <summary>Tensor parallelism always splits the norms and residual stream over the sequence (sequence parallel).</summary>
        public Cited<bool> TensorParallelSplitsSequence { get; init; }
        /// <summary>
        /// A tensor-parallel linear after a sequence-parallel norm saves its all-gathered input (the whole sequence on every
        /// rank), not its sequence shard.
        /// </summary>
        public Cited<bool> SavesGatheredLinearInputs { get; init; }
        /// <summary>
        /// Routed experts split over the tensor-parallel ranks too (expert tensor parallel = TP); false: each expert whole
        /// on its rank (expert tensor parallel 1), the experts of a layer split over the expert-parallel ranks only.
        /// </summary>
        public Cited<bool> ExpertsSplitByTensorParallel { get; init; }
        /// <summary>Under tensor parallelism the loss runs on vocabulary-sharded logits through torch's loss_parallel.</summary>
        public Cited<bool> LossParallel { get; init; }
        /// <summary>The pipeline schedule when -PipelineSchedule is not given (1F1B; Interleaved where -VirtualStages is above 1), its assumption the note a pipelined estimate records.</summary>
        public Cited<PipelineSchedule> DefaultPipelineSchedule { get; init; }
        /// <summary>Under pipeline parallelism whether -BatchSize is the micro-batch or the local batch, and how that is split.</summary>
        public Cited<PipelineMicroBatches> PipelineMicroBatches { get; init; }
        /// <summary>
        /// Under pipeline parallelism with -Sharding Zero2 (fully_shard without resharding after forward) the pipeline
        /// skips the gradient sync and the reshard of every micro-batch's backward until the last: the stage's parameters
        /// stay gathered in the 16-bit param_dtype over the fp32 sharded masters from the first forward to the last
        /// backward, and its gradients accumulate unsharded in the fp32 reduce_dtype until that backward
        /// reduce-scatters them.
        /// </summary>
        public Cited<bool> PipelineHoldsUnshardedStage { get; init; }
        /// <summary>
        /// The pipeline keeps tensors of every micro-batch of a step: each stage's receive buffers (one per micro-batch,
        /// for the run), the gradients of its received inputs until the next step, and the outputs it has not yet run
        /// backward for.
        /// </summary>
        public Cited<bool> PipelineKeepsMicroBatchTensors { get; init; }
        /// <summary>
        /// The pipeline's last stage keeps every micro-batch's output (the logits) until the next step and concatenates
        /// them into one tensor after the last backward, the step's return value.
        /// </summary>
        public Cited<bool> PipelineKeepsOutputs { get; init; }
        /// <summary>Runs TRL's alignment trainers (reward model, DPO, ORPO, SimPO, KTO, PPO, GRPO).</summary>
        public Cited<bool> AlignmentStages { get; init; }
        /// <summary>SimPO adds the chosen half's cross-entropy (TRL's CPO trainer with cpo_alpha above 0), as ORPO does.</summary>
        public Cited<bool> SimPoChosenNll { get; init; }
        /// <summary>What -Checkpointing Selective means; None: the framework has no selective mode VramPS models.</summary>
        public Cited<SelectiveRecompute> SelectiveRecompute { get; init; }
        /// <summary>The optimizers it builds (-Optimizer); null: every one VramPS models.</summary>
        public Cited<IReadOnlyList<OptimizerKind>?> Optimizers { get; init; }
        /// <summary>The precisions it trains in (-Precision); null: every one VramPS models.</summary>
        public Cited<IReadOnlyList<Precision>?> Precisions { get; init; }
        /// <summary>Builds mixture-of-experts models; false: a model with experts is refused.</summary>
        public Cited<bool> BuildsMixtureOfExperts { get; init; }
        /// <summary>The techniques it can run (-Techniques); null: every one.</summary>
        public Cited<Techniques?> OfferedTechniques { get; init; }
        /// <summary>The attention kernels its model loading selects (-Attention); null: every one.</summary>
        public Cited<IReadOnlyList<AttentionKernel>?> AttentionKernels { get; init; }
        /// <summary>Loads models without attn_implementation: the kernel is the transformers release's default, eager before SDPA's 4.36.</summary>
        public Cited<bool> AttentionFromRelease { get; init; }
        /// <summary>Splits a model over GPUs only by sharding it: no tensor, pipeline, context or expert parallelism.</summary>
        public Cited<bool> DataParallelOnly { get; init; }
        /// <summary>Offloads only through ZeRO: the optimizer with any ZeRO stage, the parameters with ZeRO-3 alone.</summary>
        public Cited<bool> ZeroOffloadOnly { get; init; }
        /// <summary>Trains over a quantized base (-Method QLoRA) on one GPU only.</summary>
        public Cited<bool> QuantizedBaseOneGpu { get; init; }
        /// <summary>Trains only the top blocks (-Method Freeze).</summary>
        public Cited<bool> FreezesLayers { get; init; }
        /// <summary>DPO and KTO can take the reference's log-probs once before training (-PrecomputeReferenceLogProbs).</summary>
        public Cited<bool> PrecomputesReference { get; init; }
        /// <summary>Offers BAdam's block-wise Adam (-Optimizer BAdam).</summary>
        public Cited<bool> BlockOptimizer { get; init; }
        /// <summary>Checkpoints through reentrant torch.utils.checkpoint without per-block requires_grad on the inputs.</summary>
        public Cited<bool> ReentrantCheckpointing { get; init; }
        /// <summary>Trains the Hugging Face model with its config's use_cache left on: a model whose forward does not turn it off under checkpointing (GPTBigCode) returns its key/value cache.</summary>
        public Cited<bool> KeepsModelCache { get; init; }

        // Adapters and quantization.
        /// <summary>Adapters in the model's compute dtype; false: peft's fp32 adapters.</summary>
        public Cited<bool> AdaptersInComputeDtype { get; init; }
        /// <summary>Loads a bitsandbytes 4-bit or 8-bit base (NF4, FP4, Int8) for adapters to train over.</summary>
        public Cited<bool> QuantizedBase { get; init; }
        /// <summary>prepare_model_for_kbit_training upcasts every non-quantized parameter to fp32.</summary>
        public Cited<bool> KbitPreparationUpcast { get; init; }
        /// <summary>The adapters the framework offers (-Adapter); null: every peft adapter.</summary>
        public Cited<IReadOnlyList<AdapterKind>?> Adapters { get; init; }
        /// <summary>A 16-bit model runs under autocast too, so peft's fp32 adapters save 16-bit casts of their inputs.</summary>
        public Cited<bool> AutocastsSixteenBitModel { get; init; }
        /// <summary>
        /// -Sharding Zero1/2/3 hands the model to DeepSpeed's engine, which keeps precision to itself: accelerate then
        /// neither autocasts the forward nor casts its outputs to fp32; false: the sharding is accelerate's FSDP.
        /// </summary>
        public Cited<bool> ShardsThroughDeepSpeed { get; init; }
        /// <summary>The default lora_dropout; above 0 each adapted module keeps a mask and an output.</summary>
        public Cited<double> LoraDropout { get; init; }
        /// <summary>q, k and v are one fused linear: adapters on them see one input.</summary>
        public Cited<bool> FusedQkvAdapters { get; init; }
        /// <summary>
        /// The fused qkv adapter pads the LoRA output of its adapted q, k or v slices to the fused width with
        /// index_copy, whose backward keeps that output; with all three adapted it pads nothing. Its assumption names
        /// the slices taken for a checkpoint whose q, k and v are one module.
        /// </summary>
        public Cited<bool> QkvZeroPadKeepsLoraOutput { get; init; }
        /// <summary>
        /// The trainer's model builds q, k and v into one linear and gate and up into another (Megatron-Core's linear_qkv
        /// and linear_fc1, an expert's fc1 too; LinearModule.JoinsPrevious), and an adapter wraps that linear whole: one
        /// pair, A over its input once, B over the fused output width, whichever of the fused modules the targets name.
        /// </summary>
        public Cited<bool> OneAdapterPerFusedLinear { get; init; }
        /// <summary>-Techniques FusedKernels fuses the LoRA branch into one kernel per block input.</summary>
        public Cited<bool> FusedKernelsFuseLora { get; init; }
        /// <summary>NF4 only on the adapted linears, with torchao's linear_nf4 saving the weight, not the input.</summary>
        public Cited<bool> Nf4OnlyAdaptedLinears { get; init; }
        public Cited<bool> DoubleQuant { get; init; }
        /// <summary>The output head is a 4-bit linear too under QLoRA, dequantized by every head call.</summary>
        public Cited<bool> QuantizesHead { get; init; }
        /// <summary>Weights are quantized from an fp16 copy: each dequantization returns fp16 and is cast again to a bf16 compute dtype.</summary>
        public Cited<bool> QuantizesFromFp16 { get; init; }
        /// <summary>bitsandbytes' 4-bit matmul keeps its input on the autograd node itself, where backward does not release it.</summary>
        public Cited<bool> QuantizedInputOutlivesBackward { get; init; }
        /// <summary>
        /// A k-bit weight's quantization statistics (absmax, nested absmax) live on its module, outside the parameter that
        /// FSDP flattens or ZeRO-3 partitions: every rank holds them whole, on the GPU even when parameters are offloaded.
        /// </summary>
        public Cited<bool> QuantStatisticsUnsharded { get; init; }
        /// <summary>
        /// Under -Sharding Zero3 a quantized base is loaded whole onto every rank's GPU (no zero.Init) and partitioned only
        /// when the sharding engine starts; false: each unit is quantized and sharded as the wrapper moves it to the GPU.
        /// </summary>
        public Cited<bool> QuantizedBaseLoadsWhole { get; init; }
        /// <summary>Under Freeze only the trainable parameters are upcast to fp32; frozen ones stay 16-bit.</summary>
        public Cited<bool> UpcastsOnlyTrainable { get; init; }

        // Model code.
        public Cited<bool> ChunkedHead { get; init; }
        /// <summary>
        /// Tokens of each sequence one call of a frozen head takes (0: one call over every position); under autocast
        /// each call casts the frozen fp32 head anew and keeps that 16-bit copy for backward.
        /// </summary>
        public Cited<int> FrozenHeadChunkTokens { get; init; }
        /// <summary>Attention with capped logits runs as eager matmul, tanh and softmax whatever kernel was asked for.</summary>
        public Cited<bool> SoftcapAttentionByHand { get; init; }
        /// <summary>
        /// SDPA gets a multi-query model's single key/value head unexpanded beside every query head, which torch's fused
        /// kernels refuse, so it runs the math kernel, which keeps the 16-bit softmax probabilities.
        /// </summary>
        public Cited<bool> SdpaMathForMultiQuery { get; init; }
        /// <summary>A separate output head even for checkpoints that tie it to the embedding.</summary>
        public Cited<bool> SeparateHead { get; init; }
        public Cited<bool> FusedNorms { get; init; }
        public Cited<bool> FusedSoftmax { get; init; }
        public Cited<bool> FusedActivation { get; init; }
        /// <summary>gelu_new (GPT-2, Phi) runs as the Python tanh formula, op by op, each op keeping its input.</summary>
        public Cited<bool> GeluNewInPython { get; init; }
        public Cited<LossPath> LossPath { get; init; }
        /// <summary>Under -Techniques Compile the loss is compiled too: the fp32 upcast fuses into the loss kernels (the Fp32Upcast loss path).</summary>
        public Cited<bool> CompilesLoss { get; init; }
        /// <summary>How long the training loop keeps the model's output, its logits included (backward has freed their graph).</summary>
        public Cited<OutputLifetime> OutputKept { get; init; }
        /// <summary>The fused linear loss (FusedLinearLoss) computes its gradients during forward and keeps them for backward (Liger's), rather than recomputing them in backward.</summary>
        public Cited<bool> FusedLinearLossKeepsGradients { get; init; }

        // Optimizer, gradients and sharding.
        public Cited<bool> FusedAdamW { get; init; }
        /// <summary>The loop calls zero_grad() with torch's default set_to_none (False before torch 2.0).</summary>
        public Cited<bool> ZeroGradTakesTorchDefault { get; init; }
        /// <summary>Under mixed precision the model is 16-bit and the optimizer keeps an fp32 master copy.</summary>
        public Cited<bool> MasterCopyInOptimizer { get; init; }
        /// <summary>
        /// Whatever the recipe's precision, a 16-bit model's trained parameters (adapters included) each get an fp32
        /// gradient and an fp32 main copy that the optimizer steps, with fp32 moments.
        /// </summary>
        public Cited<bool> Fp32MainCopyOfSixteenBitTrainables { get; init; }
        /// <summary>torch DDP holds a bucket copy of every gradient.</summary>
        public Cited<bool> DdpBucketCopy { get; init; }
        /// <summary>ZeRO-3 gathers module by module through DeepSpeed's parameter coordinator (Zero3Coordinator), not FSDP units.</summary>
        public Cited<bool> GathersModules { get; init; }
        /// <summary>ZeRO-3's stage3_max_reuse_distance: a module's parameters stay gathered when it runs again within these many elements of the trace (GathersModules).</summary>
        public Cited<long> Zero3ReuseDistance { get; init; }
        /// <summary>ZeRO-3's stage3_max_live_parameters: the prefetch stops once these many elements are gathered (GathersModules).</summary>
        public Cited<long> Zero3MaxLiveParameters { get; init; }
        /// <summary>ZeRO-3's stage3_prefetch_bucket_size: elements each fetch asks for ahead of use (GathersModules).</summary>
        public Cited<long> Zero3PrefetchBucketElements { get; init; }
        /// <summary>
        /// Under mixed precision ZeRO keeps the gradients in the model's 16-bit dtype and makes an fp32 copy only of the
        /// (sub-)group the optimizer is stepping.
        /// </summary>
        public Cited<bool> ZeroSixteenBitGradients { get; init; }
        /// <summary>
        /// Without ZeRO under fp16 the engine's optimizer leaves 16-bit gradients on the parameters and, at the step,
        /// flattens them to fp32 (a per-parameter fp32 copy, then their concatenation).
        /// </summary>
        public Cited<bool> Fp16GradientsFlattenedAtStep { get; init; }
        /// <summary>Elements of the partition ZeRO-3's optimizer steps at once (sub_group_size).</summary>
        public Cited<long> ZeroSubGroupElements { get; init; }
        /// <summary>Optimizer offload keeps the fp32 gradient partitions on the host too.</summary>
        public Cited<bool> OffloadsGradients { get; init; }
        /// <summary>Elements of the gradient reduce bucket; 0 where none is held beside the gradients.</summary>
        public Cited<long> ReduceBucketElements { get; init; }
        /// <summary>Reduce buckets ZeRO-1/2 allocates for each backward: 2 where overlap_comm double-buffers them.</summary>
        public Cited<int> ReduceBuffers { get; init; }
        /// <summary>Without sharding the gradients are all-reduced in flattened buckets once backward has ended, so no bucket is held during backward.</summary>
        public Cited<bool> UnshardedReduceAfterBackward { get; init; }
        /// <summary>Under ZeRO-3 the reduce bucket is hidden_size x hidden_size elements (transformers fills "auto").</summary>
        public Cited<bool> Zero3ReduceBucketFromHiddenSize { get; init; }
        /// <summary>The gradients live in one buffer allocated with the model and kept for the whole run, not created by each backward.</summary>
        public Cited<bool> GradientBufferPersists { get; init; }
        /// <summary>
        /// With the distributed optimizer (-Sharding Zero1) the data-parallel wrapper copies each trained parameter into
        /// one contiguous buffer and frees the allocation the model was built with, which the caching allocator keeps.
        /// </summary>
        public Cited<bool> ParametersMovedIntoBuffer { get; init; }
        /// <summary>
        /// Under full recompute, a mixture-of-experts layer's recomputed unpermute (Megatron-Core's moe_utils.py: the
        /// probability-weighted tokens, the zeros they are scattered into, the sorting indices) stays in an autograd
        /// reference cycle until CPython's cyclic collector runs, so a backward can hold every MoE layer's
        /// (UnpermuteCycle: a warning and the range's High, never Total).
        /// </summary>
        public Cited<bool> RecomputedUnpermuteAwaitsGc { get; init; }
        /// <summary>The MoE router computes its probabilities in fp32 (moe_router_dtype fp32); false: in the model's dtype.</summary>
        public Cited<bool> Fp32RouterProbs { get; init; }
        /// <summary>
        /// The MoE token dispatcher exchanges each rank's own tokens all-to-all over the expert-parallel ranks; false: it
        /// all-gathers every token of the tensor- and expert-parallel group onto each rank.
        /// </summary>
        public Cited<bool> AllToAllTokenDispatcher { get; init; }
        /// <summary>Fully sharded with accumulation, gradients stay unsharded between steps (no_sync).</summary>
        public Cited<bool> NoSyncUnshardedGradients { get; init; }
        /// <summary>
        /// Fully sharded units are torch FSDP1 flat parameters whose forward uses views split from the flat tensor: a
        /// unit's gradient is one concatenation made when its last parameter's gradient arrives, so the root unit keeps
        /// the head's gradient through the whole backward and concatenates it with the embedding's at its end.
        /// </summary>
        public Cited<bool> FlatParameterUnits { get; init; }
        /// <summary>
        /// Fully sharded by torch FSDP2 (torch 2.5 and later): each unit's reduce-scatter input (its unsharded gradients
        /// in the reduce dtype) is allocated on the default stream and kept until the next unit reduces or backward
        /// ends, beside that unit's unsharded gradients; the output (the sharded gradients the optimizer steps) is
        /// allocated on the reduce-scatter stream, whose pool keeps those blocks cached after zero_grad, where the
        /// default stream's tensors cannot reuse them.
        /// </summary>
        public Cited<bool> ShardedGradientsOnReduceStream { get; init; }
        /// <summary>
        /// Fully sharded, the input embedding and the output head (with the final norm) are units of their own: the
        /// head's unit stays gathered from the end of forward into backward, the embedding's is resharded after its
        /// forward, and each reduce-scatters its gradient alone. False: one root unit holds both, gathered and reduced
        /// together.
        /// </summary>
        public Cited<bool> EmbeddingAndHeadApart { get; init; }
        /// <summary>
        /// The caching allocator runs with expandable segments: one segment per stream that grows, so freed blocks are
        /// not stranded in segments sized for other requests.
        /// </summary>
        public Cited<bool> ExpandableSegments { get; init; }

        // Alignment stages (Alignment/StageRecipe reads them).
        /// <summary>The alignment stages it runs besides SFT; null: every stage of TRL's trainers (where AlignmentStages).</summary>
        public Cited<IReadOnlyList<Alignment.TrainingStage>?> Stages { get; init; }
        /// <summary>The transformers release its DPO stage ran when not given, where that stage came later than the rest; null: TransformersRelease.</summary>
        public Cited<Version?> DpoTransformersRelease { get; init; }
        /// <summary>The stages default to gradient checkpointing on.</summary>
        public Cited<bool> StageCheckpointing { get; init; }
        /// <summary>Sequence length of the preference and reward stages when not given; null: TRL's max_length.</summary>
        public Cited<int?> PreferenceLength { get; init; }
        /// <summary>Prompt and generated tokens of PPO and GRPO when not given; null: TRL's defaults.</summary>
        public Cited<int?> PromptLength { get; init; }
        public Cited<int?> GenerationLength { get; init; }
        /// <summary>The reference is a second model loaded from the policy's checkpoint even when the policy trains adapters; false: the policy's base with its adapters disabled.</summary>
        public Cited<bool> ReferenceAlwaysCopy { get; init; }
        /// <summary>Reference, reward and EMA models are held in the 16-bit compute dtype whatever the policy's load dtype.</summary>
        public Cited<bool> FrozenModelsSixteenBit { get; init; }
        /// <summary>PPO updates the policy, then the value model, each with its own optimizer step, from the experience of a rollout.</summary>
        public Cited<bool> SequentialPpoUpdates { get; init; }
        /// <summary>
        /// In PPO and GRPO, -Offload moves each trained model's sharded weights (OptimizerAndParameters) and optimizer
        /// states to the host between the phases that use them and loads them back for its own forwards and update, which
        /// run on the GPU; false: -Offload keeps them on the host through the update, as the SFT step offloads.
        /// </summary>
        public Cited<bool> OffloadsBetweenPhases { get; init; }
        /// <summary>The frozen reference and reward models keep their weights on the host and bring each unit onto the GPU for its forward.</summary>
        public Cited<bool> FrozenModelsOnHost { get; init; }
        /// <summary>Its supervised trainer offers -Offload Optimizer, the optimizer states without the parameters.</summary>
        public Cited<bool> OffloadsOptimizerAlone { get; init; }
        /// <summary>Offers -Offload OptimizerAndParameters: the trained model's parameters on the host as well.</summary>
        public Cited<bool> OffloadsTrainedParameters { get; init; }
        /// <summary>Offloads only through fully_shard's CPU offload: -Offload needs -Sharding Zero2 or Zero3 over more than one rank.</summary>
        public Cited<bool> OffloadNeedsFullShard { get; init; }
        /// <summary>How PPO and GRPO generate on the training GPUs.</summary>
        public Cited<Alignment.RolloutGeneration> Generation { get; init; }
        /// <summary>The share of a rollout engine the framework colocates on the training GPUs when neither -RolloutMemoryFraction nor -VllmMode is given; null: none unless asked.</summary>
        public Cited<double?> RolloutFraction { get; init; }
        /// <summary>Offers an exponential-moving-average copy of the policy (-EmaCopy).</summary>
        public Cited<bool> EmaCopy { get; init; }
        /// <summary>The KL coefficient GRPO (and PPO where <see cref="PpoReferenceOnlyWithKl"/>) takes without -KlCoefficient: above 0 the reference loads.</summary>
        public Cited<double> DefaultKlCoefficient { get; init; }
        /// <summary>PPO loads its reference only for a KL term (-KlCoefficient above 0); otherwise PPO always has one.</summary>
        public Cited<bool> PpoReferenceOnlyWithKl { get; init; }
        // GRPO's policy and its colocated rollout engine.
        /// <summary>The GRPO trainer upcasts a k-bit base's non-quantized weights to fp32 (its own peft setup, not the SFT one).</summary>
        public Cited<bool> GrpoKbitUpcast { get; init; }
        /// <summary>The GRPO trainer casts the adapters over a k-bit base to 16-bit.</summary>
        public Cited<bool> GrpoQuantizedAdapters16Bit { get; init; }
        /// <summary>The GRPO loss takes the hidden states and forms one sequence's completion logits at a time, differentiating inside its forward.</summary>
        public Cited<bool> GrpoLossPerSequence { get; init; }
        /// <summary>The colocated vLLM engine and the trained model share one copy of the base weights.</summary>
        public Cited<bool> RolloutSharesWeights { get; init; }
        /// <summary>The engine's memory fraction is of the memory free when it loads, not of the whole GPU.</summary>
        public Cited<bool> RolloutFractionOfFree { get; init; }
        /// <summary>The colocated engine's memory fraction when -VllmMode Colocate gives none.</summary>
        public Cited<double> RolloutDefaultFraction { get; init; }
        /// <summary>The engine can run on GPUs of its own (-VllmMode Server).</summary>
        public Cited<bool> RolloutServer { get; init; }
        /// <summary>The engine sleeps between generations when the workload does not say (-RolloutSleep).</summary>
        public Cited<bool> RolloutSleeps { get; init; }
        /// <summary>The smallest memory fraction the engine runs with while it sleeps between generations; 0: as given.</summary>
        public Cited<double> RolloutSleepMinimumFraction { get; init; }

        private static readonly PropertyInfo[] BehaviorProperties = typeof(FrameworkProfile).GetProperties()
            .Where(p => typeof(ICited).IsAssignableFrom(p.PropertyType)).ToArray();

        /// <summary>Every behaviour with its value and source, in declaration order (as text: "Name = value; ...").</summary>
        public IReadOnlyList<FrameworkBehavior> Behaviors => Text.ReadableList.Rows(BehaviorProperties
            .Select(p =>
            {
                var c = (ICited)p.GetValue(this)!;
                return new FrameworkBehavior(Name, p.Name, c.Shown, c.Source, c.Assumption);
            }));
    }
}
