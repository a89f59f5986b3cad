using System.Collections.Generic;
using System.Globalization;
using VramPS.Engine.Errors;

namespace VramPS.Engine.Planning
{
    /// <summary>
    /// How long a run is and how its GPUs perform and cost: the tokens to train on (-Tokens, or -Epochs over
    /// -DatasetTokens), the model FLOPs utilization to assume and a price per GPU-hour overriding the catalog's.
    /// </summary>
    public sealed class RunSettings
    {
        public const double DefaultTokens = 1e9;
        public const double DefaultMfu = 0.4;

        public long? Tokens { get; set; }
        public double? Epochs { get; set; }
        public long? DatasetTokens { get; set; }
        /// <summary>The share of the GPU's dense 16-bit peak the run sustains on its executed FLOPs, in (0, 1].</summary>
        public double? Mfu { get; set; }
        /// <summary>USD per GPU-hour; null takes the GPU catalog's dated list price.</summary>
        public double? PricePerGpuHour { get; set; }

        /// <summary>The tokens the run trains on, noting in <paramref name="notes"/> how they were chosen. Bad combinations are InvalidWorkloadException.</summary>
        public double ResolveTokens(List<string> notes)
        {
            var c = CultureInfo.InvariantCulture;
            if (Tokens != null && (Epochs != null || DatasetTokens != null))
                throw new InvalidWorkloadException("Tokens", "Give -Tokens, or -Epochs with -DatasetTokens, not both.");
            if (Tokens != null)
            {
                if (Tokens.Value < 1) throw new InvalidWorkloadException("Tokens", $"-Tokens must be a positive number of tokens; got {Tokens.Value}.");
                return Tokens.Value;
            }
            if (DatasetTokens != null && DatasetTokens.Value < 1)
                throw new InvalidWorkloadException("DatasetTokens", $"-DatasetTokens must be a positive number of tokens; got {DatasetTokens.Value}.");
            if (Epochs != null)
            {
                if (!(Epochs.Value > 0 && Epochs.Value <= 1e6))
                    throw new InvalidWorkloadException("Epochs", string.Format(c, "-Epochs must be greater than 0 and at most 1e6; got {0}.", Epochs.Value));
                if (DatasetTokens is null) throw new InvalidWorkloadException("DatasetTokens", "-Epochs needs -DatasetTokens, the tokens of one pass over the data.");
                return Epochs.Value * DatasetTokens.Value;
            }
            if (DatasetTokens != null)
            {
                notes.Add("one epoch over -DatasetTokens");
                return DatasetTokens.Value;
            }
            notes.Add("1B training tokens (no -Tokens or -Epochs given)");
            return DefaultTokens;
        }

        /// <summary>The utilization to assume, validated.</summary>
        public double ResolveMfu(List<string> notes)
        {
            if (Mfu is null)
            {
                notes.Add("40% model FLOPs utilization of the GPU's dense 16-bit peak");
                return DefaultMfu;
            }
            if (!(Mfu.Value > 0 && Mfu.Value <= 1))
                throw new InvalidWorkloadException("Mfu", string.Format(CultureInfo.InvariantCulture, "-Mfu must be greater than 0 and at most 1; got {0}.", Mfu.Value));
            return Mfu.Value;
        }

        /// <summary>The given price, validated; null when none was given.</summary>
        public double? ResolvePrice()
        {
            if (PricePerGpuHour is double price && !(price >= 0 && price <= 1e4))
                throw new InvalidWorkloadException("PricePerGpuHour", string.Format(CultureInfo.InvariantCulture, "-PricePerGpuHour must be between 0 and 10000 USD; got {0}.", price));
            return PricePerGpuHour;
        }
    }
}
