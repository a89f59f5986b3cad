using System.Linq;
using VramPS.Engine.Errors;
using VramPS.Engine.Estimation;
using VramPS.Engine.Models;
using Xunit;

namespace VramPS.Engine.Tests.Estimation
{
    /// <summary>
    /// Optimizer states of full bf16 training of Llama-3.2-3B (3,212,749,824 parameters, tied embedding), by hand.
    /// Its 28 blocks hold q and o (3072 x 3072), k and v (1024 x 3072), gate and up (8192 x 3072) and down
    /// (3072 x 8192): 100,663,296 matrix elements a block, 2,818,572,288 in all; the rest is the embedding
    /// (128256 x 3072) and the norms, 394,177,536, or 128,313 rows of 3072. Sources of each layout: see ModelStateMemory.
    /// </summary>
    public class MatrixOptimizerTests
    {
        private const long Parameters = 3_212_749_824;
        private const long Matrices = 2_818_572_288;
        private const long Rest = Parameters - Matrices;
        private const long RowsPerBlock = 3072 + 1024 + 1024 + 3072 + 8192 + 8192 + 3072;
        private const long ColumnsPerBlock = 6 * 3072 + 8192;

        private static Workload Full(OptimizerKind optimizer) => new Workload(ModelCatalog.Default.Get("meta-llama/Llama-3.2-3B"))
        {
            Method = FinetuneMethod.Full, Optimizer = optimizer, Precision = Precision.Bf16, Framework = Framework.HfTrainer,
            BatchSize = 1, SequenceLength = 512,
        };

        private static long States(Workload w) => MemoryEstimator.Estimate(w).OptimizerStates;

        [Fact]
        public void The_split_of_the_model_is_the_one_derived_by_hand()
        {
            Assert.Equal(28 * 100_663_296L, Matrices);
            Assert.Equal(128256L * 3072 + 57 * 3072, Rest);
            Assert.Equal(Parameters, MemoryEstimator.Estimate(Full(OptimizerKind.AdamW)).Parameters);
        }

        [Fact]
        public void GaLore_keeps_Adam_on_rank_16_projections_of_the_block_matrices()
        {
            // Projected gradient r x max(m, n): 16 x (4 x 3072 + 3 x 8192) a block; the factor r x min(m, n):
            // 16 x (5 x 3072 + 2 x 1024); two moments of each projection and AdamW on the rest, all bf16.
            long projected = 28 * 16 * (4 * 3072 + 3 * 8192);
            long factors = 28 * 16 * (5 * 3072 + 2 * 1024);
            Assert.Equal((2 * projected + factors) * 2 + 2 * Rest * 2, States(Full(OptimizerKind.GaLore)));
        }

        [Fact]
        public void Muon_keeps_one_momentum_per_block_matrix_and_AdamW_on_the_rest()
        {
            Assert.Equal(Matrices * 2 + 2 * Rest * 2, States(Full(OptimizerKind.Muon)));
        }

        [Fact]
        public void Adam_mini_keeps_a_first_moment_and_one_second_moment_per_row_in_the_parameters_dtype()
        {
            // zyushun/Adam-mini@402aadf adam_mini.py: state["m"] = torch.zeros_like(p), vmean zeros_like a row slice of
            // m: bf16 parameters give bf16 states; under autocast the parameters (and so the states) are fp32.
            Assert.Equal((Parameters + 28 * RowsPerBlock + Rest / 3072) * 2, States(Full(OptimizerKind.AdamMini)));
            var mixed = Full(OptimizerKind.AdamMini);
            mixed.Precision = Precision.Bf16Mixed;
            Assert.Equal((Parameters + 28 * RowsPerBlock + Rest / 3072) * 4, States(mixed));
        }

        [Fact]
        public void CAME_keeps_fp32_momentum_and_row_and_column_statistics_twice()
        {
            // yangluo7/CAME@e77c5c0 CAME.py: grad = grad.float() for 16-bit gradients, and every state is made from it.
            long factored = 2 * 28 * (RowsPerBlock + ColumnsPerBlock) + 2 * (Rest / 3072 + 3072);
            Assert.Equal((Parameters + factored) * 4, States(Full(OptimizerKind.Came)));
        }

        [Fact]
        public void CAME_steps_the_largest_tensor_in_fp32_beside_its_16_bit_gradient_copy()
        {
            // The largest tensor is the tied embedding, 128256 x 3072: grad.float(), the update, update - exp_avg and
            // its square, each 4 bytes an element.
            var step = MemoryEstimator.Estimate(Full(OptimizerKind.Came)).Phases.Single(p => p.Phase == Phase.OptimizerStep);
            Assert.Equal(4L * 128_256 * 3072 * 4, step.Other);
        }

        [Fact]
        public void Schedule_free_AdamW_keeps_z_and_the_second_moment()
        {
            Assert.Equal(2 * Parameters * 2, States(Full(OptimizerKind.ScheduleFreeAdamW)));
        }

        [Fact]
        public void Projecting_optimizers_need_full_training_and_only_they_take_a_rank()
        {
            var lora = Full(OptimizerKind.GaLore);
            lora.Method = FinetuneMethod.LoRA;
            Assert.Equal("Optimizer", Assert.Throws<InvalidWorkloadException>(() => MemoryEstimator.Estimate(lora)).Parameter);
            var adamw = Full(OptimizerKind.AdamW);
            adamw.OptimizerRank = 64;
            Assert.Equal("OptimizerRank", Assert.Throws<InvalidWorkloadException>(() => MemoryEstimator.Estimate(adamw)).Parameter);
            var rank64 = Full(OptimizerKind.Apollo);
            rank64.OptimizerRank = 64;
            Assert.True(States(rank64) > States(Full(OptimizerKind.Apollo)));
        }
    }
}
