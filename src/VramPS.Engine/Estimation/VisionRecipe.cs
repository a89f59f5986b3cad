using System;
using System.Collections.Generic;
using System.Linq;
using VramPS.Engine.Errors;
using VramPS.Engine.Models;

namespace VramPS.Engine.Estimation
{
    /// <summary>
    /// The images of a vision-language workload: their size and count, the tokens each costs in the vision encoder and in
    /// the language model's sequence, and whether the encoder trains (the framework's default unless -VisionTower says).
    /// A text-only model has none of these; naming them for it is an error.
    /// </summary>
    internal sealed class VisionRecipe
    {
        /// <summary>A text-only workload.</summary>
        public static readonly VisionRecipe None = new VisionRecipe();

        private VisionRecipe()
        {
            AdaptedModules = Array.Empty<bool>();
        }

        public VisionRecipe(Workload w, ResolvedRecipe r, List<string> assumptions)
        {
            var m = r.Model;
            int images = w.ImagesPerSample ?? 1;
            if (images < 0) throw new InvalidWorkloadException("ImagesPerSample", $"-ImagesPerSample must be zero or a positive integer; got {images}.");
            if (w.ImagesPerSample is null) assumptions.Add("one image per sample (-ImagesPerSample)");
            ImagesPerSample = images;
            if (images > 0) assumptions.Add(ProcessorSettings.Describe(m));

            ImageTokens each;
            if (w.VisionTokens is int given)
            {
                if (given < 1) throw new InvalidWorkloadException("VisionTokens", $"-VisionTokens must be a positive integer; got {given}.");
                each = VisionTokens.ForTokens(m, given);
            }
            else
            {
                int width = w.ImageWidth ?? DefaultSide(m), height = w.ImageHeight ?? DefaultSide(m);
                if (w.ImageWidth is null || w.ImageHeight is null)
                    assumptions.Add($"{width}x{height} images (-ImageSize)");
                if (width < 1 || height < 1)
                    throw new InvalidWorkloadException("ImageSize", $"-ImageSize must be WIDTHxHEIGHT with positive sides; got {width}x{height}.");
                try
                {
                    each = VisionTokens.For(m, width, height);
                }
                catch (ArgumentOutOfRangeException)
                {
                    throw new InvalidWorkloadException("ImageSize", $"-ImageSize {width}x{height}: {m.Id}'s processor refuses sides that differ more than {VisionTokens.QwenMaxAspectRatio} times.");
                }
            }
            TokensPerImage = each.LanguageTokens;
            EncoderTokensPerImage = each.EncoderTokens;
            TokensPerSample = checked(images * each.LanguageTokens);
            assumptions.Add($"{each.LanguageTokens} image tokens per image in the language model's sequence, {each.EncoderTokens} in the vision encoder");

            bool allLinear = r.AllLinearTargets;
            var modules = m.VisionModuleArray;
            bool scoped = r.IsAdapter && r.LanguageModelTargetsOnly;
            if (scoped && w.VisionTower == VisionTraining.Trained)
                throw new InvalidWorkloadException("VisionTower", "-VisionTower Trained with -LoraTargets scoped to the language model: under LoRA the tower trains only through adapters. Give -VisionTower Frozen, or targets that reach the tower.");
            bool targeted = r.IsAdapter && !scoped && modules.Any(x => allLinear || r.LoraTargets.Contains(x.Name, StringComparer.Ordinal));
            Trained = (w.VisionTower ?? (scoped
                ? Note(VisionTraining.Frozen, "vision encoder frozen: -LoraTargets is scoped to the language model", assumptions)
                : DefaultTraining(w, r, targeted, assumptions))) == VisionTraining.Trained;
            if (w.Method == FinetuneMethod.Freeze && Trained)
                throw new InvalidWorkloadException("VisionTower", "-VisionTower Trained with -Method Freeze: Freeze trains only the top blocks of the language model.");
            // Under LoRA the tower trains through adapters on the targeted linears; a tower told to train with no target
            // among its modules gets adapters on all of them, as Unsloth's finetune_vision_layers does.
            AdaptedModules = modules.Select(x => Trained && r.IsAdapter && (allLinear || !targeted || r.LoraTargets.Contains(x.Name, StringComparer.Ordinal))).ToArray();
        }

        public int ImagesPerSample { get; }
        /// <summary>Image tokens per image in the language model's sequence.</summary>
        public long TokensPerImage { get; }
        /// <summary>Tokens per image through every ViT block.</summary>
        public long EncoderTokensPerImage { get; }
        /// <summary>Image tokens one sample adds to the language model's sequence.</summary>
        public long TokensPerSample { get; }
        /// <summary>The encoder's parameters require grad (Full) or carry adapters (LoRA): its activations are saved.</summary>
        public bool Trained { get; }
        /// <summary>For each module of <see cref="ModelArchitecture.VisionModuleArray"/>, whether LoRA adapts it.</summary>
        public bool[] AdaptedModules { get; }

        /// <summary>A square of the encoder's own resolution (fixed-resolution encoders); 1024 x 1024 for native-resolution ones.</summary>
        private static int DefaultSide(ModelArchitecture m) => FixedResolution(m) ? m.VisionImageSize : 1024;

        private static bool FixedResolution(ModelArchitecture m) => m.VisionEncoder == VisionEncoderKind.Clip || m.VisionEncoder == VisionEncoderKind.Siglip;

        /// <summary>
        /// What trains when nothing says: LLaMA-Factory freezes the tower (freeze_vision_tower: true, hparams/finetuning_args.py);
        /// Unsloth's FastVisionModel.get_peft_model adapts it (finetune_vision_layers=True); transformers' Trainer and TRL train
        /// every parameter that requires grad: all of them under Full, and under LoRA what peft's target names match.
        /// </summary>
        private static VisionTraining DefaultTraining(Workload w, ResolvedRecipe r, bool targeted, List<string> assumptions)
        {
            if (w.Method == FinetuneMethod.Freeze)
                return Note(VisionTraining.Frozen, "vision encoder frozen (Freeze trains only the top blocks)", assumptions);
            var own = r.Profile.DefaultVisionTraining;
            if (own.Value is VisionTraining framework) return Note(framework, own.Assumption!, assumptions);
            if (!r.IsAdapter) return Note(VisionTraining.Trained, "vision encoder trained (every parameter requires grad)", assumptions);
            return targeted
                ? Note(VisionTraining.Trained, "vision encoder adapted: the LoRA targets name its linears (peft matches module names in the whole model)", assumptions)
                : Note(VisionTraining.Frozen, "vision encoder frozen: no LoRA target names its linears", assumptions);
        }

        private static VisionTraining Note(VisionTraining value, string why, List<string> assumptions)
        {
            assumptions.Add(why);
            return value;
        }
    }
}
