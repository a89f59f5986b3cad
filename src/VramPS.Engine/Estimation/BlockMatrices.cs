using System;

namespace VramPS.Engine.Estimation
{
    /// <summary>
    /// The weight matrices of the blocks one rank holds (its stage's linears, its tensor- and expert-parallel share),
    /// summed the ways the matrix optimizers size their state: elements, rows and columns, GaLore's and APOLLO's
    /// rank-r projections, and the largest matrix, whose step working set is the largest.
    /// </summary>
    internal readonly struct BlockMatrices
    {
        private BlockMatrices(double elements, double rows, double columns, double projected, double projectors, long largestRows, long largestColumns)
        {
            Elements = elements;
            Rows = rows;
            Columns = columns;
            Projected = projected;
            Projectors = projectors;
            LargestRows = largestRows;
            LargestColumns = largestColumns;
        }

        public double Elements { get; }
        /// <summary>Output rows summed over the matrices.</summary>
        public double Rows { get; }
        /// <summary>Input columns summed over the matrices.</summary>
        public double Columns { get; }
        /// <summary>Elements of each matrix's rank-r projected gradient: r x max(rows, columns).</summary>
        public double Projected { get; }
        /// <summary>Elements of each matrix's projection: r x min(rows, columns).</summary>
        public double Projectors { get; }
        public long LargestRows { get; }
        public long LargestColumns { get; }

        /// <summary>The block matrices of the rank (only the routed experts' where asked), with projections of the given rank.</summary>
        public static BlockMatrices Of(ResolvedRecipe r, PipelineStage stage, bool expertsOnly)
        {
            var m = r.Model;
            long rank = r.OptimizerRank;
            double elements = 0, rows = 0, columns = 0, projected = 0, projectors = 0;
            long largestRows = 0, largestColumns = 0;
            for (int i = stage.FirstLayer; i < stage.EndLayer; i++)
            {
                bool moe = m.IsMoeLayer(i);
                foreach (var module in m.LinearModules(i))
                {
                    bool expert = moe && module.Count > 1 && module.Role != Models.LinearRole.Router;
                    if (expertsOnly && !expert) continue;
                    double copies = module.Count / (double)stage.Divisor(module, moe);
                    long o = module.OutFeatures, n = module.InFeatures;
                    elements += copies * o * n;
                    rows += copies * o;
                    columns += copies * n;
                    projected += copies * Math.Min(rank, Math.Min(o, n)) * Math.Max(o, n);
                    projectors += copies * Math.Min(rank, Math.Min(o, n)) * Math.Min(o, n);
                    if (o * n > largestRows * largestColumns)
                    {
                        largestRows = o;
                        largestColumns = n;
                    }
                }
            }
            return new BlockMatrices(elements, rows, columns, projected, projectors, largestRows, largestColumns);
        }
    }
}
