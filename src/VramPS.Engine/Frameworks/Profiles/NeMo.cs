using System.Collections.Generic;

namespace VramPS.Engine.Frameworks.Profiles
{
    /// <summary>
    /// NVIDIA NeMo 2.0 (nemo.collections.llm) and its successor Megatron-Bridge: Megatron-Core with Transformer Engine
    /// under NeMo's recipes (bf16 mixed precision, fp32 gradient reduction, the distributed optimizer) and NeMo's own
    /// LoRA on Megatron's parallel linears. Read at NVIDIA/NeMo 8cfedd7 (September 2025).
    /// </summary>
    internal static class NeMo
    {
        private const string NoStages = "nemo/collections/llm/api.py@8cfedd7: train, pretrain, finetune and distill, no preference or RL stage (AlignmentStages; NeMo-Aligner and NeMo-RL are not modelled): not read";
        private const string MegatronCore = "NeMo trains Megatron-Core's modules and schedules under nemo/lightning/pytorch/strategies/megatron_strategy.py MegatronStrategy: ";
        private const string NeMoRecipes = "NeMo 2's recipes and strategy (nemo/collections/llm/recipes, nemo/lightning): ";

        public static FrameworkProfile Profile { get; } = MegatronLM.Profile.WithoutStages(NoStages) with
        {
            Framework = Framework.NeMo,
            Name = "NeMo",
            UnslothTakesRuns = new Cited<bool>(false, "Megatron-core models, not transformers models; Unsloth patches transformers models only"),
            Synonyms = new[] { "Megatron-Bridge" },
            Summary = "NVIDIA NeMo 2.0 / Megatron-Bridge: Megatron-Core under NeMo's recipes, its LoRA and DoRA on Megatron's parallel linears",
            Versions = "NeMo 2.0-2.5 (nemo.collections.llm, read at 8cfedd7, September 2025); Megatron-Bridge's LoRA read at 2afd2d3",
            DefaultCheckpointing = new Cited<Checkpointing?>(null,
                "nemo/collections/llm/recipes/finetune_default.py@8cfedd7 default_finetune_trainer: no recompute set (Megatron-Core TransformerConfig recompute_granularity None)"),
            FullShardsOptimizer = new Cited<bool>(true,
                "nemo/collections/llm/recipes/optim/adam.py@8cfedd7 distributed_fused_adam_with_cosine_annealing: use_distributed_optimizer=True; the model recipes' LoRA branch sets it False (recipes/llama3_8b.py@8cfedd7 finetune_recipe)",
                "NeMo's distributed optimizer for full training (-Sharding Zero1: fp32 main parameters and Adam states over the data-parallel ranks)"),
            AllLinearLoraTargets = new Cited<bool>(true,
                "nemo/collections/llm/peft/lora.py@8cfedd7 and Megatron-Bridge src/megatron/bridge/peft/lora.py@2afd2d3 LoRA: target_modules ['linear_qkv', 'linear_proj', 'linear_fc1', 'linear_fc2']",
                "NeMo's LoRA target_modules linear_qkv, linear_proj, linear_fc1, linear_fc2 (every linear of the blocks)"),
            DefaultLoraRank = new Cited<int>(32,
                "nemo/collections/llm/peft/lora.py@8cfedd7 LoRA: dim 32, alpha 32 (dora.py DoRA: dim 32, alpha 64); Megatron-Bridge src/megatron/bridge/peft/lora.py@2afd2d3 the same, and its recipes' default_peft_config builds LoRA() unchanged; NeMo 2's per-model finetune_recipe sets dim 8, alpha 16 (recipes/llama3_8b.py@8cfedd7)",
                "LoRA dim 32 (NeMo's and Megatron-Bridge's LoRA default; NeMo 2's per-model finetune recipes set 8: give -LoraRank 8 for those)"),
            LoraDropout = new Cited<double>(0.0, "nemo/collections/llm/peft/lora.py@8cfedd7 LoRA: dropout 0.0, dropout_position 'pre' (no mask is kept)"),
            AdaptersInComputeDtype = new Cited<bool>(true,
                "nemo/collections/llm/peft/utils.py@8cfedd7 ParallelLinearAdapter: bfloat16() when the model config is bf16 (lora_dtype None: the model's dtype)"),
            FusedQkvAdapters = new Cited<bool>(true,
                "nemo/collections/llm/peft/lora.py@8cfedd7 LoRALinear: one adapter on Megatron's fused linear_qkv, fed its one input"),
            Adapters = new Cited<IReadOnlyList<AdapterKind>?>(new[] { AdapterKind.LoRA, AdapterKind.DoRA },
                "nemo/collections/llm/peft/__init__.py@8cfedd7 PEFT_STR2CLS: LoRA, DoRA, CanonicalLoRA (LoRA on q, k, v, gate and up apart)"),
            QuantizedBase = new Cited<bool>(false,
                "nemo/collections/llm/peft/lora.py@8cfedd7: bitsandbytes bases only through patch_linear_module on nn.Linear (the HF AutoModel path); Megatron-Core's Transformer Engine linears hold no NF4, FP4 or Int8 base"),
            AlignmentStages = new Cited<bool>(false,
                "nemo/collections/llm/api.py@8cfedd7: train, pretrain, finetune and distill, no preference or RL stage; NeMo's DPO and PPO live in NeMo-Aligner and NeMo-RL, not modelled"),
            DefaultTechniques = new Cited<Techniques>(Techniques.None, MegatronCore + "no Liger kernels or torch.compile; Megatron-Core's own fusions are read as FusedNorms, FusedSoftmax and FusedActivation"),
            OffloadsCheckpoints = new Cited<bool>(false, MegatronCore + "megatron/core/tensor_parallel/random.py CheckpointFunction keeps its checkpoints on the GPU"),
            FullTrainsLoadedDtype = new Cited<bool>(false, MegatronCore + "Float16Module casts the model to bf16 and the optimizer keeps fp32 main parameters (MasterCopyInOptimizer)"),
            Fp16ByDefault = new Cited<bool>(false, NeMoRecipes + "nemo/collections/llm/recipes/precision/mixed_precision.py@8cfedd7 bf16_mixed: the recipes train in bf16"),
            DefaultBatchSize = new Cited<int?>(null, NeMoRecipes + "VramPS takes micro-batch 1 where the run does not say (NeMo 2's finetune recipes set micro_batch_size 1)"),
            DefaultSequenceLength = new Cited<int?>(null, NeMoRecipes + "VramPS takes 2048 tokens where the run does not say (NeMo 2's finetune recipes, recipes/llama3_8b.py@8cfedd7, set seq_length 2048)"),
            RunsUnder = new Cited<Framework?>(null, NeMoRecipes + "nemo/collections/llm/api.py@8cfedd7 finetune: NeMo's Lightning trainer with MegatronStrategy is the loop itself"),
            PartialTraining = new Cited<bool>(true, NeMoRecipes + "nemo/collections/llm/peft/lora.py@8cfedd7 LoRA (PEFT.freeze_model): the base model frozen, the adapters trained"),
            TensorParallelSplitsSequence = new Cited<bool>(false, NeMoRecipes + "MegatronStrategy sequence_parallel False unless given (-SequenceParallel)"),
            PipelineMicroBatches = new Cited<PipelineMicroBatches>(Frameworks.PipelineMicroBatches.Given, NeMoRecipes + "the recipe's micro_batch_size is the micro-batch and global_batch_size / (micro-batch x data-parallel) the micro-batches per step (-GradientAccumulation)"),
            PipelineHoldsUnshardedStage = new Cited<bool>(false, MegatronCore + "megatron/core/optimizer/distrib_optimizer.py gathers parameters into the model's own buffer, no extra gathered copy per stage"),
            PipelineKeepsMicroBatchTensors = new Cited<bool>(false, MegatronCore + "megatron/core/pipeline_parallel/schedules.py deallocate_output_tensor frees each micro-batch's output once it is sent"),
            PipelineKeepsOutputs = new Cited<bool>(false, MegatronCore + "megatron/core/pipeline_parallel/schedules.py forward_step: the last stage returns each micro-batch's loss, not its output"),
            OfferedTechniques = new Cited<Techniques?>(null, MegatronCore + "VramPS reads the techniques a run names (-Techniques)"),
            DataParallelOnly = new Cited<bool>(false, NeMoRecipes + "nemo/lightning/pytorch/strategies/megatron_strategy.py MegatronStrategy tensor_model_parallel_size, pipeline_model_parallel_size, context_parallel_size, expert_model_parallel_size"),
            BlockOptimizer = new Cited<bool>(false, MegatronCore + "megatron/core/optimizer/__init__.py builds Adam or SGD over every trainable parameter, no block-wise optimizer"),
            AutocastsSixteenBitModel = new Cited<bool>(true, MegatronCore + "megatron/core/transformer/module.py Float16Module runs the 16-bit model; Transformer Engine casts what it reads"),
            QkvZeroPadKeepsLoraOutput = new Cited<bool>(false, NeMoRecipes + "nemo/collections/llm/peft/utils.py@8cfedd7 ParallelLinearAdapter: one adapter per wrapped linear adds its own output, nothing padded"),
            FusedKernelsFuseLora = new Cited<bool>(false, NeMoRecipes + "nemo/collections/llm/peft/lora.py@8cfedd7 LoRALinear runs the adapter beside the Transformer Engine linear, outside its fused kernels"),
            UpcastsOnlyTrainable = new Cited<bool>(false, MegatronCore + "Megatron-Core's Float16Module casts every parameter to 16 bits and the optimizer keeps fp32 main copies"),
            OutputKept = new Cited<OutputLifetime>(OutputLifetime.UntilLoss, MegatronCore + "megatron/core/pipeline_parallel/schedules.py forward_step returns the loss alone: the logits are released before backward"),
            FusedLinearLossKeepsGradients = new Cited<bool>(true, MegatronCore + "no Liger fused linear cross-entropy (read only under -Techniques Liger)"),
            ZeroGradTakesTorchDefault = new Cited<bool>(true, MegatronCore + "Megatron-Core zeroes the persistent grad buffer (zero_grad_buffer) and the optimizer's zero_grad sets the fp32 main parameters' grads to None under torch's default"),
            ExpandableSegments = new Cited<bool>(false, MegatronCore + "VramPS takes torch's default PYTORCH_CUDA_ALLOC_CONF (expandable_segments False) unless the run's environment sets it"),
            DefaultSharding = new Cited<Sharding?>(null,
                "nemo/collections/llm/recipes/optim/adam.py@8cfedd7 distributed_fused_adam_with_cosine_annealing use_distributed_optimizer=True for full training, False in the LoRA recipes: FullShardsOptimizer decides"),
        };
    }
}
