using VramPS.Engine.Estimation;

namespace VramPS.Engine.Alignment
{
    /// <summary>
    /// The loss buffers of TRL's preference and RL trainers, in bytes per vocabulary entry per token that gets logits
    /// (c is the logits' dtype, <see cref="LogitBytes"/>: these trainers call the model without labels, so transformers'
    /// own loss never upcasts them). Every trainer turns logits into log-probs with selective_log_softmax
    /// (trl/trainer/utils.py): 16-bit logits are log-softmaxed one sequence at a time and each output is saved for the
    /// gather's backward, so the end of forward holds the logits and their log-softmax (2c) and backward holds the saved
    /// log-softmax and the logits' gradient (2c); fp32 logits go through logsumexp, which keeps the logits themselves (c)
    /// and adds their gradient in backward (2c).
    /// </summary>
    internal static class LossBuffers
    {
        /// <summary>
        /// Bytes per entry of the logits the model returns to TRL's trainers. Where the Trainer autocasts (a mixed
        /// precision, or a 16-bit adapter run that the profile autocasts) and DeepSpeed's engine does not run the model,
        /// accelerate's native AMP wraps the prepared model's forward, and TRL's separately prepared reference or reward
        /// model's, in convert_outputs_to_fp32 (huggingface/accelerate@12d38f0, v1.6.0, accelerator.py prepare_model;
        /// utils/operations.py convert_to_fp32 turns every fp16 or bf16 output into .float()): the logits arrive as an fp32
        /// copy. Elsewhere they stay in the compute dtype.
        /// </summary>
        public static int LogitBytes(ResolvedRecipe r) =>
            r.Profile.TransformersTrainer.Value && TrainerBehavior.AutocastsHfForward(r)
                && !(r.Sharding != Sharding.None && r.Profile.ShardsThroughDeepSpeed.Value)
                ? 4 : TrainerBehavior.ComputeBytes(r.Precision);

        /// <summary>
        /// A loss footprint over logits of <paramref name="logitBytes"/> per entry that the forward cast from the compute
        /// dtype <paramref name="c"/>: while the cast runs both copies exist (c + logitBytes); the 16-bit one is dropped
        /// with the forward's own output, since nothing saves it for backward.
        /// </summary>
        public static LogitsFootprint Returned(LogitsFootprint p, int c, int logitBytes) =>
            logitBytes == c ? p : new LogitsFootprint(System.Math.Max(p.ForwardPeak, c + logitBytes), p.BackwardPeak, p.Held);

        /// <summary>
        /// DPO, KTO, SimPO: the model's output stays referenced in _compute_loss until the step's loss is built, so the
        /// logits are still held while the reference scores the batch (dpo_trainer.py, kto_trainer.py, cpo_trainer.py).
        /// </summary>
        public static LogitsFootprint LogProbs(int c) => c == 4 ? new LogitsFootprint(c, 2 * c, c) : new LogitsFootprint(2 * c, 2 * c, 2 * c);

        /// <summary>
        /// DeepSpeed-Chat's DPO loop (training/step2_dpo_finetuning/main.py@1842b4f): outputs = model(**batch), then
        /// ref_outputs = ref_model(**batch) under no_grad, then get_batch_logps on each, logits[:, :-1, :].log_softmax(-1)
        /// gathered (the policy's log-softmax saved for the gather's backward, the reference's a temporary); both outputs
        /// stay referenced through backward and the step, until the next step's forwards return. Forward peaks at the
        /// reference's log-softmax beside both logits and the policy's log-softmax (4c); backward's start holds both
        /// logits, the saved log-softmax, the gather's full-size gradient and log_softmax's input gradient (5c); while the
        /// reference scores, the policy's logits and the previous step's reference logits (2c).
        /// </summary>
        public static LogitsFootprint HeldOutputsLogProbs(int c) => new LogitsFootprint(4 * c, 5 * c, 2 * c);

        /// <summary>
        /// ORPO, and SimPO through CPOTrainer with cpo_alpha above 0 (cpo_trainer.py, the same cross_entropy_loss), first
        /// take the chosen half's NLL (orpo_trainer.py concatenated_forward): nn.CrossEntropyLoss over a
        /// contiguous copy of the chosen logits, which is freed after the loss while the loss's log-softmax stays saved;
        /// half a vocabulary row per token of the concatenated batch each. Then the log-probs of both halves. Backward adds
        /// the NLL's gradient to the log-probs' buffers.
        /// </summary>
        public static LogitsFootprint OddsRatio(int c)
        {
            var p = LogProbs(c);
            return new LogitsFootprint(System.Math.Max(2.0 * c, p.ForwardPeak + 0.5 * c), p.BackwardPeak + c, p.Held + 0.5 * c);
        }

        /// <summary>
        /// Liger's fused linear losses, which DPOTrainer, KTOTrainer and GRPOTrainer use with use_liger_kernel (the
        /// FusedLinearLoss technique): the last hidden states, copied contiguous, go into the loss, which computes the
        /// loss and the input's gradient chunk by chunk during the forward, so the logits never exist. The copy and its
        /// gradient, bytes per token.
        /// </summary>
        public static double FusedLinearPerToken(int c, long hidden) => 2.0 * c * hidden;

        /// <summary>
        /// What Liger's chunked losses hold beyond the hidden states at their forward's peak, bytes
        /// (linkedin/Liger-Kernel@0a62700, v0.6.4, the release TRL v0.26 requires; chunked_loss/fused_linear_ppo.py and
        /// fused_linear_preference.py forward): grad_weight = torch.zeros_like(weight), a vocabulary x hidden accumulator
        /// in the head's dtype, beside the weight gradient torch.func.grad_and_value computes for each chunk (argnums 0
        /// and 1, whether or not the head trains) before adding it in, and that chunk's logits and their gradient in the
        /// compute dtype (chunk_size 1: one sequence, or one chosen and rejected pair, of <paramref name="chunkTokens"/>).
        /// </summary>
        public static double FusedLinearWeightPeak(long vocabulary, long hidden, int headBytes, int c, double chunkTokens) =>
            2.0 * FusedLinearWeightHeld(vocabulary, hidden, headBytes) + chunkTokens * vocabulary * 2.0 * c;

        /// <summary>The accumulator Liger's chunked losses save for backward (ctx.save_for_backward(grad_input, grad_weight, ...)), bytes.</summary>
        public static double FusedLinearWeightHeld(long vocabulary, long hidden, int headBytes) => (double)vocabulary * hidden * headBytes;

        /// <summary>
        /// Unsloth's GRPO loss (unsloth_zoo/rl_replacements.py UnslothEfficientGRPO, n_chunks = batch size): the input's
        /// gradient for every completion token (grad_inputs, empty_like the hidden states), and for the one sequence in
        /// flight its completion logits in the compute dtype, the fp32 quarters chunked_selective_log_softmax saves for
        /// logsumexp's backward, and the logits' gradient.
        /// </summary>
        public static double PerSequence(int c, long hidden, long vocabulary, double completionTokens, int completion) =>
            completionTokens * c * (double)hidden + completion * (double)vocabulary * (2.0 * c + 4);

        /// <summary>Whether the stage's TRL trainer has a Liger fused linear loss (ORPO, CPO/SimPO and PPO have none).</summary>
        public static bool HasFusedLinearLoss(TrainingStage stage) =>
            stage == TrainingStage.Dpo || stage == TrainingStage.Kto || stage == TrainingStage.Grpo;

        /// <summary>
        /// GRPO computes logits for the completion only (logits_to_keep) inside _get_per_token_logps_and_entropies and
        /// divides them by the temperature in place; the logits are freed when it returns with the log-probs, so only the
        /// saved log-softmax is held until backward (grpo_trainer.py).
        /// </summary>
        public static LogitsFootprint Completion(int c)
        {
            var p = LogProbs(c);
            return new LogitsFootprint(p.ForwardPeak, p.BackwardPeak, c);
        }
    }
}
