using System.Linq;
using VramPS.Engine.Estimation;
using VramPS.Engine.Models;

namespace VramPS.Engine.Alignment
{
    /// <summary>
    /// A model of the cast that only runs forwards (a separate reference copy, PPO's and GRPO's reward model): weights
    /// and nothing else between its forwards. TRL loads it with the policy's model_init_kwargs (dpo_trainer.py,
    /// grpo_trainer.py, examples/scripts/ppo/ppo.py), so its dtype is the policy's load dtype (fp32 under autocast over
    /// fp32 weights, 16-bit for pure 16-bit runs and adapters' bases) and its block linears are 4-bit when the policy's
    /// base is (OpenRLHF's launcher.py loads reference and reward models with the actor's load_in_4bit as well).
    /// prepare_deepspeed (trl/models/utils.py) keeps ZeRO-3 for it, so its weights shard, and otherwise initializes it
    /// at stage 0 in DeepSpeed's 16-bit dtype on every GPU. Frameworks that hold frozen models in the compute dtype
    /// (FrameworkProfile.FrozenModelsSixteenBit: DeepSpeed-Chat's eval config, verl's bf16 reference) do so at any stage;
    /// where the framework wraps them with FSDP's CPUOffload (FrameworkProfile.FrozenModelsOnHost: verl) the rank's share
    /// stays on the host and only the units its forward gathers come onto the GPU.
    /// </summary>
    internal sealed class FrozenModel
    {
        public FrozenModel(Workload policy, ResolvedRecipe policyRecipe, TrainerBehavior policyBehavior, ModelArchitecture model, int sequenceLength)
        {
            var member = policy.WithModel(model);
            member.Method = FinetuneMethod.Full;
            member.BatchSize = 1;
            member.SequenceLength = sequenceLength;
            member.Precision = policyRecipe.Precision;
            member.ClearAdapter();
            member.Quantization = null;
            member.TrainableLayers = null;
            // The policy's sequence length already holds its image tokens; a frozen vision tower saves nothing.
            member.ImageWidth = null;
            member.ImageHeight = null;
            member.VisionTokens = null;
            member.VisionTower = null;
            member.ImagesPerSample = 0;
            var recipe = new ResolvedRecipe(member);
            var behavior = new TrainerBehavior(recipe);
            var whole = PipelineStage.WholeModel(recipe.Model.NumLayers);
            var budget = new ParameterBudget(recipe, behavior, whole);
            Forward = new ForwardPass(recipe, budget, new ActivationMemory(recipe, behavior, whole));

            int c = TrainerBehavior.ComputeBytes(recipe.Precision);
            bool sharded = recipe.Sharding != Sharding.None;
            bool pure = recipe.Precision == Precision.Bf16 || recipe.Precision == Precision.Fp16;
            double weights;
            if (policy.Method == FinetuneMethod.QLoRA)
            {
                long quantizable = Enumerable.Range(0, model.NumLayers).Sum(i => model.LinearModules(i).Sum(x => x.Parameters));
                double bits = policyRecipe.Quantization == Quantization.Int8 ? 8 + 32.0 / 4096
                    : policyBehavior.DoubleQuant ? ModelStateMemory.Nf4DoubleQuantBits : ModelStateMemory.Nf4Bits;
                weights = quantizable * bits / 8 + (model.TotalParameters - quantizable) * 2.0;
            }
            else
            {
                weights = model.TotalParameters * (double)(sharded || pure || policyRecipe.Profile.FrozenModelsSixteenBit.Value ? c : 4);
            }
            bool zero3 = recipe.Sharding == Sharding.Zero3 && recipe.GpuCount > 1;
            double shard = zero3 ? weights / recipe.GpuCount : weights;
            bool onHost = policyRecipe.Profile.FrozenModelsOnHost.Value;
            StoredWeights = onHost ? 0 : shard;
            HostWeights = onHost ? shard : 0;
        }

        /// <summary>Its weights on one GPU between forwards.</summary>
        public double StoredWeights { get; }
        /// <summary>Its weights one rank keeps on the host (FrameworkProfile.FrozenModelsOnHost).</summary>
        public double HostWeights { get; }

        public ForwardPass Forward { get; }

        public Terms Resident => Terms.WeightsOnly(StoredWeights);
    }
}
