using System;
using VramPS.Engine.Errors;

namespace VramPS.Engine.Estimation
{
    /// <summary>Byte arithmetic that refuses to wrap: a workload too large for 64 bits is an error, never a negative figure.</summary>
    internal static class Checked
    {
        public static long Sum(long a, long b, long c, long d) => Add(Add(a, b), Add(c, d));

        public static long Sum(long a, long b, long c, long d, long e) => Add(Sum(a, b, c, d), e);

        public static long Add(long a, long b)
        {
            long sum = unchecked(a + b);
            // Two's-complement addition overflowed when both operands have the sign the sum lacks.
            if (((a ^ sum) & (b ^ sum)) < 0) throw TooLarge();
            return sum;
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
