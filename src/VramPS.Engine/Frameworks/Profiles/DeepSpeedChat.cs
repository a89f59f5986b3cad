using System.Collections.Generic;
using VramPS.Engine.Alignment;

namespace VramPS.Engine.Frameworks.Profiles
{
    /// <summary>
    /// Microsoft DeepSpeed-Chat (deepspeedai/DeepSpeedExamples applications/DeepSpeed-Chat, dschat): DeepSpeed's engine
    /// over transformers models for step 1 (SFT), step 2 (reward model, DPO) and step 3 (PPO with the hybrid engine).
    /// Sources read at DeepSpeedExamples 45b4b71.
    /// </summary>
    internal static class DeepSpeedChat
    {
        private const string Dschat = "DeepSpeedExamples applications/DeepSpeed-Chat/";
        private const string DsConfig = Dschat + "dschat/utils/ds_utils.py get_train_ds_config zero_opt_dict: ";

        public static FrameworkProfile Profile { get; } = DeepSpeed.Profile
            .WithoutRollout(Dschat + "dschat/rlhf/rlhf_engine.py: the actor's DeepSpeed hybrid engine generates itself, no vLLM engine: not read")
            .WithoutBitsandbytes(Dschat + "dschat/utils/model/model_utils.py create_hf_model loads no bitsandbytes base (QuantizedBase): not read") with
        {
            Zero3MaxLiveParameters = new Cited<long>(30_000_000, DsConfig + "\"stage3_max_live_parameters\": 3e7"),
            Zero3PrefetchBucketElements = new Cited<long>(30_000_000, DsConfig + "\"stage3_prefetch_bucket_size\": 3e7"),
            Framework = Framework.DeepSpeedChat,
            Name = "DeepSpeed-Chat",
            UnslothTakesRuns = new Cited<bool>(false, "DeepSpeed-Chat's own loops over DeepSpeed engines; Unsloth does not load them"),
            Summary = "DeepSpeed-Chat: SFT, reward model, DPO and PPO (hybrid engine, EMA) over DeepSpeed ZeRO",
            Versions = "DeepSpeed-Chat 2023-2025 (DeepSpeed 0.9-0.16)",
            RunsUnder = new Cited<Framework?>(null, Dschat + "training/*/main.py: each step is its own loop over DeepSpeed engines"),
            DefaultCheckpointing = new Cited<Checkpointing?>(null, Dschat + "training/*/main.py --gradient_checkpointing, --actor_gradient_checkpointing: store_true (off)",
                "no activation checkpointing (DeepSpeed-Chat's --gradient_checkpointing is off unless given)"),
            TransformersRelease = new Cited<System.Version?>(new System.Version(4, 29),
                Dschat + "requirements.txt@0eaa796 (the commit that published the training logs of 2023-04-18) installs git+https://github.com/huggingface/transformers, main of April 2023 (4.29.0.dev0)",
                "transformers 4.29 (main of April 2023, which DeepSpeed-Chat's published step logs ran)"),
            Optimizers = new Cited<IReadOnlyList<OptimizerKind>?>(new Text.ReadableList<OptimizerKind>(new[] { OptimizerKind.AdamW }, ", "),
                Dschat + "training/*/main.py: AdamOptimizer = DeepSpeedCPUAdam if args.offload else FusedAdam, betas (0.9, 0.95); no other optimizer"),
            OfferedTechniques = new Cited<Techniques?>(Techniques.None,
                Dschat + "dschat/utils/model/model_utils.py create_hf_model and training/*/main.py: plain transformers models and losses, no fused or chunked loss, no torch.compile, no activation offload"),
            AttentionKernels = new Cited<IReadOnlyList<AttentionKernel>?>(new Text.ReadableList<AttentionKernel>(new[] { AttentionKernel.Eager, AttentionKernel.Sdpa }, ", "),
                Dschat + "dschat/utils/model/model_utils.py create_hf_model: from_pretrained without attn_implementation, so transformers' default (eager before 4.36, SDPA after); never flash_attention_2"),
            AttentionFromRelease = new Cited<bool>(true,
                Dschat + "dschat/utils/model/model_utils.py create_hf_model: from_pretrained without attn_implementation; transformers' SDPA path arrived in 4.36"),
            DataParallelOnly = new Cited<bool>(true,
                Dschat + "training/*/main.py: DeepSpeed ZeRO data parallel only (--zero_stage, --actor_zero_stage); --inference_tp_size splits only the hybrid engine's generation"),
            FreezesLayers = new Cited<bool>(false, Dschat + "training/*/main.py: every weight trains, or with --only_optimize_lora only the LoRA factors; no block freezing"),
            PrecomputesReference = new Cited<bool>(false, Dschat + "training/step2_dpo_finetuning/main.py: ref_model(**batch) runs under no_grad in every step"),
            Fp16ByDefault = new Cited<bool>(true, Dschat + "training/*/main.py --dtype default 'fp16' (dschat/utils/ds_utils.py get_train_ds_config: fp16 enabled, dynamic loss scale)",
                "fp16 (DeepSpeed-Chat's --dtype default)"),
            DefaultBatchSize = new Cited<int?>(16, Dschat + "training/*/main.py --per_device_train_batch_size, step3 --per_device_generation_batch_size and --per_device_training_batch_size: default 16",
                "micro-batch 16 per GPU (DeepSpeed-Chat's --per_device_train_batch_size default)"),
            DefaultSequenceLength = new Cited<int?>(512, Dschat + "training/step1_supervised_finetuning/main.py --max_seq_len default 512 (data_utils pads every sample to it)",
                "sequence length 512 tokens, padded (DeepSpeed-Chat's --max_seq_len)"),
            DpoTransformersRelease = new Cited<System.Version?>(new System.Version(4, 47),
                Dschat + "training/step2_dpo_finetuning arrived on 2025-01-07 (#828, 1842b4f; its log ran 2025-01-02 with DeepSpeed 0.16.2), when requirements.txt's transformers>=4.31.0,!=4.33.2 resolved to 4.47.1 (2024-12-17)",
                "transformers 4.47 (the release when DeepSpeed-Chat's DPO script and its log were published, January 2025)"),
            ReferenceAlwaysCopy = new Cited<bool>(true, Dschat + "dschat/rlhf/rlhf_engine.py _init_ref and training/step2_dpo_finetuning/main.py: create_hf_model loads a second model from the actor's checkpoint, without LoRA, whatever --actor_lora_dim or --lora_dim",
                "the reference is a second model loaded from the policy's checkpoint, also under LoRA (DeepSpeed-Chat's _init_ref)"),
            AllLinearLoraTargets = new Cited<bool>(true, Dschat + "dschat/utils/module/lora.py convert_linear_layer_to_lora: every nn.Linear under --lora_module_name (default \"decoder.layers.\")",
                "LoRA on every linear of the blocks (DeepSpeed-Chat's --lora_module_name decoder.layers.)"),
            AdaptersInComputeDtype = new Cited<bool>(true, Dschat + "dschat/utils/module/lora.py LinearLayer_LoRA: the LoRA factors are module parameters that DeepSpeed's fp16/bf16 engine casts with the model"),
            Adapters = new Cited<IReadOnlyList<AdapterKind>?>(new[] { AdapterKind.LoRA }, Dschat + "dschat/utils/module/lora.py: its own LoRA; --lora_dim with --only_optimize_lora is -Method LoRA, --lora_dim alone trains every weight beside the factors (-Method Full)"),
            QuantizedBase = new Cited<bool>(false, Dschat + "dschat/utils/model/model_utils.py create_hf_model: no bitsandbytes base"),
            LoraDropout = new Cited<double>(0.0, Dschat + "dschat/utils/module/lora.py LinearLayer_LoRA lora_droppout=0"),
            AlignmentStages = new Cited<bool>(true, Dschat + "training/step2_reward_model_finetuning, step2_dpo_finetuning, step3_rlhf_finetuning"),
            Stages = new Cited<IReadOnlyList<TrainingStage>?>(new Text.ReadableList<TrainingStage>(new[] { TrainingStage.RewardModel, TrainingStage.Dpo, TrainingStage.Ppo }, ", "),
                Dschat + "training: step 2 reward model and DPO, step 3 PPO (no ORPO, SimPO, KTO or GRPO)"),
            StageCheckpointing = new Cited<bool>(false, Dschat + "training/step2_*/main.py --gradient_checkpointing and step3 main.py --actor_gradient_checkpointing, --critic_gradient_checkpointing: store_true",
                "activation checkpointing off (DeepSpeed-Chat's --gradient_checkpointing flags are off unless given)"),
            PreferenceLength = new Cited<int?>(512, Dschat + "training/step2_reward_model_finetuning/main.py and step2_dpo_finetuning/main.py --max_seq_len default 512",
                "sequence length 512 tokens (DeepSpeed-Chat's --max_seq_len)"),
            PromptLength = new Cited<int?>(256, Dschat + "training/step3_rlhf_finetuning/main.py --max_prompt_seq_len default 256",
                "prompts of 256 tokens (DeepSpeed-Chat's --max_prompt_seq_len)"),
            GenerationLength = new Cited<int?>(256, Dschat + "training/step3_rlhf_finetuning/main.py --max_answer_seq_len default 256",
                "256 generated tokens (DeepSpeed-Chat's --max_answer_seq_len)"),
            FrozenModelsSixteenBit = new Cited<bool>(true,
                Dschat + "dschat/utils/ds_utils.py get_eval_ds_config: fp16 or bf16 enabled, so reference, reward and EMA engines hold 16-bit weights; rlhf_engine.py _init_ref, _init_ema, _init_reward: ZeRO stage 3 only when the trained model's is 3, else 0",
                "reference, reward and EMA weights on the GPU (DeepSpeed-Chat's --offload_reference_model and --offload_reward_model, which move them to the host under ZeRO-3, are not modelled)"),
            SequentialPpoUpdates = new Cited<bool>(true,
                Dschat + "dschat/rlhf/ppo_trainer.py train_rlhf: the actor's forward, backward and step, then the critic's forward_value, backward and step, each its own DeepSpeed engine"),
            Generation = new Cited<RolloutGeneration>(RolloutGeneration.HybridEngine,
                Dschat + "training/step3_rlhf_finetuning/training_scripts pass --enable_hybrid_engine: DeepSpeedHybridEngine generate with a KV workspace for max_out_tokens (prompt plus answer); ZeRO-3 gathers the actor for it",
                "the actor generates through DeepSpeed's hybrid engine (--enable_hybrid_engine)"),
            RolloutFraction = new Cited<double?>(null, Dschat + "dschat/rlhf/ppo_trainer.py _generate_sequence: the actor generates itself, no separate engine"),
            ReduceBuffers = new Cited<int>(2, Dschat + "dschat/utils/ds_utils.py get_train_ds_config overlap_comm True: deepspeed/runtime/zero/stage_1_and_2.py backward allocates two ipg buffers of reduce_bucket_size (\"double buffers to avoid data access conflict\")"),
            OutputKept = new Cited<OutputLifetime>(OutputLifetime.UntilNextForward, Dschat + "training/step1_supervised_finetuning/main.py: outputs = model(**batch, use_cache=False); model.backward(outputs.loss); model.step(): outputs and its logits live until the next iteration's forward returns"),
            EmaCopy = new Cited<bool>(true, Dschat + "dschat/rlhf/rlhf_engine.py _init_ema (--enable_ema): a second actor updated by utils.py moving_average"),
            DefaultLoraRank = new Cited<int>(8, Dschat + "training/*/main.py --lora_dim default 0 (LoRA off); VramPS takes rank 8 where a LoRA run does not say (a guess: its example scripts set 128)", "LoRA rank 8 (peft's default)"),
            PartialTraining = new Cited<bool>(true, Dschat + "dschat/utils/module/lora.py only_optimize_lora_parameters: --only_optimize_lora sets requires_grad False on every weight but the LoRA factors"),
            SimPoChosenNll = new Cited<bool>(true, Dschat + "training: no SimPO stage (Stages), so not read"),
            QkvZeroPadKeepsLoraOutput = new Cited<bool>(false, Dschat + "dschat/utils/module/lora.py LinearLayer_LoRA.forward: each adapted linear adds its own LoRA output, nothing padded"),
            OneAdapterPerFusedLinear = new Cited<bool>(false, Dschat + "dschat/utils/module/lora.py convert_linear_layer_to_lora: one LinearLayer_LoRA per nn.Linear of the transformers model, which keeps q, k, v, gate and up apart (Llama-style)"),
            FusedKernelsFuseLora = new Cited<bool>(false, Dschat + "dschat/utils/module/lora.py LinearLayer_LoRA runs its LoRA branch in PyTorch ops"),
            OffloadsBetweenPhases = new Cited<bool>(false, Dschat + "training/step3_rlhf_finetuning/main.py --offload and --offload_reference_model are DeepSpeed ZeRO offload through the step, not offload between phases"),
            FrozenModelsOnHost = new Cited<bool>(false, Dschat + "dschat/rlhf/rlhf_engine.py _init_ref, _init_reward: the reference and reward engines on the GPU unless --offload_reference_model / --offload_reward_model (not modelled)"),
            PpoReferenceOnlyWithKl = new Cited<bool>(false, Dschat + "dschat/rlhf/rlhf_engine.py DeepSpeedRLHFEngine.__init__ builds the reference (_init_ref) whatever the KL coefficient"),
            GrpoKbitUpcast = new Cited<bool>(false, Dschat + "training: no GRPO stage (Stages), so not read"),
            GrpoQuantizedAdapters16Bit = new Cited<bool>(true, Dschat + "training: no GRPO stage (Stages), so not read"),
            GrpoLossPerSequence = new Cited<bool>(false, Dschat + "training: no GRPO stage (Stages), so not read"),
            DefaultKlCoefficient = new Cited<double>(0.1,
                Dschat + "dschat/rlhf/ppo_trainer.py DeepSpeedPPOTrainer.__init__: self.kl_ctl = 0.1 (\"Those value can be changed\"), a constant; its PPO loads the reference whatever it is (PpoReferenceOnlyWithKl)",
                "KL coefficient 0.1 (DeepSpeed-Chat's kl_ctl)"),
        };
    }
}
