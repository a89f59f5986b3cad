using System;
using VramPS.Engine.Errors;

namespace VramPS.Engine.Estimation
{
    /// <summary>Byte arithmetic that refuses to wrap: a workload too large for 64 bits is an error, never a negative figure.</summary>
    internal static class Checked
    {
        public static long Sum(params long[] terms)
        {
            long sum = 0;
            foreach (long t in terms) sum = Add(sum, t);
            return sum;
        }

        public static long Add(long a, long b)
        {
            try { return checked(a + b); }
            catch (OverflowException) { throw TooLarge(); }
        }

        /// <summary>Rounds a double byte count to long, refusing NaN, infinities and values past 2^63.</summary>
        public static long Bytes(double value)
        {
            if (double.IsNaN(value) || double.IsInfinity(value) || value >= 9.2e18 || value < 0) throw TooLarge();
            return (long)Math.Round(value);
        }

        private static InvalidWorkloadException TooLarge() =>
            new InvalidWorkloadException("Workload", "The workload's memory exceeds 8 EiB: reduce -BatchSize, -SequenceLength or the model size.");
    }
}
