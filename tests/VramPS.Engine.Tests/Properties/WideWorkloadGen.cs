using System;
using FsCheck;
using FsCheck.Fluent;
using VramPS.Engine.Alignment;
using VramPS.Engine.Errors;
using VramPS.Engine.Estimation;
using VramPS.Engine.Models;

namespace VramPS.Engine.Tests.Properties
{
    /// <summary>
    /// Workloads across catalog models (dense, tied and capped-logit, mixture-of-experts), every trainer, offload,
    /// techniques and tensor, pipeline and expert parallelism. Many draws are layouts VramPS refuses (a degree that does
    /// not divide); the generator keeps only those it estimates.
    /// </summary>
    internal static class WideWorkloadGen
    {
        private static readonly string[] Models =
        {
            "google/gemma-2-2b", "allenai/OLMo-2-0425-1B", "meta-llama/Llama-2-7b-hf", "mistralai/Mixtral-8x7B-v0.1", "Qwen/Qwen1.5-MoE-A2.7B",
            "allenai/OLMo-2-0325-32B",
        };

        private static readonly Framework[] Frameworks = (Framework[])Enum.GetValues(typeof(Framework));

        public static Arbitrary<Workload> Arbitrary() => Any().Where(Estimable).ToArbitrary();

        public static bool Estimable(Workload w)
        {
            try
            {
                MemoryEstimator.Estimate(w);
                return true;
            }
            catch (InvalidWorkloadException)
            {
                return false;
            }
        }

        private static Gen<Workload> Any() =>
            from model in Gen.Elements(Models)
            from method in Gen.Elements(FinetuneMethod.Full, FinetuneMethod.Freeze, FinetuneMethod.LoRA, FinetuneMethod.QLoRA)
            from precision in Gen.Elements(Precision.Bf16, Precision.Bf16Mixed, Precision.Fp32, Precision.Fp16Mixed)
            from optimizer in Gen.Elements(OptimizerKind.AdamW, OptimizerKind.AdamW8bit, OptimizerKind.PagedAdamW, OptimizerKind.SGD, OptimizerKind.Adafactor, OptimizerKind.Lion)
            from batch in Gen.Choose(1, 8)
            from seq in Gen.Choose(16, 4096)
            from accumulation in Gen.Elements(1, 4)
            from checkpointing in Gen.Elements(Checkpointing.None, Checkpointing.Full, Checkpointing.Selective)
            from attention in Gen.Elements(AttentionKernel.Flash, AttentionKernel.Sdpa, AttentionKernel.Eager)
            from rank in Gen.Choose(1, 64)
            from gpus in Gen.Elements(1, 2, 3, 4, 6, 8, 16, 64)
            from sharding in Gen.Elements(Sharding.None, Sharding.Zero1, Sharding.Zero2, Sharding.Zero3)
            from offload in Gen.Elements(Offload.None, Offload.None, Offload.Optimizer, Offload.OptimizerAndParameters)
            from framework in Gen.Elements(Frameworks)
            from techniques in Gen.Elements(Techniques.None, Techniques.ChunkedLoss, Techniques.FusedLinearLoss | Techniques.FusedKernels, Techniques.ActivationOffload, Techniques.OptimizerInBackward)
            from tensor in Gen.Elements(1, 1, 2)
            from pipeline in Gen.Elements(1, 1, 2)
            from expert in Gen.Elements(1, 1, 2, 4)
            from context in Gen.Elements(1, 1, 2)
            from stage in Gen.Elements(TrainingStage.Sft, TrainingStage.Sft, TrainingStage.Sft, TrainingStage.Dpo, TrainingStage.Kto, TrainingStage.Orpo, TrainingStage.RewardModel, TrainingStage.Ppo, TrainingStage.Grpo)
            from sequenceParallel in Gen.Elements(false, true)
            select new Workload(ModelCatalog.Default.Get(model))
            {
                Method = method,
                Precision = precision,
                Optimizer = optimizer,
                BatchSize = batch,
                SequenceLength = seq,
                GradientAccumulation = accumulation,
                Checkpointing = checkpointing,
                Attention = attention,
                LoraRank = rank,
                GpuCount = gpus,
                Sharding = sharding,
                Offload = offload,
                Framework = framework,
                Techniques = techniques,
                TensorParallel = tensor,
                PipelineParallel = pipeline,
                ExpertParallel = expert,
                ContextParallel = context,
                Stage = stage,
                SequenceParallel = sequenceParallel,
            };
    }
}
