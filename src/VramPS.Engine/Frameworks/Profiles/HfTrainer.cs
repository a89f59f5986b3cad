using System.Collections.Generic;
using System;
using VramPS.Engine.Models;

namespace VramPS.Engine.Frameworks.Profiles
{
    /// <summary>transformers' Trainer (and TRL's SFTTrainer over it) with peft adapters: the stack most others build on.</summary>
    internal static class HfTrainer
    {
        public static FrameworkProfile Profile { get; } = new FrameworkProfile
        {
            Framework = Framework.HfTrainer,
            Name = "HF-Trainer",
            Summary = "transformers Trainer / TRL SFTTrainer, peft adapters",
            Versions = "transformers 4.40-5.x, peft 0.10-0.17, TRL 0.14-1.9",
            TransformersRelease = new Cited<Version?>(new Version(4, 46),
                "the 2024 transformers releases behind most published runs",
                "transformers 4.46-4.49 loss path (bf16 logits kept, fp32 copy, shifted copy)"),
            DefaultTechniques = new Cited<Techniques>(Techniques.None, "Trainer: no fused kernels unless asked (use_liger_kernel False, torch_compile False)"),
            DefaultCheckpointing = new Cited<Checkpointing?>(null,
                "Trainer: gradient_checkpointing False; peft/utils/other.py prepare_model_for_kbit_training(use_gradient_checkpointing=True) turns it on for QLoRA"),
            OffloadsCheckpoints = new Cited<bool>(false, "transformers gradient_checkpointing_enable keeps the checkpoints on the GPU"),
            DefaultAttention = new Cited<AttentionKernel?>(null,
                "transformers attn_implementation sdpa by default; Gemma2PreTrainedModel._check_and_enable_sdpa swaps in eager on 4.42-4.47 (\"DISABLE torch SDPA by default on Gemma2 models\")"),
            AllLinearLoraTargets = new Cited<bool>(false, "peft/utils/constants.py TRANSFORMERS_MODELS_TO_LORA_TARGET_MODULES_MAPPING (q_proj, v_proj)"),
            FullTrainsLoadedDtype = new Cited<bool>(false, "the Trainer's --bf16 over a model loaded in fp32 (from_pretrained's default torch_dtype): fp32 weights, bf16 autocast"),
            DefaultVisionTraining = new Cited<VisionTraining?>(null, "Trainer and TRL train every parameter that requires grad; peft matches target names in the whole model"),
            TransformersTrainer = new Cited<bool>(true, "transformers/trainer.py with accelerate: autocast, transformers model code"),
            RunsUnder = new Cited<Framework?>(null, "transformers/trainer.py Trainer is the loop itself"),
            PartialTraining = new Cited<bool>(true, "peft get_peft_model (LoRA, QLoRA over bitsandbytes); requires_grad_(False) on frozen blocks"),
            TensorParallelSplitsSequence = new Cited<bool>(false, "sequence parallelism only where the workload asks for it (-SequenceParallel; Megatron-LM --sequence-parallel)"),
            PipelineSplitsBatch = new Cited<bool>(false, "-BatchSize is the micro-batch and -GradientAccumulation the micro-batches per step (Megatron-LM --micro-batch-size)"),
            AlignmentStages = new Cited<bool>(true, "TRL trl/trainer/*_trainer.py subclass transformers.Trainer"),
            SimPoChosenNll = new Cited<bool>(true,
                "trl@f2cd577 trl/experimental/cpo/cpo_config.py cpo_alpha 1.0: SimPO runs CPOTrainer with loss_type simpo, whose concatenated_forward adds cross_entropy_loss over the chosen half"),
            SelectiveRecompute = new Cited<SelectiveRecompute>(Frameworks.SelectiveRecompute.None, "transformers gradient_checkpointing is on or off, whole blocks (modeling_utils.py gradient_checkpointing_enable)"),
            ReentrantCheckpointing = new Cited<bool>(true, "transformers modeling_utils.py gradient_checkpointing_enable: use_reentrant=True unless gradient_checkpointing_kwargs say otherwise"),
            AdaptersInComputeDtype = new Cited<bool>(false, "peft tuners_utils.py autocast_adapter_dtype=True: adapters upcast to fp32"),
            QuantizedBase = new Cited<bool>(true, "transformers BitsAndBytesConfig (load_in_4bit, load_in_8bit): bitsandbytes Linear4bit / Linear8bitLt"),
            KbitPreparationUpcast = new Cited<bool>(true, "peft/utils/other.py prepare_model_for_kbit_training: every non-quantized parameter to fp32 (TRL SFTTrainer calls it)"),
            Adapters = new Cited<IReadOnlyList<AdapterKind>?>(null, "peft get_peft_model: any peft config (LoRA and its variants, IA3, VeRA, LoHa, LoKr, OFT, BOFT, prompt methods ...)"),
            BlockOptimizer = new Cited<bool>(false, "transformers/training_args.py OptimizerNames: no block-wise optimizer (BAdam is LLaMA-Factory's use_badam)"),
            AutocastsSixteenBitModel = new Cited<bool>(true, "transformers/trainer.py --bf16 / --fp16: accelerate's autocast wraps the forward whatever dtype the model was loaded in"),
            LoraDropout = new Cited<double>(0.0, "peft LoraConfig lora_dropout default 0.0"),
            FusedQkvAdapters = new Cited<bool>(false, "transformers Llama-style models keep q_proj, k_proj, v_proj separate"),
            FusedKernelsFuseLora = new Cited<bool>(false, "Liger and compiled kernels fuse norms, RoPE and SwiGLU, not peft's LoRA branch"),
            Nf4OnlyAdaptedLinears = new Cited<bool>(false, "bitsandbytes Linear4bit replaces every linear of the blocks and saves its input (bitsandbytes/autograd/_functions.py MatMul4Bit)"),
            DoubleQuant = new Cited<bool>(true, "the QLoRA recipe (Dettmers et al. 2023): bnb_4bit_use_double_quant=True"),
            UpcastsOnlyTrainable = new Cited<bool>(false, "Trainer --bf16 over an fp32 load: every parameter fp32"),
            ChunkedHead = new Cited<bool>(false, "transformers *ForCausalLM: one lm_head call over every position"),
            SoftcapAttentionByHand = new Cited<bool>(false, "transformers passes softcapping to the attention function it dispatches to"),
            SeparateHead = new Cited<bool>(false, "transformers tie_weights: a tied checkpoint shares embedding and head"),
            FusedNorms = new Cited<bool>(false, "transformers RMSNorm/LayerNorm modules in PyTorch ops"),
            FusedSoftmax = new Cited<bool>(false, "transformers eager attention: matmul, softmax, dropout as separate ops"),
            FusedActivation = new Cited<bool>(false, "transformers MLP: act_fn(gate_proj(x)) * up_proj(x) as separate ops"),
            LossPath = new Cited<LossPath>(Frameworks.LossPath.Transformers, "transformers loss/loss_utils.py ForCausalLMLoss (4.46+), modeling_*.py logits.float() before 4.46"),
            FusedAdamW = new Cited<bool>(false, "Trainer optim adamw_torch: torch.optim.AdamW foreach implementation"),
            MasterCopyInOptimizer = new Cited<bool>(false, "Trainer --bf16 autocasts over fp32 weights; the optimizer steps them directly"),
            DdpBucketCopy = new Cited<bool>(true, "torch DistributedDataParallel gradient_as_bucket_view=False by default"),
            GathersModules = new Cited<bool>(false, "accelerate FSDP gathers wrapped units (transformer blocks)"),
            OffloadsGradients = new Cited<bool>(false, "FSDP CPUOffload moves parameters and their gradients with the optimizer step"),
            ReduceBucketElements = new Cited<long>(0, "FSDP reduce-scatters each unit's gradients; DDP buckets counted by DdpBucketCopy"),
            NoSyncUnshardedGradients = new Cited<bool>(false, "accelerate FSDP reduce-scatters on every micro-batch"),
        };
    }
}
