using VramPS.Engine.Models;

namespace VramPS.Engine.Estimation
{
    /// <summary>
    /// The linears of a block that one adapter pair each wraps, as the framework's model builds them: each module on its
    /// own, or, where the profile's adapters wrap fused linears whole (OneAdapterPerFusedLinear), the modules built into
    /// one linear (LinearModule.JoinsPrevious) as that linear: their input once, their output widths summed, adapted when
    /// the targets name any of them.
    /// </summary>
    internal static class AdaptedLinears
    {
        /// <summary>Whether module j is part of the linear the module before it starts (so no adapter of its own).</summary>
        public static bool JoinsPrevious(ResolvedRecipe r, LinearModule[] modules, int j) =>
            j > 0 && modules[j].JoinsPrevious && r.Profile.OneAdapterPerFusedLinear.Value;

        /// <summary>The linear that module j starts: whether an adapter wraps it, and its output width.</summary>
        public static (bool Adapted, long OutFeatures) StartingAt(ResolvedRecipe r, LinearModule[] modules, int[] names, int j)
        {
            bool adapted = modules[j].Role != LinearRole.Router && r.AdaptsName(names[j]);
            long outFeatures = modules[j].OutFeatures;
            for (int k = j + 1; k < modules.Length && JoinsPrevious(r, modules, k); k++)
            {
                adapted |= r.AdaptsName(names[k]);
                outFeatures += modules[k].OutFeatures;
            }
            return (adapted, outFeatures);
        }
    }
}
