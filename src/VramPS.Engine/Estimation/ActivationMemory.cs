using System;
using System.Collections.Generic;
using VramPS.Engine.Frameworks;
using VramPS.Engine.Models;

namespace VramPS.Engine.Estimation
{
    /// <summary>
    /// What autograd keeps for backward, per token, tensor by tensor: a linear keeps its input only when its weight
    /// trains (bitsandbytes' 4-bit matmul always), norms keep fp32 copies, SDPA keeps q and repeated k, v, gated MLPs
    /// keep gate, activation and up, peft's LoRA branch keeps the dropout output and mask in the adapter dtype, eager
    /// attention keeps the heads x s probabilities. Checkpointing keeps only each block's input and recomputes one
    /// block at a time. Per rank of a parallel layout: the tensors inside attention and MLP divide by the
    /// tensor-parallel degree, those outside them (norm inputs, block inputs, the inputs of the first linears) only
    /// under sequence parallelism (Korthikanti et al. 2022, section 4.2), and a pipeline stage holds its own layers
    /// for each micro-batch in flight.
    /// </summary>
    internal sealed class ActivationMemory
    {
        private readonly ResolvedRecipe _r;
        private readonly TrainerBehavior _t;
        private readonly ModelArchitecture _m;
        private readonly int _c;
        private readonly int _res;
        private readonly int _out;
        /// <summary>Autocast runs over fp32 weights: the residual stream and the norms' outputs are fp32.</summary>
        private readonly bool _fp32Weights;
        private readonly PipelineStage _stage;
        /// <summary>The first block whose weights train (NumLayers when none does).</summary>
        private readonly int _trainedFrom;
        /// <summary>The block after the last trained one (BAdam: 1, its lowest block active).</summary>
        private readonly int _trainedEnd;
        /// <summary>The first block that saves anything for backward: the first trained one under Freeze, unless every block's input requires grad.</summary>
        private readonly int _keptFrom;
        /// <summary>Tokens of one micro-batch on this rank: what an adapter keeps per layer is counted per token by it.</summary>
        private readonly double _tokens;

        public ActivationMemory(ResolvedRecipe r, TrainerBehavior t, PipelineStage stage)
        {
            _r = r;
            _t = t;
            _m = r.Model;
            _c = TrainerBehavior.ComputeBytes(r.Precision);
            // Autocast over fp32 weights keeps an fp32 residual stream, except under FSDP mixed precision, which
            // gathers 16-bit parameters so the embedding output is already 16-bit (fully sharded, or a pipeline stage
            // held gathered), and where the embedding stays 16-bit (LLaMA-Factory's Freeze).
            bool zero3 = r.Sharding == Sharding.Zero3 && r.Parallel.ShardDegree > 1;
            bool blockWise = r.Optimizer == OptimizerKind.BAdam;
            _fp32Weights = TrainerBehavior.AutocastOverFp32(r.Precision) && !zero3 && !t.HoldsUnshardedStage && !t.MasterCopyInOptimizer && !t.UpcastsOnlyTrainable && !blockWise;
            _res = r.Precision == Precision.Fp32 || _fp32Weights || t.Fp32Stream ? 4 : _c;
            _out = t.Fp32Stream ? 4 : _c;

            _stage = stage;
            _tokens = Math.Max(1.0, (double)r.BatchSize * r.SequenceLength / r.Parallel.Context);
            double tp = stage.Tensor, sp = stage.SequenceShards;
            double held = 0, largest = 0, previousInputs = 0;
            // A block's saved bytes depend only on its kind (its mixer, dense or mixture-of-experts) and whether it trains, and
            // the blocks that train are the top ones: each group is worked out once and counted. Blocks below
            // _keptFrom save nothing: neither their inputs nor their weights need a gradient.
            _trainedFrom = r.Workload.Method == FinetuneMethod.Full ? 0
                : r.Workload.Method == FinetuneMethod.Freeze ? _m.NumLayers - r.TrainableLayers : _m.NumLayers;
            // BAdam's worst block is the lowest: only block 0 trains, and every block above it is frozen but passes
            // the gradient down, so it keeps what its input gradient needs.
            _trainedEnd = blockWise ? 1 : _m.NumLayers;
            _keptFrom = r.Workload.Method == FinetuneMethod.Freeze && !r.FrozenInputsRequireGrad ? _trainedFrom : 0;
            int kept = 0, trainedKept = 0;
            double frozenHeld = 0;
            for (int kind = 0; kind < ModelArchitecture.BlockKinds; kind++)
            {
                int firstKept = Math.Max(_keptFrom, stage.FirstLayer);
                int blocks = _m.LayersOfKind(kind, firstKept, stage.EndLayer);
                if (blocks == 0) continue;
                kept += blocks;
                int firstTrained = Math.Max(_trainedFrom, firstKept);
                int trained = _m.LayersOfKind(kind, firstTrained, Math.Min(_trainedEnd, stage.EndLayer));
                int firstFrozen = firstKept < _trainedFrom ? firstKept : Math.Max(_trainedEnd, firstKept);
                trainedKept += trained;
                if (blocks > trained) frozenHeld += Count(_m.FirstLayerOfKind(kind, firstFrozen), blocks - trained);
                if (trained > 0) Count(_m.FirstLayerOfKind(kind, firstTrained), trained);
            }

            double Count(int layer, int blocks)
            {
                double saved = PerRank(LayerSaved(layer), sp, tp);
                held += blocks * saved;
                largest = Math.Max(largest, saved);
                if (t.KeepsPreviousQuantizedInputs) previousInputs += blocks * PerRank(QuantizedInputs(layer), sp, tp);
                return blocks * saved;
            }

            // Under Freeze (and BAdam, whose embedding is frozen) the lowest kept block's input needs no gradient: its
            // first RMSNorm keeps only the normalized input its weight needs, not the fp32 copy that pow saves for the
            // input gradient.
            bool unfusedRmsNorm = _m.Norm == NormKind.RmsNorm && !_r.Has(Techniques.FusedKernels) && !_r.Has(Techniques.Compile) && !t.FusedNorms;
            if ((_keptFrom > 0 || blockWise) && _keptFrom >= stage.FirstLayer && _keptFrom < stage.EndLayer && unfusedRmsNorm)
                held -= 4.0 * _m.HiddenSize / sp;

            AllLayersSavedPerToken = held * stage.InFlight;
            // The head's 4-bit matmul keeps the final norm's output too.
            if (t.KeepsPreviousQuantizedInputs && t.QuantizesHead && stage.HasHead) previousInputs += _c * (double)_m.HiddenSize / sp;
            PreviousStepInputsPerToken = previousInputs * stage.InFlight;
            // LLaMA-Factory checkpoints only the blocks with a trainable parameter and runs the others plainly
            // (model_utils/checkpointing.py get_custom_gradient_checkpointing_func): under BAdam the frozen blocks above
            // the active one keep everything their input gradient needs, beside the active block's checkpointed input.
            bool frozenUnchecked = blockWise && r.Checkpointing == Checkpointing.Full && !r.Profile.ReentrantCheckpointing.Value;
            UncheckpointedPerToken = frozenUnchecked ? frozenHeld * stage.InFlight : 0;
            HeldLayers = (frozenUnchecked ? trainedKept : kept) * stage.InFlight;
            LargestLayerSavedPerToken = largest;
            CheckpointPerTokenPerLayer = _res * (double)_m.HiddenSize / sp;
            // The Trainer wraps PEFT models with peft's fsdp_auto_wrap_policy (trainer.py _fsdp_qlora_plugin_updates), so
            // each block's own FSDP unit holds only frozen weights, and transformers' gradient checkpointing wraps each
            // unit's call. When the reentrant checkpoint recomputes a block in backward, FSDP's _pre_forward registers
            // the unit's reshard-only post-backward hook on the block's detached input (torch 2.1+ _runtime_utils.py _register_post_backward_reshard_only_hook, register_multi_grad_hook);
            // the hook keeps that leaf's grad accumulator, so the input and the gradient accumulated into it stay until
            // _finalize_params removes the hook at the end of backward. Near the bottom every block's input has its
            // gradient beside it. The forward holds only the checkpoints: fms-acceleration's FSDP LoRA/QLoRA runs
            // (torch 2.4.1, accelerate 1.0.1, peft 0.13.2, transformers 4.45.2) with a large vocabulary peak at the loss
            // without it, and those whose loss is small peak in backward with it.
            if (RetainsInputsInBackward(r)) BackwardRetainedPerTokenPerLayer = _res * (double)_m.HiddenSize / sp;
            OutsideLayersPerToken = stage.HasHead ? Outside(sp) : 0;
            // GPTBigCode's attention returns key_value, a view of its fused c_attn output (query, key and value), as
            // `present` whenever use_cache is on, and its forward does not turn the cache off under gradient
            // checkpointing (modeling_gpt_bigcode.py GPTBigCodeModel.forward appends every block's present). The
            // model's outputs hold those views, so each block's whole c_attn output, until the loss returns.
            // accelerate's convert_outputs_to_fp32 makes fp32 copies of 16-bit outputs under the Trainer's autocast;
            // bitsandbytes' 4-bit c_attn emits fp32 already (its LayerNorm input is fp32 under autocast).
            if (_m.ModelType == "gpt_bigcode" && r.Profile.KeepsModelCache.Value)
            {
                int cacheBytes = TrainerBehavior.AutocastsHfForward(r) ? 4 : _out;
                ModelCachePerToken = stage.Layers * cacheBytes * (double)(_m.QDim + 2 * _m.KvDim) / tp;
            }
            // Experts run one after another on their share of the tokens, so one MLP's width bounds the transients.
            long i0 = Math.Max(_m.MlpWidthOf(_m.NumLayers - 1), _m.MoeIntermediateSize);
            TransientPerToken = 2.0 * _out * i0 / tp + 2.0 * _res * _m.HiddenSize / sp;
            CheckpointsBlocks = r.Checkpointing == Checkpointing.Full;
            if (CoreAttentionRecompute && kept > 0) TransientPerToken += RecomputedCore(stage.LastLayer);
            if (r.Checkpointing == Checkpointing.Selective && r.Profile.SelectiveRecompute.Value == SelectiveRecompute.OpLevel)
            {
                CheckpointsBlocks = true;
                CheckpointPerTokenPerLayer += OpLevelSaved(tp);
            }
            TransientPerToken += AdapterForwardTransient(stage.LastLayer) / _tokens;
        }

        /// <summary>The largest working set one adapted linear of the block builds and frees in its forward (DoRA's weight norm).</summary>
        private double AdapterForwardTransient(int layer)
        {
            var modules = _m.ModuleArray(layer);
            var names = _m.ModuleNameIndexes(layer);
            double largest = 0;
            for (int j = 0; j < modules.Length; j++)
            {
                if (AdaptedLinears.JoinsPrevious(_r, modules, j)) continue;
                var (adapted, outFeatures) = AdaptedLinears.StartingAt(_r, modules, names, j);
                if (adapted) largest = Math.Max(largest, _r.Adapter.ForwardTransient(modules[j].InFeatures, outFeatures, HeldBytes));
            }
            return largest;
        }

        /// <summary>Bytes per element of the residual stream (4 where it runs in fp32).</summary>
        public int ResidualBytes => _res;
        /// <summary>Bytes per element of the block linears' outputs.</summary>
        public int OutputBytes => _out;

        /// <summary>Bytes per token of one micro-batch that the rank's blocks save without checkpointing, summed over its blocks and the micro-batches it holds.</summary>
        public double AllLayersSavedPerToken { get; }
        /// <summary>Blocks whose saved tensors the rank holds at once: its layers times the micro-batches in flight.</summary>
        public double HeldLayers { get; }
        /// <summary>What the blocks run outside checkpoints keep under checkpointing (BAdam's frozen blocks in LLaMA-Factory).</summary>
        public double UncheckpointedPerToken { get; }
        public double LargestLayerSavedPerToken { get; }
        /// <summary>
        /// Bytes per token of one micro-batch that the previous micro-batch's graph still holds while the next forward
        /// runs: the inputs its 4-bit matmuls keep on their autograd nodes (bitsandbytes before 0.43.2), which backward
        /// does not release, where the loop keeps that graph alive (litgpt's logits).
        /// </summary>
        public double PreviousStepInputsPerToken { get; }
        /// <summary>FSDP's reshard-only hook keeps each recomputed block's input and its gradient until backward ends (adapters under the Trainer's FSDP with reentrant checkpointing).</summary>
        public static bool RetainsInputsInBackward(ResolvedRecipe r) =>
            r.Sharding == Sharding.Zero3 && r.Parallel.ShardDegree > 1 && r.IsAdapter && r.Checkpointing == Checkpointing.Full
            && r.Profile.TransformersTrainer.Value && r.Profile.ReentrantCheckpointing.Value;

        /// <summary>Bytes per token and block that backward keeps once it has passed a checkpointed block: the gradient of its input, where a hook holds that input until backward ends.</summary>
        public double BackwardRetainedPerTokenPerLayer { get; }
        /// <summary>Bytes per token a checkpointed block keeps: its input hidden state.</summary>
        public double CheckpointPerTokenPerLayer { get; }
        /// <summary>Each block runs inside a checkpoint (-Checkpointing Full, or torchtitan's op-level selective mode, which keeps more per block).</summary>
        public bool CheckpointsBlocks { get; }

        /// <summary>Megatron-LM's selective recompute: the attention core keeps only q, k and v and runs again in backward.</summary>
        private bool CoreAttentionRecompute => _r.Checkpointing == Checkpointing.Selective && _r.Profile.SelectiveRecompute.Value == SelectiveRecompute.CoreAttention;

        /// <summary>
        /// What torchtitan's op-level policy keeps of a block beside its input (parallelize.py _custom_policy): the outputs
        /// of the matmuls it counts odd in forward order (wq, wv, w1, w2 of wq, wk, wv, wo, w1, w3, w2) and of the SDPA
        /// kernel (its output and the fp32 log-sum-exp per head). Eager, torch/utils/checkpoint.py
        /// _CachingTorchDispatchMode stores the output of every op the policy marks MUST_SAVE, whether backward reads it
        /// or not ("would save additional tensors not limited to ones that are actually needed for gradient
        /// computation", CheckpointPolicy's docstring): w2's output, the full hidden width on every tensor-parallel rank
        /// before its reduce-scatter, which only the residual add reads. Compiled (apply_compile after apply_ac), the
        /// policy only tags the graph's nodes and AOTAutograd's partitioner (torch/_functorch/partitioners.py
        /// min_cut_rematerialization_partition) saves what the backward graph reads: wq's output (RoPE runs again into
        /// SDPA's backward), wv's, w1's (silu's backward) and SDPA's, never w2's.
        /// </summary>
        private double OpLevelSaved(double tp) =>
            _c * (_m.QDim + _m.KvDim + (double)_m.IntermediateSize + _m.QDim + 4.0 / _c * _m.NumHeads) / tp
            + (_r.Has(Techniques.Compile) ? 0 : _c * (double)_m.HiddenSize);
        /// <summary>Bytes per token the model's returned key/value cache holds until the forward and its loss return (GPTBigCode with use_cache on).</summary>
        public double ModelCachePerToken { get; }
        /// <summary>Final norm and head input, per token, on the rank that holds the head.</summary>
        public double OutsideLayersPerToken { get; }
        /// <summary>Gradient buffers alive while one block runs backward, per token.</summary>
        public double TransientPerToken { get; }

        /// <summary>Bytes of 16-bit weight copies that autocast over fp32 weights makes for the linears of the rank's last block.</summary>
        public double AutocastCopiesPerLayer()
        {
            int layer = _stage.LastLayer;
            bool moe = _m.IsMoeLayer(layer);
            double sum = 0;
            foreach (var module in _m.ModuleArray(layer)) sum += (double)module.Parameters / _stage.Divisor(module, moe);
            return 2.0 * sum;
        }

        /// <summary>
        /// Bytes per token of one block's saved tensors: those outside attention and MLP, which every tensor-parallel
        /// rank holds whole, and those inside, which it holds a 1/t share of.
        /// </summary>
        private static double PerRank((double Outside, double Inside, double Whole) saved, double sequenceShards, double tensor) =>
            saved.Outside / sequenceShards + saved.Inside / tensor + saved.Whole;

        /// <summary>
        /// Whether the rank keeps the first linears' inputs whole: under sequence parallelism where the framework's
        /// tensor-parallel linears save their all-gathered input (torchtitan's DTensor plan).
        /// </summary>
        private bool GatheredInputs => _stage.SequenceShards > 1 && _r.Profile.SavesGatheredLinearInputs.Value;

        private (double Outside, double Inside, double Whole) LayerSaved(int layer)
        {
            var modules = _m.ModuleArray(layer);
            bool trains = BlockTrains(layer);
            long h = _m.HiddenSize, q = _m.QDimOf(layer), kv = _m.KvDimOf(layer);
            double sum = 0, inside = 0;

            sum += _m.NormsPerLayer * NormSaved(trains || _r.Adapter.Kind == AdapterKind.LNTuning);

            var names = _m.ModuleNameIndexes(layer);
            var attnIn = new Group(modules, names, LinearRole.AttentionInput, _r, HeldBytes);
            var attnOut = new Group(modules, names, LinearRole.AttentionOutput, _r, HeldBytes);
            var mlpIn = new Group(modules, names, LinearRole.MlpInput, _r, HeldBytes);
            var mlpOut = new Group(modules, names, LinearRole.MlpOutput, _r, HeldBytes);

            double firstInputs = LinearInputs(attnIn, h, trains);
            bool projectionSaves = attnOut.Count > 0 && SavesInput(trains);
            switch (_m.MixerOf(layer))
            {
                case MixerKind.GatedDeltaNet:
                    inside += GatedDeltaNet(projectionSaves);
                    inside += Adapters(attnOut, _m.LinearValueDim, projectionSaves);
                    break;
                case MixerKind.ShortConvolution:
                    inside += ShortConvolution(projectionSaves);
                    inside += Adapters(attnOut, h, projectionSaves);
                    break;
                default:
                    inside += Attention(q, kv, projectionSaves) + ZeroPadSource(attnIn, q, kv);
                    // Qwen3-Next's output gate: attn_output * sigmoid(gate) keeps the sigmoid's output and the attention output.
                    if (_m.AttentionOutputGate) inside += 2.0 * _c * q;
                    inside += Adapters(attnOut, q, projectionSaves);
                    break;
            }
            if (_r.Adapter.Kind == AdapterKind.AdaptionPrompt)
            {
                // adaption_prompt/layer.py: the query recomputed by q_proj is kept by its matmul with the prompt's keys;
                // the fp32 softmax over the prompt tokens and its 16-bit cast, gated, are kept for the matmul with the values.
                inside += _c * (double)q + _m.NumHeads * (double)_r.Adapter.VirtualTokens * (4 + _c);
            }
            firstInputs += LinearInputs(mlpIn, h, trains) - (_m.ParallelBlock && SavesInputAny(attnIn, trains) && SavesInputAny(mlpIn, trains) ? _c * (double)h : 0);
            inside += Mlp(layer, mlpOut, trains);
            // BERT drops out each sublayer's output before its residual add (hidden_dropout_prob 0.1 in
            // bert-base-uncased's and bert-large-uncased's config.json): a 1-byte mask each.
            if (_m.Encoder) sum += 2.0 * h;
            if (_m.IsMoeLayer(layer))
            {
                // Router logits and their fp32 softmax; each routed token's gathered input and the expert output kept
                // by the routing-weight multiply.
                sum += 8.0 * _m.Experts;
                sum += Math.Max(1, _m.ExpertsPerToken) * 2.0 * _c * h;
            }
            return GatheredInputs ? (sum, inside, firstInputs) : (sum + firstInputs, inside, 0);
        }

        /// <summary>
        /// The distinct inputs of a block's 4-bit linears (bitsandbytes MatMul4Bit keeps each as ctx.tensors): the
        /// attention and MLP inputs (one tensor where a parallel block shares its norm), the attention output, the
        /// MLP's inner activation (one per routed expert a token visits, and the shared experts').
        /// </summary>
        private (double Outside, double Inside, double Whole) QuantizedInputs(int layer)
        {
            var modules = _m.ModuleArray(layer);
            var names = _m.ModuleNameIndexes(layer);
            long h = _m.HiddenSize;
            var attnIn = new Group(modules, names, LinearRole.AttentionInput, _r, HeldBytes);
            var attnOut = new Group(modules, names, LinearRole.AttentionOutput, _r, HeldBytes);
            var mlpIn = new Group(modules, names, LinearRole.MlpInput, _r, HeldBytes);
            var mlpOut = new Group(modules, names, LinearRole.MlpOutput, _r, HeldBytes);
            bool sharedNorm = _m.ParallelBlock && attnIn.Count > 0 && mlpIn.Count > 0;
            double outside = _c * (double)h * ((attnIn.Count > 0 ? 1 : 0) + (mlpIn.Count > 0 && !sharedNorm ? 1 : 0));
            double inside = attnOut.Count > 0 ? _c * (double)_m.QDim : 0;
            if (mlpOut.Count > 0)
            {
                bool moe = _m.IsMoeLayer(layer);
                inside += _c * (double)(moe ? _m.MoeIntermediateSize * Math.Max(1, _m.ExpertsPerToken) : _m.IntermediateSize);
                if (moe && _m.SharedExperts > 0)
                    inside += _c * (double)(_m.SharedExpertIntermediateSize > 0 ? _m.SharedExpertIntermediateSize : _m.MoeIntermediateSize * _m.SharedExperts);
            }
            return (outside, inside, 0);
        }

        /// <summary>Whether the block's weights train: every block under Full (BAdam: the lowest), the top TrainableLayers under Freeze, none with adapters.</summary>
        private bool BlockTrains(int layer) => layer >= _trainedFrom && layer < _trainedEnd;

        private bool Quantized => _r.Workload.Method == FinetuneMethod.QLoRA && _t.QuantizedLinearSavesInput;

        /// <summary>A linear keeps its input when its weight trains, and under bitsandbytes' 4-bit matmul always.</summary>
        private bool SavesInput(bool trains) => trains || Quantized;

        private bool SavesInputAny(Group group, bool trains) => group.Count > 0 && SavesInput(trains);

        /// <summary>The linears of one role in a block: how many, and how many of them LoRA adapts.</summary>
        private readonly struct Group
        {
            public Group(LinearModule[] modules, int[] names, LinearRole role, ResolvedRecipe r, int adapterBytes)
            {
                Role = role;
                Count = 0;
                Adapted = 0;
                AdaptedOut = 0;
                Held = 0;
                for (int i = 0; i < modules.Length; i++)
                {
                    if (modules[i].Role != role) continue;
                    Count++;
                    if (AdaptedLinears.JoinsPrevious(r, modules, i)) continue;
                    var (adapted, outFeatures) = AdaptedLinears.StartingAt(r, modules, names, i);
                    if (!adapted) continue;
                    Adapted++;
                    AdaptedOut += outFeatures;
                    Held += r.Adapter.HeldPerModule(modules[i].InFeatures, outFeatures, adapterBytes);
                }
            }

            public LinearRole Role { get; }
            public int Count { get; }
            /// <summary>The adapter pairs: the adapted linears as the framework builds them (a fused linear is one).</summary>
            public int Adapted { get; }
            /// <summary>Output features summed over the adapted linears.</summary>
            public long AdaptedOut { get; }
            /// <summary>Bytes the adapted linears' forwards keep whatever the tokens (AdapterMethod.HeldPerModule).</summary>
            public double Held { get; }
        }

        /// <summary>
        /// RMSNorm in transformers and litgpt saves an fp32 copy of its input (and the normalized input when its weight
        /// trains); fused kernels save the input only. LayerNorm saves its input, which autocast casts to fp32 first
        /// (layer_norm is on its fp32 list) where the stream is 16-bit.
        /// </summary>
        private double NormSaved(bool trains)
        {
            long h = _m.HiddenSize;
            bool fused = (_r.Has(Techniques.FusedKernels) || _r.Has(Techniques.Compile) || _t.FusedNorms) && _m.Norm == NormKind.RmsNorm;
            if (_m.Norm == NormKind.LayerNorm) return (Autocasts && !_r.Has(Techniques.Compile) ? 4 : _res) * (double)h;
            if (fused) return _res * (double)h;
            return 4.0 * h + (trains ? _res * (double)h : 0);
        }

        /// <summary>The Trainer's autocast runs the step (Megatron-LM and DeepSpeed hold a 16-bit model instead).</summary>
        private bool Autocasts => TrainerBehavior.AutocastOverFp32(_r.Precision) && !_t.MasterCopyInOptimizer;

        /// <summary>
        /// The inputs a group of linears reading one tensor keep: one shared copy, or one per module where each casts
        /// an fp32 input to 16-bit for itself (bitsandbytes' 4-bit matmul; autocast, which caches only the casts of
        /// leaf tensors that require grad, aten/src/ATen/autocast_mode.cpp cached_cast: the weights, never an input).
        /// </summary>
        private double LinearInputs(Group group, long width, bool trains)
        {
            if (group.Count == 0) return 0;
            double saved = 0;
            bool saves = SavesInput(trains);
            if (saves)
            {
                bool castEach = Quantized && _out != _c || NormOutputFp32(trains);
                saved += (castEach ? group.Count : 1) * (double)_c * width;
            }
            return saved + Adapters(group, width, saves);
        }

        /// <summary>
        /// Whether the norm before the block's linears hands them fp32 under autocast: LayerNorm (layer_norm is on
        /// autocast's fp32 list), or an RMSNorm with an fp32 weight (transformers' weight * hidden_states.to(input_dtype)
        /// promotes to fp32). Fused norm kernels and torch.compile cast once.
        /// </summary>
        private bool NormOutputFp32(bool trains)
        {
            if (!Autocasts) return false;
            if (_r.Has(Techniques.FusedKernels) || _r.Has(Techniques.Compile) || _t.FusedNorms) return false;
            if (_m.Norm == NormKind.LayerNorm) return true;
            return _fp32Weights || _t.UpcastsOnlyTrainable && trains;
        }

        /// <summary>
        /// peft's LoRA branch per adapted module: with dropout, the mask and the dropout output (which lora_A saves,
        /// cast to 16-bit under autocast); without, lora_A saves its input: peft's cast of it to the adapter dtype
        /// (cast again to 16-bit under autocast), or, in the compute dtype, the group's input itself, once, unless the
        /// base linear keeps it already. lora_B saves the rank-wide A output.
        /// </summary>
        private double Adapters(Group group, long width, bool baseSaves)
        {
            if (group.Adapted == 0) return 0;
            int a = _t.AdapterBytes;
            int kept = _t.AutocastAdapters ? _c : a;
            double perModuleInputs = group.Adapted * (double)kept * width;
            switch (_r.Adapter.Kind)
            {
                case AdapterKind.IA3:
                    // ia3/layer.py Linear.forward: a feed-forward target multiplies its input, cast to the adapter dtype,
                    // by the vector (the multiply keeps that input); the others multiply the base output (kept as is).
                    return group.Role == LinearRole.MlpOutput ? group.Adapted * (double)a * width : _out * (double)group.AdaptedOut;
                case AdapterKind.VeRA:
                    // vera/layer.py: lambda_b * F.linear(lambda_d * F.linear(x, A), B): the frozen projections keep
                    // nothing, each lambda multiply keeps its other factor (r wide, then out wide).
                    return (_t.LoraDropout ? group.Adapted * (double)width : 0) + kept * ((double)group.Adapted * _r.LoraRank + group.AdaptedOut);
                case AdapterKind.OFT:
                    // OFTRotationModule casts each target's input to the adapter dtype and rotates it block by block
                    // (einsum keeps that input); the frozen base keeps nothing of the rotated one.
                    return group.Adapted * (double)a * width;
                case AdapterKind.LoHa:
                case AdapterKind.LoKr:
                case AdapterKind.BOFT:
                    // F.linear(x cast to the adapter dtype, built weight): each target keeps its cast input, and the
                    // weights it built (per layer, not per token).
                    return perModuleInputs + group.Held / _tokens;
                case AdapterKind.LoRAFA:
                    // A is frozen, so lora_A keeps no input: only the dropout mask and B's rank-wide input.
                    return (_t.LoraDropout ? group.Adapted * (double)width : 0) + group.Adapted * (double)kept * _r.LoraRank;
                case AdapterKind.DoRA:
                    // dora.py DoraLinearLayer.forward: (mag_norm_scale - 1) * base_result keeps the base output and
                    // mag_norm_scale * lora_result keeps the LoRA output, over each target's output width.
                    return LoraBranch(group, width, baseSaves, a, kept) + (_out + kept) * (double)group.AdaptedOut;
                default:
                    return LoraBranch(group, width, baseSaves, a, kept);
            }
        }

        private double LoraBranch(Group group, long width, bool baseSaves, int a, int kept)
        {
            int inputs = _t.FusedQkvAdapters && group.Role == LinearRole.AttentionInput ? 1 : group.Adapted;
            bool fusedLora = _r.Has(Techniques.FusedKernels) && _r.Profile.FusedKernelsFuseLora.Value;
            if (fusedLora) inputs = 1;
            double input;
            if (_t.LoraDropout && !fusedLora) input = inputs * (kept + 1.0) * width;
            else if (a != _c) input = inputs * (double)kept * width;
            else input = baseSaves ? 0 : _c * (double)width;
            return input + group.Adapted * (double)kept * _r.LoraRank;
        }

        /// <summary>
        /// litgpt's fused qkv adapter (litgpt/lora.py LoRAQKVLinear.zero_pad) copies the LoRA output of the adapted
        /// slices into a zero tensor of the fused width with index_copy, whose backward keeps its source (the LoRA output,
        /// in the compute dtype); with q, k and v all adapted it pads nothing. A checkpoint whose q, k and v are one
        /// module cannot say which slices train: the profile's assumption takes litgpt's default, query and value.
        /// </summary>
        private double ZeroPadSource(Group attnIn, long q, long kv)
        {
            if (!_r.Profile.QkvZeroPadKeepsLoraOutput.Value || !_t.FusedQkvAdapters || attnIn.Adapted == 0) return 0;
            if (_r.Adapter.Kind != AdapterKind.LoRA) return 0;
            long slices = attnIn.Count > 1 ? (attnIn.Adapted < attnIn.Count ? attnIn.AdaptedOut : 0) : q + kv;
            return _c * (double)slices;
        }

        /// <summary>Bytes per element of the weights LoHa, LoKr and BOFT build: autocast keeps its 16-bit cast of them.</summary>
        private int HeldBytes => _t.AutocastAdapters ? _c : _t.AdapterBytes;

        /// <summary>
        /// The attention core: SDPA keeps q, k and v repeated to every head (HF's repeat_kv) and its output;
        /// FlashAttention keeps k and v at KV heads; eager keeps the probabilities. Under Megatron-LM's selective
        /// recompute the core runs inside a checkpoint (Attention._checkpointed_attention_forward) that keeps only its
        /// inputs q, k and v; its output is kept by the output projection.
        /// </summary>
        private double Attention(long q, long kv, bool outputProjectionSavesInput)
        {
            if (CoreAttentionRecompute) return _c * (double)(q + 2 * kv) + (outputProjectionSavesInput ? _c * (double)q : 0);
            return AttentionCore(q, kv, outputProjectionSavesInput);
        }

        private double AttentionCore(long q, long kv, bool outputProjectionSavesInput)
        {
            double sum = 0;
            int heads = _m.NumHeads;
            long s = _r.SequenceLength;
            bool capped = _m.AttentionLogitSoftcap > 0;
            // Prefix tuning's past_key_values lengthen every layer's keys and values by its virtual tokens.
            double keys = 1 + (double)_r.Adapter.PrefixTokens / s;
            long kLength = s + _r.Adapter.PrefixTokens;
            var kernel = capped && _t.SoftcapAttentionByHand ? AttentionKernel.Eager : _r.Attention;
            switch (kernel)
            {
                case AttentionKernel.Flash:
                    sum += _c * (2.0 * q + 2.0 * kv * keys) + 4.0 * heads;
                    break;
                case AttentionKernel.Sdpa when _m.NumKvHeads == 1 && _r.Profile.SdpaMathForMultiQuery.Value:
                    // The math kernel (torch's _scaled_dot_product_attention_math): its broadcasting matmuls keep q, and
                    // k and v expanded to every head, beside the 16-bit softmax output, in place of the fused kernels'
                    // log-sum-exp.
                    sum += _c * (2.0 * q + 2.0 * q * keys) + heads * (double)kLength * _c;
                    if (outputProjectionSavesInput) sum += _c * (double)q;
                    break;
                case AttentionKernel.Sdpa:
                    sum += _c * (2.0 * q + 2.0 * q * keys) + 4.0 * heads;
                    if (outputProjectionSavesInput) sum += _c * (double)q;
                    break;
                default:
                    if (_t.FusedSoftmax)
                    {
                        // Megatron-LM's DotProductAttention: baddbmm keeps q and k repeated to every head, the fused
                        // scaled_masked_softmax keeps only its 16-bit output (ScaledUpperTriangMaskedSoftmax.forward,
                        // save_for_backward(softmax_results)), which the bmm with the repeated v keeps too.
                        sum += _c * (q + 2.0 * q * keys) + heads * (double)kLength * _c;
                        if (outputProjectionSavesInput) sum += _c * (double)q;
                        break;
                    }
                    // q @ k^T keeps q and k repeated to every head, probs @ v keeps v repeated; the output goes to
                    // the output projection through a contiguous copy that only that projection keeps. The softmax
                    // output is saved in fp32 when autocast puts softmax on its fp32 list or the model code upcasts it
                    // (transformers' decoders); the matmul with v saves its 16-bit cast. Encoders (BERT) drop out the
                    // probabilities: a 1-byte mask, and the dropout output feeds the matmul. Capped logits (Gemma 2)
                    // keep the tanh output of the scores too, and a clamp of the masked scores (OPT before transformers
                    // 4.46) keeps its input.
                    bool fp32Softmax = !_m.Encoder || TrainerBehavior.AutocastOverFp32(_r.Precision);
                    double softmaxOut = fp32Softmax ? 4 : _c;
                    double probs = (_m.Encoder ? softmaxOut + 1 + _c : softmaxOut + (softmaxOut != _c ? _c : 0)) + (capped ? _c : 0)
                        + (_t.ClampsMaskedScores ? _c : 0);
                    // Before torch 1.11 softmax keeps its input too: BERT's scores plus its fp32 extended mask (fp32
                    // under autocast), a decoder's 16-bit scores (transformers' softmax(dtype=float32) upcasts inside
                    // the kernel, half_to_float).
                    if (_r.Release.SoftmaxKeepsInput) probs += _m.Encoder ? softmaxOut : _c;
                    sum += _c * (q + 2.0 * q * keys) + heads * (double)kLength * probs;
                    if (outputProjectionSavesInput) sum += _c * (double)q;
                    break;
            }
            return sum;
        }

        /// <summary>
        /// Bytes per token, on one rank, of the attention core that selective recompute runs again while one block
        /// runs backward: what the core keeps without the checkpoint, less the checkpoint's inputs.
        /// </summary>
        private double RecomputedCore(int layer)
        {
            var modules = _m.ModuleArray(layer);
            var attnOut = new Group(modules, _m.ModuleNameIndexes(layer), LinearRole.AttentionOutput, _r, HeldBytes);
            bool projSaves = attnOut.Count > 0 && SavesInput(BlockTrains(layer));
            return (AttentionCore(_m.QDim, _m.KvDim, projSaves) - Attention(_m.QDim, _m.KvDim, projSaves)) / _stage.Tensor;
        }

        /// <summary>
        /// Gated DeltaNet through the kernels transformers uses when flash-linear-attention and causal-conv1d are installed
        /// (modular_qwen3_5.py@009e78d Qwen3_5GatedDeltaNet.forward, modular_qwen3_next.py@043bb8d): causal_conv1d_fn
        /// keeps its input, the in_proj_qkv output; q, k and v are views of its output, which stays alive; the
        /// chunk_gated_delta_rule Function keeps the l2-normalized q and k (repeated to the value heads) with their fp32
        /// inverse norms, v, the fp32 cumulative decay g, beta and the chunk's 64-wide lower-triangular A per head;
        /// softplus keeps its fp32 input; the gated RMSNorm keeps the core output and the gate z; out_proj its input.
        /// </summary>
        private double GatedDeltaNet(bool projectionSaves)
        {
            const int Chunk = 64;
            double k = _m.LinearKeyDim, v = _m.LinearValueDim, heads = _m.LinearValueHeads;
            double repeatedKeys = heads * _m.LinearKeyHeadDim;
            double conv = 2 * k + v;
            double sum = 2.0 * _c * conv + _c * 2.0 * repeatedKeys + heads * (4 + 4 + 8 + _c) + _c * heads * Chunk + 2.0 * _c * v;
            return sum + (projectionSaves ? _c * v : 0);
        }

        /// <summary>
        /// LFM2's short convolution (transformers models/lfm2/modeling_lfm2.py Lfm2ShortConv.slow_forward): B, C and x are
        /// views of the in_proj output, which the products B * x and C * conv keep alive; the convolution keeps its input
        /// B * x, the second product the convolution's output; out_proj keeps its contiguous input.
        /// </summary>
        private double ShortConvolution(bool projectionSaves)
        {
            double h = _m.HiddenSize;
            return _c * (3 * h + h + h) + (projectionSaves ? _c * h : 0);
        }

        private double Mlp(int layer, Group mlpOut, bool trains)
        {
            bool moe = _m.IsMoeLayer(layer);
            long width = moe ? _m.MoeIntermediateSize : _m.MlpWidthOf(layer);
            int copies = moe ? Math.Max(1, _m.ExpertsPerToken) : 1;
            bool gated = _m.Mlp == MlpKind.Gated;
            bool pythonGelu = _m.Activation == "gelu_new" && _t.GeluNewInPython;
            double intermediates = gated ? (_r.Has(Techniques.Compile) || _t.FusedActivation ? 2 : 3) : pythonGelu && !_r.Has(Techniques.Compile) ? 3 : 1;
            double sum = intermediates * _out * width;
            bool downSaves = mlpOut.Count > 0 && SavesInput(trains);
            // ReLU saves its output (torch tools/autograd/derivatives.yaml relu: threshold_backward(grad, result, 0)),
            // the very tensor the down projection reads and saves (OPT's fc1 -> relu -> fc2, modeling_opt.py
            // OPTDecoderLayer.forward): one tensor, counted once.
            bool reluOutputIsDownInput = !gated && _m.Activation == "relu" && _out == _c;
            if (downSaves && !reluOutputIsDownInput) sum += _c * (double)width;
            sum += Adapters(mlpOut, width, downSaves);
            sum *= copies;
            if (moe)
            {
                if (_m.SharedExperts > 0)
                {
                    long shared = _m.SharedExpertIntermediateSize > 0 ? _m.SharedExpertIntermediateSize : _m.MoeIntermediateSize * _m.SharedExperts;
                    sum += (gated ? 3 : 1) * _out * (double)shared + (downSaves ? _c * (double)shared : 0);
                }
            }
            return sum;
        }

        /// <summary>What the final norm and the head keep per token on this rank: the norm's input is a sequence shard, the head's input too unless it is saved gathered.</summary>
        private double Outside(double sequenceShards)
        {
            long h = _m.HiddenSize;
            // An encoder's embedding dropout keeps its 1-byte mask; its MLM head is not counted here.
            if (_m.Encoder) return h / sequenceShards;
            // BAdam leaves the final norm and the head frozen.
            bool fullHead = _r.Workload.Method == FinetuneMethod.Full && _r.Optimizer != OptimizerKind.BAdam;
            bool headTrains = fullHead || _r.HeadAdapted;
            double headInput = headTrains ? _c * (double)h : 0;
            return NormSaved(fullHead || _r.Adapter.Kind == AdapterKind.LNTuning) / sequenceShards + (GatheredInputs ? headInput : headInput / sequenceShards);
        }
    }
}
