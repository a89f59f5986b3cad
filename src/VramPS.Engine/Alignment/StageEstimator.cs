using System;
using System.Collections.Generic;
using System.Linq;
using VramPS.Engine.Estimation;

namespace VramPS.Engine.Alignment
{
    /// <summary>
    /// Estimates an alignment stage: the cast of models, each laid out with the SFT memory model or as a frozen
    /// forward, over the stage's moments (generation, scoring, the update's phases); the peak is the largest moment.
    /// </summary>
    public static class StageEstimator
    {
        public static TrainingMemoryEstimate Estimate(Workload workload)
        {
            var s = new StageRecipe(workload);
            var notes = new List<string>(s.Assumptions);
            var cast = new StageCast(s, notes);
            double kvCache = 0;
            var stagePhases = s.Stage switch
            {
                TrainingStage.Ppo or TrainingStage.Grpo when s.Profile.SequentialPpoUpdates.Value => SequentialRlLayout.Phases(s, cast, out kvCache),
                TrainingStage.Ppo => PpoLayout.Phases(s, cast, out kvCache),
                TrainingStage.Grpo => GrpoLayout.Phases(s, cast, out kvCache),
                _ => OfflineLayout.Phases(s, cast),
            };

            var phases = stagePhases.Select(p => p.Memory()).ToArray();
            int peakIndex = 0;
            for (int i = 1; i < phases.Length; i++)
            {
                if (phases[i].Allocated > phases[peakIndex].Allocated) peakIndex = i;
            }
            var peak = phases[peakIndex];
            long paged = cast.Policy.PagedStates + (cast.Value?.PagedStates ?? 0);
            long reserved = RuntimeMemory.Reserved(phases, p => cast.Engine is null ? 0 : Checked.Bytes(cast.Engine.HeldInOther(p)), s.Policy.Model.NumLayers,
                cast.Policy.GatherStreamPool + (cast.Value?.GatherStreamPool ?? 0), stepCache: cast.Policy.StepCache + (cast.Value?.StepCache ?? 0),
                stepOnlySegments: cast.Policy.StepOnlySegments + (cast.Value?.StepOnlySegments ?? 0));
            long device = Checked.Sum(reserved, RuntimeMemory.Context(workload.Gpu), RuntimeMemory.Nccl(s.Policy.GpuCount), paged);
            if (paged > 0) notes.Add("paged optimizer states live in managed memory: counted in Total, not in Allocated");

            var estimate = new TrainingMemoryEstimate(workload, s.Policy)
            {
                Parameters = s.Policy.Model.TotalParameters,
                TrainableParameters = cast.Policy.Budget.Trainable + (cast.Value?.Budget.Trainable ?? 0),
                Reserved = reserved,
                Total = device,
                HostMemory = Estimation.HostMemory.PerNode(Checked.Add(Checked.Add(cast.Policy.HostMemory, cast.Value?.HostMemory ?? 0),
                    Checked.Bytes((cast.Reference?.HostWeights ?? 0) + (cast.Reward?.HostWeights ?? 0))), s.Policy),
                Nodes = Estimation.HostMemory.Nodes(s.Policy),
                Phases = Array.AsReadOnly(phases),
                Assumptions = notes.Distinct().ToArray(),
                Stage = s.Stage,
                Models = stagePhases[peakIndex].Models(),
                KvCache = Checked.Bytes(kvCache),
                ForwardBatch = s.Rows,
                RolloutBatch = s.RolloutBatch,
                RewardModel = workload.RewardModel is null ? null : s.RewardName,
                NumGenerations = s.NumGenerations,
                PromptLength = s.PromptLength,
                GenerationLength = s.GenerationLength,
                RolloutMemoryFraction = s.RolloutFraction,
                RolloutSleep = s.RolloutFraction is null ? null : s.RolloutSleep,
                VllmMode = s.RolloutServer ? Alignment.VllmMode.Server : s.RolloutFraction is null ? null : Alignment.VllmMode.Colocate,
                PrecomputeReferenceLogProbs = workload.PrecomputeReferenceLogProbs,
                KlCoefficient = workload.KlCoefficient,
            };
            estimate.SetPeak(peak);
            return estimate;
        }
    }
}
