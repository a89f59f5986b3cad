using System;
using System.Collections.Generic;

namespace VramPS.Engine.Estimation
{
    /// <summary>
    /// Lays the terms out over the phases of one steady-state step on one GPU: sharding (ZeRO / FSDP units in
    /// flight), gradient accumulation, checkpointing and offload decide which tensors are resident when. Under a
    /// parallel layout the terms are the rank's own (ParameterBudget and ActivationMemory count its stage and share),
    /// sharding spans the data-parallel ranks, context parallelism splits each sequence, and only the rank with the
    /// head holds the logits, a 1/t share of the vocabulary.
    /// </summary>
    internal sealed class StepLayout
    {
        private readonly ResolvedRecipe _r;
        private readonly TrainerBehavior _t;
        private readonly ParameterBudget _p;
        private readonly ModelStateMemory _s;
        private readonly ActivationMemory _a;
        private readonly List<string> _notes;

        public StepLayout(ResolvedRecipe r, TrainerBehavior t, ParameterBudget p, ModelStateMemory s, ActivationMemory a, List<string> notes)
        {
            _r = r;
            _t = t;
            _p = p;
            _s = s;
            _a = a;
            _notes = notes;
        }

        public long PagedStates { get; private set; }
        /// <summary>Unsharded units FSDP gathers on its own stream: the caching allocator keeps them in that stream's pool.</summary>
        public long GatherStreamPool { get; private set; }
        /// <summary>
        /// Where the optimizer step's tensors outgrow every segment the forward and backward freed, the segments only
        /// its earlier temporaries use (RuntimeMemory.Reserved); 0 where the step reuses freed segments.
        /// </summary>
        public long StepOnlySegments { get; private set; }
        private double _shardedGradsOnReduceStream, _gradsForward, _grads, _headGrad, _heldHeadGrad;
        private bool _gradsFreedBeforeStep, _shardedAtBackwardEnd;
        /// <summary>
        /// What the loss path's freed 16-bit logits leave cached below its saved log-softmax at the start of backward,
        /// which its fp32 gradients cannot use (TrainerBehavior's LogitsFootprint.StrandedAtBackward), in bytes.
        /// </summary>
        private double _strandedLogits;
        /// <summary>Cached segments of the parameters moved into the framework's buffer that nothing in the step reuses (FreedParameterBlocks).</summary>
        public long StrandedParameterBlocks { get; private set; }
        public long HostMemory { get; private set; }
        /// <summary>
        /// A block the step frees and cannot reuse: ZeRO-3's 16-bit flat copy of the sub-group it steps, freed before the
        /// wrapped optimizer's larger fp32 temporaries are requested, so the caching allocator keeps it through the step.
        /// </summary>
        public long StepCache { get; private set; }

        public IReadOnlyList<PhaseMemory> Phases()
        {
            var r = _r;
            var stage = _p.Stage;
            int n = r.Parallel.ShardDegree;
            // Routed experts are replicated only over the expert-data-parallel ranks, n x (t / expert TP) / e of them (Megatron-LM's
            // parallel_state.initialize_model_parallel: expert_data_parallel_size = world_size // (expert TP x EP x PP),
            // and its DistributedDataParallel puts the expert parameters' gradient buffers, which the distributed
            // optimizer shards, on get_expert_data_parallel_group()); the rest is replicated over all n.
            int expertReplicas = (int)((long)n * (stage.Tensor / stage.ExpertTensor) / stage.Expert);
            double Sharded(double term, double experts) => (term - experts) / n + experts / expertReplicas;
            bool zero3 = r.Sharding == Sharding.Zero3 && n > 1;
            bool gradsSharded = (r.Sharding == Sharding.Zero2 || zero3) && n > 1;
            bool statesSharded = r.Sharding != Sharding.None && n > 1;
            double tokens = (double)r.BatchSize * r.SequenceLength / r.Parallel.Context;
            int c = TrainerBehavior.ComputeBytes(r.Precision);
            bool adapter = r.IsAdapter;

            // Weights: sharded storage plus, under ZeRO-3 / FSDP, the root unit and two block units gathered in 16-bit.
            // Where the quantization statistics live on the modules, outside the sharded parameters, every rank holds them whole.
            bool quantized = r.Workload.Method == FinetuneMethod.QLoRA;
            double wholeStatistics = zero3 && quantized && r.Profile.QuantStatisticsUnsharded.Value ? _s.QuantStatistics : 0;
            double wholeExpertStatistics = wholeStatistics > 0 ? _s.ExpertQuantStatistics : 0;
            double weightsStored = zero3
                ? Sharded(_s.FullWeights - wholeStatistics, _s.ExpertWeights - wholeExpertStatistics) + wholeStatistics
                : _s.FullWeights;
            double gatheredLayer = quantized
                ? _p.LargestLayer * ModelStateMemory.Nf4DoubleQuantBits / 8
                : _p.LargestLayer * (double)c;
            // Where the embedding and the head are units of their own, the head's is the one left gathered after forward.
            double rootParameters = r.Profile.EmbeddingAndHeadApart.Value ? Math.Max(_p.Embedding, _p.Head) : _p.Embedding + _p.Head;
            double rootUnit = rootParameters * (double)(quantized && _t.UpcastsNonQuantized ? 4 : c);
            // Gathered around the head (forward end, backward start) and around the top block's backward; under FSDP the
            // root unit and two block units, under DeepSpeed what its parameter coordinator keeps (Zero3Coordinator).
            // At the end of backward DeepSpeed gathers the largest module, the embedding, for its own backward, the
            // bottom block's linears having been released.
            double inFlight = 0, inFlightTop = 0, inFlightEnd = 0;
            if (zero3 && _t.GathersModules)
            {
                var gathered = GatheredModules(quantized, c);
                inFlight = gathered.AtHead;
                inFlightTop = gathered.AtTopBlock;
                inFlightEnd = _p.LargestTensor * (double)c;
            }
            else if (zero3)
            {
                inFlight = inFlightTop = inFlightEnd = rootUnit + 2 * gatheredLayer;
            }
            GatherStreamPool = Checked.Bytes(Math.Max(inFlight, inFlightTop));
            // A pipeline stage under fully_shard without resharding after forward (PipelineHoldsUnshardedStage): the
            // pipeline turns FSDP's reshard and gradient sync off for every micro-batch's backward but the last, so the
            // stage's parameters, gathered in the 16-bit param_dtype by the step's first forward (each unit's flat
            // all-gather output on the all-gather stream, copied out), stay beside the fp32 shards until the last
            // backward, and every micro-batch's 16-bit gradients are cast to the fp32 reduce_dtype and accumulated
            // unsharded until that backward reduce-scatters them.
            double gatheredStage = 0, unshardedGrads = 0;
            bool holdsStage = _t.HoldsUnshardedStage;
            if (holdsStage)
            {
                weightsStored = Sharded(_s.FullWeights, _s.ExpertWeights);
                gatheredStage = _p.Total * (double)c;
                unshardedGrads = _p.Trainable * 4.0;
                GatherStreamPool = Checked.Bytes(rootUnit + 2 * gatheredLayer);
                _notes.Add("the pipeline keeps the stage's parameters gathered in 16-bit beside their fp32 shards, and its gradients unsharded in fp32, from the step's first forward to its last backward (FSDP's reshard and gradient sync skipped for every earlier micro-batch)");
            }
            if (r.Offload == Offload.OptimizerAndParameters)
            {
                HostMemory = Checked.Add(HostMemory, Checked.Bytes(weightsStored - wholeStatistics));
                weightsStored = wholeStatistics;
            }
            double weightsCompute = weightsStored + inFlight + gatheredStage;
            double weightsTop = weightsStored + inFlightTop + gatheredStage;
            double weightsEnd = weightsStored + inFlightEnd + gatheredStage;

            // Gradients: full, sharded, or, under Lightning FSDP with accumulation (no_sync), unsharded per block.
            double grads = gradsSharded ? Sharded(_s.Gradients, _s.ExpertGradients) : _s.Gradients;
            bool litgptNoSync = zero3 && r.Profile.NoSyncUnshardedGradients.Value && r.GradientAccumulation > 1;
            if (litgptNoSync)
            {
                grads = adapter ? (_p.Total - _p.Embedding - _p.Head) * (double)c + _p.Adapters * (double)_t.AdapterBytes : _s.Gradients;
                _notes.Add("Lightning FSDP skips gradient sync while accumulating: gradients stay unsharded, full-size for every block");
            }
            else if (n > 1 && r.Sharding == Sharding.None && _t.DdpBucketCopy)
            {
                grads *= 2;
                _notes.Add("DDP keeps a bucket copy of every gradient");
            }
            double gradUnitSize = _t.GathersModules ? _p.LargestTensor * (double)c : _p.LargestLayer * (double)_s.GradientBytes;
            double gradUnit = zero3 && !litgptNoSync && r.Workload.Method != FinetuneMethod.LoRA && r.Workload.Method != FinetuneMethod.QLoRA
                ? gradUnitSize : 0;
            // A held stage's block writes its 16-bit gradients before FSDP's post-backward adds them to the fp32 ones.
            if (holdsStage) gradUnit = _p.LargestLayer * (double)c;
            // DeepSpeed's ZeRO-3 allocates its flat 16-bit gradient partitions and, with contiguous_gradients (on by
            // default), its reduce bucket of reduce_bucket_size elements when the optimizer is built, and keeps both for
            // the whole run (deepspeedai/DeepSpeed@edaa722 stage3.py _setup_for_real_optimizer: ipg bucket.buffer,
            // grad_partitions_flat_buffer on the optimizer's device).
            bool zeroBuffers = zero3 && _t.ZeroSixteenBitGradients;
            double bucket = zeroBuffers ? _t.ReduceBucketElements * (double)c
                : n > 1 ? Math.Min(_t.ReduceBucketElements, _p.Trainable) * (double)c : 0;
            if (r.Sharding == Sharding.Zero1 || r.Sharding == Sharding.Zero2) bucket *= r.Profile.ReduceBuffers.Value;
            double heldBucket = zeroBuffers ? bucket : 0;
            bool inBackward = r.Has(Techniques.OptimizerInBackward);
            if (inBackward) grads = Math.Min(grads, _p.LargestTensor * (double)_s.GradientBytes);
            // Megatron-LM's gradient buffer is allocated with the model and lives through forward; its fused weight
            // gradient accumulation writes each weight's gradient straight into it, so the head's is no transient.
            bool persistentGrads = r.Profile.GradientBufferPersists.Value;
            double gradsForward = r.GradientAccumulation > 1 || litgptNoSync || persistentGrads || zeroBuffers || r.Release.ZeroGradKeepsGradients ? grads : 0;
            if (holdsStage) gradsForward = unshardedGrads;

            // Optimizer states and the step's temporaries.
            double states = statesSharded ? Sharded(_s.States, _s.ExpertStates) : _s.States;
            double temps = statesSharded ? Sharded(_s.StepTemporaries, _s.ExpertTemporaries) : _s.StepTemporaries;
            if (_t.ZeroSixteenBitGradients)
            {
                // DeepSpeed's step, group by group (stage_1_and_2.py step; stage3.py _prepare_fp32_grad_for_sub_group):
                // flatten the group's 16-bit gradient partition (a copy) and cast it to fp32 as the master's .grad,
                // freed after that group's update. ZeRO-1/2 step a whole param group's partition, ZeRO-3 a sub-group.
                double partition = statesSharded ? Sharded(_p.Trainable, _p.TrainableExperts) : _p.Trainable;
                if (r.Sharding == Sharding.Zero3 && _s.StepTemporariesFollowTrainable)
                {
                    // ZeRO-3 hands the wrapped optimizer one sub-group's fp32 partition at a time (deepspeedai/DeepSpeed@edaa722
                    // stage3.py _optimizer_step: param_groups[...]['params'] = [fp32_param]), so a multi-tensor step's
                    // temporaries are the sub-group's, taken after the 16-bit flat copy is freed: at most the flattening
                    // (c + 4 bytes an element) or the fp32 gradient beside the step's temporaries.
                    double subGroup = Math.Min(partition, _t.ZeroSubGroupElements);
                    double stepPerElement = partition > 0 ? temps / partition : 0;
                    temps = subGroup * Math.Max(c + 4.0, 4.0 + stepPerElement);
                    // The freed 16-bit copy (c bytes an element) cannot hold a temporary of more bytes an element.
                    if (stepPerElement > c) StepCache = Checked.Bytes(subGroup * c);
                }
                else
                {
                    double group = r.Sharding == Sharding.Zero3 ? Math.Min(partition, _t.ZeroSubGroupElements) : partition;
                    temps += group * (c + 4.0);
                    // ZeRO-1/2 hold each param group's partition as one flat tensor (stage_1_and_2.py), so the flat 16-bit
                    // copy, its fp32 cast and a foreach optimizer's temporary are each one block of the whole partition;
                    // where the smallest of them outgrows the largest tensor of the forward and backward (bounded by fp32
                    // logits), the caching allocator gives them new segments. Before them, get_grad_norm_direct takes
                    // torch.norm(g.data.double()) of each gradient in the partition (deepspeedai/DeepSpeed@v0.16.2
                    // stage_1_and_2.py): an fp64 copy of the largest, whose segment none of the larger blocks after it fits.
                    // Expandable segments grow one segment per stream instead (RuntimeMemory.Reserved).
                    bool flatGroups = r.Sharding == Sharding.Zero1 || r.Sharding == Sharding.Zero2;
                    if (flatGroups && r.Offload == Offload.None && !r.Profile.ExpandableSegments.Value && group * c > tokens * (double)r.Model.VocabSize * 4)
                    {
                        StepOnlySegments = Checked.Bytes(8.0 * Math.Min(_p.LargestTensor, partition));
                        _notes.Add("DeepSpeed ZeRO-1/2's step takes new segments for its flat partition blocks, which outgrow every tensor the forward and backward freed: "
                            + "Reserved counts them beside the freed segments; a micro-batch whose fp32 logits outgrow the 16-bit partition lets the step reuse those, so it can reserve less");
                    }
                }
            }
            // FP16_Optimizer.step flattens each param group's gradients: p.grad.to(fp32) for every parameter, then their
            // concatenation, 8 bytes per parameter beside the 16-bit gradients until the group's are dropped; VramPS takes
            // the trainable parameters as one group (DeepSpeed-Chat's weight-decay group holds all but biases and norms).
            if (_t.Fp16GradientsFlattenedAtStep) temps += (statesSharded ? Sharded(_p.Trainable, _p.TrainableExperts) : _p.Trainable) * 8.0;
            if (r.Offload != Offload.None)
            {
                // ZeRO's CPU Adam steps fp32 gradient partitions held on the host (stage3.py and stage_1_and_2.py cpu_offload).
                double hostGrads = _t.ZeroSixteenBitGradients ? grads * 4.0 / c : grads;
                HostMemory = Checked.Add(HostMemory, Checked.Bytes(states + hostGrads));
                states = 0;
                temps = 0;
                // FSDP's CPUOffload copies each reduce-scattered shard to the host (_offload_grad); under no_sync
                // nothing is reduce-scattered, and the unsharded gradients accumulate on the GPU.
                if (_t.OffloadsGradients && !litgptNoSync)
                {
                    grads = 0;
                    gradsForward = 0;
                }
            }
            // torch FSDP2's foreach_reduce (ShardedGradientsOnReduceStream) allocates each unit's reduce-scatter input, its
            // unsharded gradients in the reduce dtype, on the default stream and keeps it until the next unit's
            // post-backward, so a block's backward writes its unsharded gradients (in the gathered compute dtype) beside
            // the previous unit's input; the last unit to reduce, the root, does so once backward ends, its gathered
            // parameters and the blocks' inputs freed first. The output, the sharded gradients the optimizer steps, is
            // allocated on the reduce-scatter stream, whose pool keeps those blocks cached after zero_grad frees them,
            // where the default stream cannot use them. A held pipeline stage reduces only after its last backward.
            double rootReduce = 0;
            if (r.Profile.ShardedGradientsOnReduceStream.Value && gradsSharded && r.Workload.Method == FinetuneMethod.Full)
            {
                _shardedGradsOnReduceStream = grads;
                _gradsForward = holdsStage ? 0 : gradsForward;
                _grads = grads;
                _shardedAtBackwardEnd = !holdsStage;
                _gradsFreedBeforeStep = inBackward;
                if (zero3 && !holdsStage)
                {
                    double unshardedAndInput = c + (double)_s.GradientBytes;
                    gradUnit = _p.LargestLayer * unshardedAndInput;
                    rootReduce = rootParameters * unshardedAndInput;
                }
            }
            if (r.Optimizer == OptimizerKind.PagedAdamW || r.Optimizer == OptimizerKind.PagedAdamW8bit)
            {
                PagedStates = Checked.Bytes(states);
                states = 0;
            }
            // The experts' states on the GPU are the first to take the segments their moved weights left behind.
            double expertStatesOnGpu = states == 0 ? 0 : statesSharded ? _s.ExpertStates / expertReplicas : _s.ExpertStates;
            StrandedParameterBlocks = FreedParameterBlocks.Stranded(r, stage, _s.FrozenBytesPerParameter, expertStatesOnGpu);
            if (StrandedParameterBlocks > 0)
                _notes.Add(string.Format(System.Globalization.CultureInfo.InvariantCulture,
                    "PyTorch's caching allocator without expandable_segments: {0:0.##} GiB of 20 MiB segments freed when the routed experts moved into Megatron's parameter buffer stay reserved",
                    StrandedParameterBlocks / (double)(1L << 30)));

            // Activations.
            double outside = _a.OutsideLayersPerToken * tokens;
            double saved;
            double topWorking;
            double blocksHeld;
            bool offloadActs = r.Has(Techniques.ActivationOffload);
            if (_a.CheckpointsBlocks)
            {
                double checkpoints = _a.HeldLayers * _a.CheckpointPerTokenPerLayer * tokens;
                double recompute = (_a.LargestLayerSavedPerToken + _a.TransientPerToken) * tokens;
                if (offloadActs)
                {
                    HostMemory = Checked.Add(HostMemory, Checked.Bytes(checkpoints));
                    checkpoints = 2 * _a.CheckpointPerTokenPerLayer * tokens;
                }
                blocksHeld = checkpoints;
                saved = checkpoints + _a.UncheckpointedPerToken * tokens + outside;
                // Where backward keeps each block's input gradient until it ends, its worst block is the bottom one.
                topWorking = saved + recompute + _a.HeldLayers * _a.BackwardRetainedPerTokenPerLayer * tokens;
            }
            else
            {
                double all = _a.AllLayersSavedPerToken * tokens;
                if (offloadActs)
                {
                    HostMemory = Checked.Add(HostMemory, Checked.Bytes(all));
                    all = 2 * _a.LargestLayerSavedPerToken * tokens;
                }
                blocksHeld = all;
                saved = all + outside;
                topWorking = saved + _a.TransientPerToken * tokens;
            }
            // A held stage's first backward starts with every micro-batch in flight and no gradient yet. Where the step
            // has no more micro-batches than that, no forward follows it: the accumulated gradients meet one micro-batch
            // fewer in flight, the larger moment unless one micro-batch's activations outweigh the gradients.
            double flight = stage.InFlight;
            if (holdsStage && !offloadActs && stage.InFlight >= r.Parallel.MicroBatches && stage.InFlight > 1)
            {
                double oneMicroBatch = blocksHeld / stage.InFlight;
                if (oneMicroBatch > gradsForward)
                {
                    gradsForward = 0;
                    _notes.Add("the stage's first backward, with every micro-batch in flight and no gradient yet, is its peak: one micro-batch's activations outweigh the accumulated gradients");
                }
                else
                {
                    saved -= oneMicroBatch;
                    topWorking -= oneMicroBatch;
                    flight -= 1;
                    _notes.Add("the stage runs every micro-batch's forward before its first backward: the accumulated gradients meet one micro-batch fewer in flight");
                }
            }
            if (stage.HasEmbedding)
            {
                double vision = VisionEncoderMemory.SavedActivations(r);
                saved += vision;
                topWorking += vision;
            }
            // BAdam's model is 16-bit: autocast has no fp32 weight to cast, and its head never trains.
            bool blockWise = r.Optimizer == OptimizerKind.BAdam;
            bool autocastCopies = (r.Precision == Precision.Bf16Mixed || r.Precision == Precision.Fp16Mixed) && !zero3 && !holdsStage && !_t.MasterCopyInOptimizer && !blockWise;
            double copies = 0;
            double headChunkCopies = 0;
            if (autocastCopies)
            {
                double perLayer = _a.AutocastCopiesPerLayer();
                if (_t.UpcastsOnlyTrainable)
                {
                    // Only the fp32 (trainable) blocks have weights to cast; the 16-bit head needs no copy.
                    copies = r.Checkpointing == Checkpointing.Full ? perLayer : perLayer * Math.Min(_a.HeldLayers, r.TrainableLayers);
                }
                else
                {
                    // Autocast caches the cast of every trainable fp32 weight until the forward's autocast region ends
                    // (aten/src/ATen/autocast_mode.cpp cached_cast: no grad-mode test, so checkpointed blocks that run under
                    // no_grad cache theirs too; but only leaves that require grad, so a frozen block's weights are cast anew
                    // each time): with one forward over unsharded weights, its end holds a 16-bit copy of every trained
                    // block's weights, checkpointed or not, and of a trained vision tower's linears. Sharded parameters are
                    // cast by the sharding wrapper, and a pipeline stage's forwards end micro-batch by micro-batch.
                    bool wholeForward = r.Parallel.Pipeline == 1 && (r.Sharding == Sharding.None || n == 1);
                    int trainedInStage = r.Workload.Method == FinetuneMethod.Freeze
                        ? Math.Max(0, stage.EndLayer - Math.Max(stage.FirstLayer, r.Model.NumLayers - r.TrainableLayers))
                        : stage.Layers;
                    copies = r.Checkpointing != Checkpointing.Full ? perLayer * _a.HeldLayers : wholeForward ? perLayer * trainedInStage : perLayer;
                    if (stage.HasHead) copies += 2.0 * _p.Head + (_p.Head == 0 ? 2.0 * _p.Embedding : 0);
                    // A frozen head called once per chunk of the sequence is cast anew by each call (aten/src/ATen/
                    // autocast_mode.cpp cached_cast caches only weights that require grad), and each chunk's linear
                    // keeps its own copy until that chunk's backward: all of them at the forward's end.
                    int chunk = r.Profile.FrozenHeadChunkTokens.Value;
                    if (stage.HasHead && adapter && chunk > 0)
                        headChunkCopies = 2.0 * _p.Head * (Math.Ceiling((double)r.SequenceLength / chunk) - 1);
                    if (wholeForward && stage.HasEmbedding && r.Vision.Trained && r.Workload.Method == FinetuneMethod.Full)
                        copies += 2.0 * (Models.VisionTower.LinearWeights(r.Model) + Models.VisionTower.ProjectorLinearWeights(r.Model));
                }
            }

            double vocabTokens = r.Model.Encoder || !stage.HasHead ? 0 : tokens * r.Model.VocabSize / stage.Tensor;
            var logits = _t.Logits;
            // Under FSDP1 each parameter of a unit is a view split from its flat parameter, and autograd's
            // split_with_sizes_backward concatenates the unit's gradients only when the last one arrives
            // (torch/distributed/fsdp/_flat_param.py _use_unsharded_views). The root unit holds the head and the
            // embedding: the head's gradient waits, unsharded, from the first op of backward to the last, when the
            // embedding's arrives and both are concatenated into the unit's flat gradient (a tied weight is one
            // gradient, summed in place). By then every block has been resharded. The unsharded gradients are in the
            // gathered parameters' dtype (FSDP's MixedPrecision param_dtype), cast for the sharded gradient only after
            // the reduce-scatter.
            bool flatRoot = zero3 && !_t.GathersModules && r.Profile.FlatParameterUnits.Value
                && r.Workload.Method == FinetuneMethod.Full && stage.HasHead && stage.HasEmbedding && !blockWise;
            // A held stage's head writes its 16-bit gradient, unsharded, beside the fp32 one it is added to.
            double headGrad = r.Workload.Method == FinetuneMethod.Full && !blockWise && stage.HasHead && !persistentGrads
                ? Math.Max(_p.Head, _p.Embedding) * (double)(flatRoot || holdsStage ? c : _s.GradientBytes) / (gradsSharded && !flatRoot && !holdsStage ? n : 1) : 0;
            double rootGradConcat = flatRoot ? 2.0 * (_p.Embedding + _p.Head) * c : 0;
            _headGrad = holdsStage ? 0 : headGrad;
            // FSDP2 runs the root unit's post-backward only from the final callback of backward (its input, the token ids,
            // needs no gradient), so where the head is in the root its unsharded gradient, in the compute dtype, waits
            // from the head's backward until backward ends, beside the blocks' (rootReduce counts it then).
            _heldHeadGrad = rootReduce > 0 && stage.HasHead && !r.Profile.EmbeddingAndHeadApart.Value && headGrad > 0
                ? _p.Head * (double)c : 0;

            double fusedLossHeld = 0, fusedLossChunk = 0, fusedWeightGrad = 0;
            if (r.Has(Techniques.FusedLinearLoss) && vocabTokens > 0 && !_t.StageOwnsLoss && r.Profile.FusedLinearLossKeepsGradients.Value)
            {
                // Liger's fused linear cross-entropy (Liger-Kernel@c7dd3294 ops/fused_linear_cross_entropy.py) fills the
                // hidden states' gradient (tokens x hidden) and, where the head trains, the head weight's (zeros_like the
                // weight as forward sees it: gathered 16-bit under ZeRO-3 or FSDP) chunk by chunk during forward, beside an
                // fp32 loss per token, and saves both gradients for backward. Each chunk's logits and its input gradient
                // product exist while it runs: chunk_size = next_power_of_2(cdiv(tokens, cdiv(V, H))), which keeps a chunk
                // of logits about the size of the hidden states.
                double hidden = r.Model.HiddenSize;
                double vocab = (double)r.Model.VocabSize / stage.Tensor;
                fusedWeightGrad = r.Workload.Method == FinetuneMethod.Full && !blockWise
                    ? Math.Max(_p.Head, _p.Embedding) * (double)(zero3 ? c : _s.FrozenBytesPerParameter) : 0;
                fusedLossHeld = tokens * (hidden * c + 4) + fusedWeightGrad;
                fusedLossChunk = LigerChunk(tokens, vocab, hidden) * (vocab + hidden) * c;
            }

            var list = new List<PhaseMemory>(6);
            if (quantized && _t.ChunkedHead)
            {
                // litgpt builds the model under Lightning's BitsandbytesPrecision (litgpt finetune/lora.py
                // fabric.init_module at 0f021f3 and 5895df1): each Linear is a _Linear4bit that quantizes itself when
                // created on the GPU, and again from each checkpoint weight as load_state_dict reaches it
                // (lightning/fabric/plugins/precision/bitsandbytes.py, _quantize_on_load_hook, since 5120ad2). So only
                // one linear's 16-bit weight is ever resident beside the quantized model, never the whole 16-bit model.
                list.Add(Phase(Estimation.Phase.Load, weightsStored + 2.0 * _p.LargestQuantizable, 0, 0, 0, 0));
            }
            else if (quantized && _t.QuantizesOnlyAdapted)
            {
                // torchao's NF4 conversion (torchtune, 2024) compares every element of a weight with the 16 NF4
                // levels at once: a (numel x 16) 16-bit difference and its absolute value, the minimum's values
                // and int64 indices, next to the 16-bit weight being converted.
                list.Add(Phase(Estimation.Phase.Load, _s.FullWeights, 0, 0, 0, _p.LargestQuantizable * (2.0 * 16 * 2 + 2 + 8 + 2)));
            }
            else if (quantized && zero3 && r.Profile.QuantizedBaseLoadsWhole.Value)
            {
                // Every rank loads the whole quantized model, adapters attached, before the engine partitions it: the
                // last weight being quantized is on the GPU in its 16-bit load dtype beside its packed output
                // (bitsandbytes Params4bit._quantize: w = self.data.contiguous().to(device), then quantize_4bit).
                list.Add(Phase(Estimation.Phase.Load, _s.FullWeights, 0, 0, 0, _p.LargestQuantizable * (double)c));
            }
            // Where the loop keeps the previous micro-batch's output until the next forward returns (litgpt), that
            // step's graph is alive through this forward: its 4-bit matmuls' inputs, and its logit chunks beside the
            // new ones (together the two loss buffers ForwardPeak counts). The last head chunk dequantizes the 4-bit
            // head meanwhile. Under checkpointing the inputs the old graph holds are not modelled.
            double previousStep = _a.CheckpointsBlocks ? 0 : _a.PreviousStepInputsPerToken * tokens;
            double headDequant = stage.HasHead ? (double)_p.QuantizedHead * _t.HeadDequantBytes : 0;
            double cache = _a.ModelCachePerToken * tokens;
            // A loop that keeps the model's output holds its logits past the loss's backward (ForwardPeak and
            // BackwardPeak count them until then); one that keeps it until the next forward returns holds the previous
            // step's beside that forward too, as DeepSpeed-Chat's SFT (litgpt's are in its loss footprint, TrainerBehavior).
            double heldOutput = vocabTokens * _t.HeldOutputLogitsBytes;
            double previousOutput = vocabTokens * _t.PreviousOutputLogitsBytes;
            double topBucket = r.Sharding == Sharding.None && r.Profile.UnshardedReduceAfterBackward.Value ? heldBucket : bucket;
            var pipe = PipelineTensors(tokens, flight, vocabTokens * c);
            // A pipeline that keeps the last stage's outputs never frees the 16-bit logits before backward: only their fp32
            // copy is freed, whose hole holds one fp32 gradient exactly, and nothing is stranded.
            _strandedLogits = pipe.Outputs > 0 ? 0 : vocabTokens * logits.StrandedAtBackward;
            list.Add(Phase(Estimation.Phase.ForwardEnd, weightsCompute + copies + headChunkCopies, gradsForward, states, saved + previousStep + cache,
                vocabTokens * logits.ForwardPeak + headDequant + heldBucket + previousOutput + fusedLossHeld + fusedLossChunk + pipe.Buffers + pipe.EarlierOutputs));
            // Backward starts when the fused loss hands its saved weight gradient over as the head's (headGrad).
            list.Add(Phase(Estimation.Phase.BackwardStart, weightsCompute + copies + headChunkCopies, gradsForward + headGrad, states, saved,
                vocabTokens * logits.BackwardPeak + heldBucket + fusedLossHeld - fusedWeightGrad + pipe.Buffers + pipe.Outputs));
            double topGrads = flatRoot ? gradsForward + headGrad : _heldHeadGrad > 0 ? gradsForward + _heldHeadGrad : Math.Max(gradsForward, headGrad);
            list.Add(Phase(Estimation.Phase.BackwardTop, weightsTop + copies, topGrads + gradUnit, states, topWorking,
                topBucket + heldOutput + pipe.Buffers + pipe.Outputs));
            // A held stage ends its backward with every gradient unsharded, before the last post-backward reduce-scatters them.
            list.Add(flatRoot
                ? Phase(Estimation.Phase.BackwardEnd, weightsStored + rootUnit, grads + rootGradConcat, states, 0, bucket + heldOutput)
                : rootReduce > 0
                    ? Phase(Estimation.Phase.BackwardEnd, weightsStored, grads + rootReduce, states, 0, bucket + heldOutput)
                    : Phase(Estimation.Phase.BackwardEnd, weightsEnd, holdsStage ? unshardedGrads : grads + gradUnit, states, 0, bucket + heldOutput + pipe.BuffersAfter + pipe.Outputs));
            // The outputs' concatenation exists after the last backward and is dropped before the optimizer's temporaries.
            list.Add(Phase(Estimation.Phase.OptimizerStep, weightsStored, inBackward ? 0 : grads, states, 0,
                Math.Max(temps, pipe.Outputs) + heldBucket + heldOutput + pipe.BuffersAfter + pipe.Outputs));
            return list.AsReadOnly();
        }

        /// <summary>What a pipeline stage keeps per micro-batch beside its activations, in bytes (PipelineTensors).</summary>
        private readonly struct PipelineHeld
        {
            public PipelineHeld(double buffers, double buffersAfter, double outputs, double earlierOutputs)
            {
                Buffers = buffers;
                BuffersAfter = buffersAfter;
                Outputs = outputs;
                EarlierOutputs = earlierOutputs;
            }

            /// <summary>Receive buffers, received inputs' gradients and sent outputs awaiting backward, during forward and backward.</summary>
            public double Buffers { get; }
            /// <summary>Receive buffers and every received input's gradient once backward has ended.</summary>
            public double BuffersAfter { get; }
            /// <summary>The last stage's outputs of every micro-batch of the step.</summary>
            public double Outputs { get; }
            /// <summary>The last stage's outputs of the micro-batches before the one whose loss runs.</summary>
            public double EarlierOutputs { get; }
        }

        /// <summary>
        /// torch.distributed.pipelining's tensors (PipelineKeepsMicroBatchTensors, PipelineKeepsOutputs): each model chunk
        /// that receives its input from the previous stage has one receive buffer per micro-batch, those in flight being
        /// the inputs its first block's checkpoint keeps, and it keeps each received input's gradient until the next step;
        /// each chunk that sends its output has one buffer per micro-batch for that output's gradient and keeps each output
        /// until its backward; the last stage keeps every micro-batch's output (the 16-bit logits,
        /// <paramref name="outputBytes"/> each). A stage boundary is one micro-batch's hidden states, in the residual
        /// dtype, split over the sequence-parallel ranks; <paramref name="flight"/> micro-batches are in flight at the
        /// peak, those before them have run their backward.
        /// </summary>
        private PipelineHeld PipelineTensors(double tokens, double flight, double outputBytes)
        {
            var r = _r;
            var stage = _p.Stage;
            if (r.Parallel.Pipeline < 2) return default;
            int m = r.Parallel.MicroBatches, v = r.Parallel.VirtualStages;
            double during = 0, after = 0;
            if (r.Profile.PipelineKeepsMicroBatchTensors.Value)
            {
                double boundary = tokens * r.Model.HiddenSize / stage.SequenceShards * _a.ResidualBytes;
                int receiving = stage.HasEmbedding ? v - 1 : v, sending = stage.HasHead ? v - 1 : v;
                during = boundary * (sending * (m + flight) + receiving * 2.0 * (m - flight));
                after = boundary * (sending * (double)m + receiving * 2.0 * m);
            }
            bool outputs = stage.HasHead && r.Profile.PipelineKeepsOutputs.Value;
            return new PipelineHeld(during, after, outputs ? m * outputBytes : 0, outputs ? (m - 1) * outputBytes : 0);
        }

        /// <summary>
        /// Bytes DeepSpeed ZeRO-3 holds gathered around the head and around the top block's backward (Zero3Coordinator
        /// replays the profile's stage3_* settings over the top block's linears, each a module of its own). A quantized
        /// linear is gathered as its packed 4-bit weight in the 16-bit storage dtype (bnb_4bit_quant_storage). Blocks of
        /// routed experts are not replayed: one largest tensor stays in flight there, as before.
        /// </summary>
        private Zero3Coordinator.Gathered GatheredModules(bool quantized, int c)
        {
            var stage = _p.Stage;
            var modules = _r.Model.ModuleArray(stage.LastLayer);
            double largest = _p.LargestTensor * (double)c;
            var block = new List<double>(modules.Length);
            foreach (var module in modules)
            {
                if (module.Count > 1) return new Zero3Coordinator.Gathered(largest, largest);
                double elements = PipelineStage.Share(module.InFeatures * module.OutFeatures, stage.Tensor);
                block.Add(quantized ? elements * 4 / (8.0 * c) : elements);
            }
            double head = stage.HasHead ? (_p.Head > 0 ? _p.Head : _p.Embedding) : 0;
            var f = _r.Profile;
            // Only blocks within the reuse distance of the top can still be gathered there (their next use is further
            // away than all the blocks above them, twice over), and one more feeds the prefetch.
            double reuse = f.Zero3ReuseDistance.Value;
            double blockElements = 0;
            foreach (double e in block) blockElements += e;
            int blocks = (int)Math.Min(stage.Layers, Math.Floor(reuse / Math.Max(1.0, blockElements)) + 2);
            var g = Zero3Coordinator.Replay(block, blocks, head, _a.CheckpointsBlocks, reuse, f.Zero3MaxLiveParameters.Value, f.Zero3PrefetchBucketElements.Value);
            return new Zero3Coordinator.Gathered(g.AtHead * c, g.AtTopBlock * c);
        }

        /// <summary>Liger's chunk of tokens: next_power_of_2(cdiv(tokens, cdiv(V, H))), at most the tokens there are.</summary>
        internal static double LigerChunk(double tokens, double vocab, double hidden)
        {
            double perChunk = Math.Ceiling(tokens / Math.Ceiling(vocab / hidden));
            double power = 1;
            while (power < perChunk) power *= 2;
            return Math.Min(tokens, power);
        }

        /// <summary>
        /// Bytes the caching allocator keeps cached but not allocated at a phase, beyond what its churn estimate covers:
        /// the sharded gradients the reduce-scatter stream's pool holds freed (all of them while none is live, the forward
        /// after zero_grad, less the head's shard the start of backward counts; none once backward has reduced them),
        /// and at the start of backward the block the freed 16-bit logits leave that the loss's fp32 gradients cannot use.
        /// </summary>
        public long CachedUnused(Phase phase)
        {
            double live = phase switch
            {
                Estimation.Phase.BackwardStart => _gradsForward + _headGrad,
                Estimation.Phase.BackwardTop => _heldHeadGrad > 0 ? _gradsForward : Math.Max(_gradsForward, _headGrad),
                Estimation.Phase.BackwardEnd => _shardedAtBackwardEnd ? _grads : 0,
                Estimation.Phase.OptimizerStep => _gradsFreedBeforeStep ? 0 : _grads,
                _ => _gradsForward,
            };
            double stranded = phase == Estimation.Phase.BackwardStart ? _strandedLogits : 0;
            return Checked.Bytes(Math.Max(0, _shardedGradsOnReduceStream - live) + stranded);
        }

        private static PhaseMemory Phase(Phase phase, double weights, double grads, double states, double acts, double other) =>
            new PhaseMemory(phase, Checked.Bytes(weights), Checked.Bytes(grads), Checked.Bytes(states), Checked.Bytes(acts), Checked.Bytes(other));
    }
}
