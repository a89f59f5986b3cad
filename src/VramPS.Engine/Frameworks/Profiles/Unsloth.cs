using VramPS.Engine.Models;
namespace VramPS.Engine.Frameworks.Profiles
{
    /// <summary>Unsloth: transformers model code patched with its own kernels, checkpointing and adapter setup.</summary>
    internal static class Unsloth
    {
        public static FrameworkProfile Profile { get; } = HfTrainer.Profile with
        {
            Framework = Framework.Unsloth,
            Name = "Unsloth",
            Summary = "Unsloth (patched transformers models, fast cross-entropy, offloaded checkpoints)",
            Versions = "Unsloth 2024.11-2025.x",
            DefaultTechniques = new Cited<Techniques>(Techniques.ChunkedLoss | Techniques.FusedKernels,
                "unsloth/kernels: fast_cross_entropy_loss, fast_rms_layernorm, fast_rope_embedding, swiglu, fast_lora",
                "Unsloth's fast cross-entropy and fused RMSNorm, RoPE, SwiGLU and LoRA kernels"),
            DefaultCheckpointing = new Cited<Checkpointing?>(Checkpointing.Full,
                "FastLanguageModel.get_peft_model use_gradient_checkpointing=\"unsloth\"",
                "Unsloth's checkpointing: block inputs offloaded to host memory"),
            OffloadsCheckpoints = new Cited<bool>(true, "unsloth_zoo/gradient_checkpointing.py Unsloth_Offloaded_Gradient_Checkpointer: saved inputs to host"),
            DefaultVisionTraining = new Cited<VisionTraining?>(VisionTraining.Trained,
                "FastVisionModel.get_peft_model finetune_vision_layers=True",
                "vision layers adapted (Unsloth's finetune_vision_layers=True)"),
            RunsUnder = new Cited<Framework?>(Framework.HfTrainer,
                "unsloth/trainer.py UnslothTrainer subclasses TRL's SFTTrainer, a transformers.Trainer; Unsloth's notebooks also pass its model to transformers.Trainer (DeepSeek-OCR-2)"),
            TransformersTrainer = new Cited<bool>(false, "unsloth/models/llama.py replaces the model's forward and its autocast handling"),
            AlignmentStages = new Cited<bool>(true, "Unsloth patches TRL's trainers (PatchFastRL, unsloth/models/rl.py)"),
            KbitPreparationUpcast = new Cited<bool>(false, "unsloth/models/_utils.py prepare_model_for_kbit_training: no fp32 upcast of the non-quantized weights"),
            LoraDropout = new Cited<double>(0.0, "FastLanguageModel.get_peft_model lora_dropout 0"),
            GrpoLossPerSequence = new Cited<bool>(true,
                "unsloth_zoo/rl_replacements.py@069fb62 grpo_accumulated_loss: the model returns hidden states and UnslothEfficientGRPO takes n_chunks = batch size, each sequence's logits formed, log-softmaxed in four fp32 quarters (chunked_selective_log_softmax) and differentiated in the forward (torch.func.grad_and_value) into grad_inputs"),
            RolloutSharesWeights = new Cited<bool>(true,
                "unsloth_zoo/vllm_utils.py@069fb62 convert_vllm_to_huggingface: with fast_inference the trained model's layers use vLLM's weight tensors, one copy"),
            RolloutFractionOfFree = new Cited<bool>(true,
                "unsloth_zoo/vllm_utils.py@069fb62 approximate_vllm_memory_usage: gpu_memory_utilization x free memory (torch.cuda.mem_get_info) becomes vLLM's share of the total"),
            RolloutDefaultFraction = new Cited<double>(0.5, "unsloth/models/loader.py@ab6eb68 FastLanguageModel.from_pretrained gpu_memory_utilization = 0.5",
                "vLLM in the training process with 0.5 of the free memory (FastLanguageModel.from_pretrained's gpu_memory_utilization; -RolloutMemoryFraction sets it)"),
            RolloutServer = new Cited<bool>(false, "unsloth/models/loader.py fast_inference: vLLM is loaded in the training process only"),
            RolloutSleeps = new Cited<bool>(true,
                "unslothai/notebooks nb/Qwen3_(4B)-GRPO.ipynb@0114b77: os.environ[\"UNSLOTH_VLLM_STANDBY\"] = \"1\" (unsloth_zoo's own default is \"0\")",
                "vLLM in standby between generations, as Unsloth's GRPO notebooks set it (UNSLOTH_VLLM_STANDBY=1; -RolloutSleep:$false for without)"),
            RolloutSleepMinimumFraction = new Cited<double>(0.9,
                "unsloth_zoo/vllm_utils.py@069fb62 load_vllm: under standby a gpu_memory_utilization below 0.9 is raised to 0.9"),
            LossPath = new Cited<LossPath>(Frameworks.LossPath.UnslothFused,
                "unsloth_zoo/compiler.py apply_fused_lm_head puts unsloth_fused_ce_loss (unsloth_zoo/fused_losses.py UnslothFusedLoss) in place of lm_head and the loss"),
        };
    }
}
