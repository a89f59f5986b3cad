using VramPS.Engine.Models;
namespace VramPS.Engine.Frameworks.Profiles
{
    /// <summary>LLaMA-Factory: transformers' Trainer with its own adapter setup, checkpointing and defaults.</summary>
    internal static class LlamaFactory
    {
        public static FrameworkProfile Profile { get; } = HfTrainer.Profile with
        {
            Framework = Framework.LlamaFactory,
            Name = "LLaMA-Factory",
            UnslothTakesRuns = new Cited<bool>(false, "LLaMA-Factory's own recipe; it offers Unsloth itself (use_unsloth), a setting of that stack"),
            Summary = "LLaMA-Factory (transformers Trainer, its own adapter setup and checkpointing)",
            Versions = "LLaMA-Factory 0.8-0.9",
            DefaultCheckpointing = new Cited<Checkpointing?>(Checkpointing.Full,
                "src/llamafactory/hparams/model_args.py disable_gradient_checkpointing False",
                "activation checkpointing on (LLaMA-Factory's default)"),
            AllLinearLoraTargets = new Cited<bool>(true, "src/llamafactory/hparams/finetuning_args.py lora_target default \"all\"",
                "LoRA on every linear of the blocks (LLaMA-Factory's lora_target: all)"),
            DefaultVisionTraining = new Cited<VisionTraining?>(VisionTraining.Frozen,
                "src/llamafactory/hparams/finetuning_args.py freeze_vision_tower True, freeze_multi_modal_projector True",
                "vision tower and projector frozen (LLaMA-Factory's freeze_vision_tower and freeze_multi_modal_projector)"),
            ReentrantCheckpointing = new Cited<bool>(false,
                "src/llamafactory/model/model_utils/checkpointing.py get_custom_gradient_checkpointing_func: requires_grad only on trained blocks' inputs"),
            KeepsModelCache = new Cited<bool>(false, "src/llamafactory/model/model_utils/checkpointing.py prepare_model_for_training: model.config.use_cache = False when gradient checkpointing is on"),
            KbitPreparationUpcast = new Cited<bool>(false, "src/llamafactory/model/patcher.py: no prepare_model_for_kbit_training; norms upcast only with upcast_layernorm"),
            LoraDropout = new Cited<double>(0.0, "src/llamafactory/hparams/finetuning_args.py lora_dropout 0.0"),
            SimPoChosenNll = new Cited<bool>(false,
                "src/llamafactory/hparams/finetuning_args.py pref_ftx 0.0: its CustomDPOTrainer's pref_loss simpo adds no supervised term"),
            BlockOptimizer = new Cited<bool>(true,
                "src/llamafactory/train/trainer_utils.py _create_badam_optimizer: BAdam's BlockOptimizer under use_badam, badam_mode layer"),
            UpcastsOnlyTrainable = new Cited<bool>(true,
                "src/llamafactory/model/adapter.py init_adapter \"Upcasting trainable params to float32\", _setup_freeze_tuning"),
        };
    }
}
