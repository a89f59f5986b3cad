using System;
using System.Collections.Generic;

namespace VramPS.Reports
{
    /// <summary>A value axis from zero: a round top and the round ticks under it (1, 2, 2.5 or 5 times a power of ten).</summary>
    internal sealed class ChartAxis
    {
        public ChartAxis(double largest)
        {
            double target = largest > 0 ? largest * 1.08 : 1;
            double magnitude = Math.Pow(10, Math.Floor(Math.Log10(target / 5)));
            Step = magnitude;
            foreach (double factor in new[] { 1, 2, 2.5, 5, 10 })
            {
                Step = factor * magnitude;
                if (target / Step <= 6) break;
            }
            Top = Math.Ceiling(target / Step) * Step;
        }

        public double Step { get; }
        public double Top { get; }

        public IEnumerable<double> Ticks()
        {
            int count = (int)Math.Round(Top / Step);
            for (int i = 0; i <= count; i++) yield return i * Step;
        }

        /// <summary>Bytes as GiB (2^30 bytes), the unit of every memory axis.</summary>
        public static double Gib(long bytes) => bytes / (double)(1L << 30);

        /// <summary>Where a value falls along <paramref name="length"/> pixels.</summary>
        public double Scale(double value, double length) => value / Top * length;
    }
}
