using System;
using System.Globalization;
using System.Linq;
using System.Reflection;

namespace VramPS.Engine.Models
{
    /// <summary>
    /// Fills the defaults an architecture may leave out and finds the first value that makes no sense. Catalog entries
    /// (embedded or the user's) and architectures read from a config.json pass through the same rules.
    /// </summary>
    internal static class ArchitectureRules
    {
        private static readonly PropertyInfo[] NumericProperties = typeof(ModelArchitecture).GetRuntimeProperties()
            .Where(p => p.CanWrite && (p.PropertyType == typeof(int) || p.PropertyType == typeof(long) || p.PropertyType == typeof(double)))
            .ToArray();

        /// <summary>Far beyond any published model (Llama 3 405B has 126 blocks); it bounds the per-block loops.</summary>
        public const int MaxLayers = 10_000;

        /// <summary>The largest model VramPS estimates: twice the largest -Params size, so every Llama-like shape is within.</summary>
        public const long MaxParameters = 2 * LlamaLikeShape.Max;

        /// <summary>numKvHeads defaults to numHeads and headDim to hiddenSize / numHeads when 0 (not given).</summary>
        public static void ApplyDefaults(ModelArchitecture a)
        {
            if (a.NumKvHeads == 0) a.NumKvHeads = a.NumHeads;
            if (a.HeadDim == 0 && a.NumHeads > 0 && a.HiddenSize % a.NumHeads == 0) a.HeadDim = a.HiddenSize / a.NumHeads;
        }

        /// <summary>The first field whose value makes no sense, with why; null when the architecture is sound.</summary>
        public static (string Field, string Problem)? FirstProblem(ModelArchitecture a)
        {
            foreach (var p in NumericProperties)
            {
                double value = Convert.ToDouble(p.GetValue(a));
                if (double.IsNaN(value) || double.IsInfinity(value) || value < 0)
                    return (JsonName(p.Name), $"must be zero or positive; got {value}.");
            }
            if (string.IsNullOrWhiteSpace(a.Id)) return ("id", "must not be empty.");
            if (!ModelTypes.IsKnown(a.ModelType))
                return ("modelType", $"'{a.ModelType}' is not a known model type. Known: {string.Join(", ", ModelTypes.Known)}.");
            if (a.HiddenSize == 0) return ("hiddenSize", "must be positive.");
            if (a.NumLayers == 0) return ("numLayers", "must be positive.");
            if (a.NumHeads == 0) return ("numHeads", "must be positive.");
            if (a.VocabSize == 0) return ("vocabSize", "must be positive.");
            if (a.HeadDim == 0) return ("headDim", $"is required when numHeads ({a.NumHeads}) does not divide hiddenSize ({a.HiddenSize}).");
            if (a.NumHeads % a.NumKvHeads != 0) return ("numKvHeads", $"{a.NumKvHeads} does not divide numHeads ({a.NumHeads}).");
            if (string.IsNullOrWhiteSpace(a.Activation)) return ("activation", "must not be empty.");
            if (a.PartialRotaryFactor == 0 || a.PartialRotaryFactor > 1) return ("partialRotaryFactor", $"must be in (0, 1]; got {a.PartialRotaryFactor}.");
            if (a.NormsPerLayer > 8) return ("normsPerLayer", $"must be at most 8; got {a.NormsPerLayer}.");
            if (a.Positions == PositionKind.Learned && a.MaxPositions == 0) return ("maxPositions", "must be positive with learned positions.");
            if (a.QkNormOverHeads && !a.QkNorm) return ("qkNormOverHeads", "needs qkNorm.");
            if ((!a.IsMoe || a.DenseLayers > 0) && a.IntermediateSize == 0) return ("intermediateSize", "must be positive: the model has dense MLP layers.");
            if (a.IsMoe)
            {
                if (a.MoeIntermediateSize == 0) return ("moeIntermediateSize", "must be positive in a mixture-of-experts model.");
                if (a.ExpertsPerToken == 0 || a.ExpertsPerToken > a.Experts) return ("expertsPerToken", $"must be between 1 and experts ({a.Experts}); got {a.ExpertsPerToken}.");
                if (a.DenseLayers >= a.NumLayers) return ("denseLayers", $"must be less than numLayers ({a.NumLayers}); got {a.DenseLayers}.");
            }
            else if (a.ExpertsPerToken > 0 || a.SharedExperts > 0 || a.DenseLayers > 0)
            {
                return ("experts", "must be positive when expertsPerToken, sharedExperts or denseLayers is set.");
            }
            if (a.IsMla && (a.QkNopeHeadDim == 0 || a.QkRopeHeadDim == 0 || a.VHeadDim == 0))
                return ("qkNopeHeadDim", "qkNopeHeadDim, qkRopeHeadDim and vHeadDim must be positive with multi-head latent attention (kvLoraRank > 0).");
            if (a.Aliases.Any(string.IsNullOrWhiteSpace)) return ("aliases", "must not hold empty names.");
            if (a.NumLayers > MaxLayers) return ("numLayers", $"must be at most {MaxLayers}; got {a.NumLayers}.");
            if (a.FirstMixerProblem() is { } mixer) return mixer;
            if (VisionTower.FirstProblem(a) is { } vision) return vision;
            if (AudioTower.FirstProblem(a) is { } audio) return audio;
            if (a.HasPerLayerInputs && a.PerLayerVocabSize == 0) return ("perLayerVocabSize", "must be positive with per-layer inputs (perLayerInputSize > 0).");
            if (a.FusedExperts && !a.IsMoe) return ("fusedExperts", "needs experts.");
            long? parameters = Parameters(a);
            if (parameters is null || parameters > MaxParameters)
            {
                return ("hiddenSize", $"with intermediateSize, numLayers, vocabSize and experts gives {(parameters is null ? "more than 2^63" : parameters.Value.ToString("N0", CultureInfo.InvariantCulture))} " +
                                      $"parameters; VramPS estimates models of at most {MaxParameters / 1e12:0}T.");
            }
            return null;
        }

        /// <summary>The total parameter count, or null when it does not fit 64 bits.</summary>
        private static long? Parameters(ModelArchitecture a)
        {
            try
            {
                return a.TotalParameters;
            }
            catch (OverflowException)
            {
                return null;
            }
        }

        /// <summary>The catalog's camelCase name of a property.</summary>
        public static string JsonName(string propertyName) => char.ToLowerInvariant(propertyName[0]) + propertyName.Substring(1);
    }
}
