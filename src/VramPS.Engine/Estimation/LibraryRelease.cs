using System;
using System.Collections.Generic;
using VramPS.Engine.Frameworks;

namespace VramPS.Engine.Estimation
{
    /// <summary>
    /// What an older torch release, or the transformers Trainer's old default optimizer, changes in a step, for a
    /// workload that names the release (-TorchVersion, -TransformersVersion). Not named, today's behaviour holds: none
    /// of these is a default, and each that applies is recorded in the estimate's Assumptions.
    /// </summary>
    internal sealed class LibraryRelease
    {
        /// <summary>pytorch#65242 (torch 1.11): softmax's backward takes its input's dtype instead of its input.</summary>
        private static readonly Version SoftmaxDropsInput = new Version(1, 11);
        /// <summary>torch 2.0: zero_grad's set_to_none and the optimizers' foreach default to True on CUDA.</summary>
        private static readonly Version Torch2 = new Version(2, 0);
        /// <summary>
        /// transformers' sdpa path needs torch 2.1.1 (utils/import_utils.py is_torch_sdpa_available, 4.36 on); torch
        /// 2.0 brought torch.nn.functional.scaled_dot_product_attention itself.
        /// </summary>
        private static readonly Version TransformersSdpaTorch = new Version(2, 1);
        /// <summary>transformers#25109 (4.32): the Trainer's default optim becomes adamw_torch instead of adamw_hf.</summary>
        private static readonly Version TorchAdamWDefault = new Version(4, 32);

        public LibraryRelease(Version? torch, Version? transformers, FrameworkProfile profile, OptimizerKind optimizer, List<string> assumptions)
        {
            Torch = torch;
            SoftmaxKeepsInput = torch != null && torch < SoftmaxDropsInput;
            if (SoftmaxKeepsInput)
                assumptions.Add("torch before 1.11: softmax keeps its input beside its output for backward (tools/autograd/derivatives.yaml _softmax: _softmax_backward_data(grad, result, dim, self), until pytorch#65242)");
            ZeroGradKeepsGradients = torch != null && torch < Torch2 && profile.ZeroGradTakesTorchDefault.Value;
            if (ZeroGradKeepsGradients)
                assumptions.Add("torch before 2.0: zero_grad() zeroes the gradients in place (set_to_none=False by default), so they stay allocated through the next forward");
            bool adamwHf = optimizer == OptimizerKind.AdamW && profile.TransformersTrainer.Value && transformers != null && transformers < TorchAdamWDefault;
            bool singleTensor = optimizer == OptimizerKind.AdamW && torch != null && torch < Torch2 && !profile.FusedAdamW.Value;
            if (adamwHf)
            {
                StepTemporariesOfLargest = 1;
                assumptions.Add("transformers before 4.32: AdamW is the Trainer's default adamw_hf (transformers/optimization.py AdamW), which steps one parameter at a time: one temporary of its size (denom = exp_avg_sq.sqrt().add_(eps))");
            }
            else if (singleTensor)
            {
                StepTemporariesOfLargest = 2;
                assumptions.Add("torch before 2.0: torch.optim.AdamW steps one parameter at a time (foreach off by default): (exp_avg_sq.sqrt() / bias_correction2_sqrt) holds two temporaries of its size");
            }
        }

        /// <summary>
        /// The first torch release (major.minor) whose SDPA the model code can call: transformers' sdpa path from 2.1,
        /// a stack's own model code (no transformers release) from 2.0.
        /// </summary>
        public static Version SdpaTorch(Version? transformers) => transformers != null ? TransformersSdpaTorch : Torch2;

        /// <summary>The torch release the workload named; null: not named.</summary>
        public Version? Torch { get; }
        /// <summary>Softmax keeps its input for backward, beside its output (torch before 1.11).</summary>
        public bool SoftmaxKeepsInput { get; }
        /// <summary>The previous step's gradients stay allocated, zeroed, through the forward (torch before 2.0).</summary>
        public bool ZeroGradKeepsGradients { get; }
        /// <summary>AdamW steps one parameter at a time with this many temporaries of the largest; 0: the foreach step over all.</summary>
        public int StepTemporariesOfLargest { get; }
    }
}
