using System;
using System.Collections.Generic;
using System.Linq;
using System.Text.RegularExpressions;
using VramPS.Engine.Errors;

namespace VramPS.Engine.Parsing
{
    /// <summary>
    /// -LoraTargets read by its grammar, whatever gave it (parameter, CSV cell, piped property, config key). The items
    /// are joined with commas, remarks in parentheses are taken out (<see cref="Remarks"/>), and what remains must be
    /// <code>
    ///   TARGETS [of the language model] [; vision not targeted] [+ MoE expert parameters NAME, NAME ...]
    ///   TARGETS = all-linear | NAME, NAME ...
    /// </code>
    /// "of the language model" and "; vision not targeted" both scope the targets to the language model (the vision
    /// tower carries none); "+ MoE expert parameters" adds peft's target_parameters on the fused expert tensors. Names are
    /// module names (q_proj) or dotted paths (mlp.experts.down_proj); the estimator checks them against the model.
    /// </summary>
    public sealed class LoraTargetText
    {
        public const string Grammar =
            "all-linear, or module names separated by commas (q_proj,v_proj), optionally followed by 'of the language model' or '; vision not targeted' " +
            "(no adapter on the vision tower) and by '+ MoE expert parameters NAME, NAME' (fused expert tensors such as mlp.experts.down_proj); text in parentheses is a remark, recorded and never read";

        private static readonly Regex Experts = new Regex(@"^(?<targets>.*?)\s*\+\s*MoE expert parameters\s+(?<names>.+)$",
            RegexOptions.IgnoreCase | RegexOptions.CultureInvariant);
        private static readonly Regex NotVision = new Regex(@"\s*;\s*vision not targeted$", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant);
        private static readonly Regex OfLanguageModel = new Regex(@"\s+of the language model$", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant);
        private static readonly Regex Name = new Regex(@"^[A-Za-z_][A-Za-z0-9_]*(\.[A-Za-z0-9_]+)*$", RegexOptions.CultureInvariant);

        private LoraTargetText(bool allLinear, string[] names, bool languageModelOnly, string[] expertParameters, IReadOnlyList<string> remarks)
        {
            AllLinear = allLinear;
            Names = names;
            LanguageModelOnly = languageModelOnly;
            ExpertParameters = expertParameters;
            Remarks = remarks;
        }

        /// <summary>
        /// " (peft matches names exactly, case included: did you mean 'q_proj'?)" where a name differs from a module's
        /// only in case; empty otherwise.
        /// </summary>
        public static string CaseHint(string target, IEnumerable<string> modules)
        {
            string? near = modules.FirstOrDefault(m => string.Equals(m, target, StringComparison.OrdinalIgnoreCase));
            return near == null ? "" : $" (peft matches names exactly, case included: did you mean '{near}'?)";
        }

        /// <summary>TARGETS is all-linear.</summary>
        public bool AllLinear { get; }
        /// <summary>The module names TARGETS lists (empty under all-linear).</summary>
        public string[] Names { get; }
        /// <summary>The targets are scoped to the language model: the vision tower carries no adapter.</summary>
        public bool LanguageModelOnly { get; }
        /// <summary>The fused expert tensors adapted beside the modules (peft target_parameters), as given.</summary>
        public string[] ExpertParameters { get; }
        /// <summary>Each remark as the estimate's Assumptions record it.</summary>
        public IReadOnlyList<string> Remarks { get; }

        public static LoraTargetText Parse(IEnumerable<string> items)
        {
            string given = string.Join(",", items);
            var text = Parsing.Remarks.Split(given, "LoraTargets");
            string rest = text.Value;
            string[] experts = Array.Empty<string>();
            var moe = Experts.Match(rest);
            if (moe.Success)
            {
                experts = List(moe.Groups["names"].Value, given);
                rest = moe.Groups["targets"].Value;
            }
            bool languageOnly = false;
            if (NotVision.IsMatch(rest))
            {
                languageOnly = true;
                rest = NotVision.Replace(rest, "");
            }
            if (OfLanguageModel.IsMatch(rest))
            {
                languageOnly = true;
                rest = OfLanguageModel.Replace(rest, "");
            }
            bool allLinear = string.Equals(rest.Trim(), "all-linear", StringComparison.OrdinalIgnoreCase);
            string[] names = allLinear ? Array.Empty<string>() : List(rest, given);
            return new LoraTargetText(allLinear, names, languageOnly, experts,
                text.Notes.Select(n => Parsing.Remarks.Assumption("LoraTargets", n)).ToArray());
        }

        private static string[] List(string text, string given)
        {
            var names = text.Split(',').Select(n => n.Trim()).Where(n => n.Length > 0).ToArray();
            var bad = names.FirstOrDefault(n => !Name.IsMatch(n));
            if (names.Length == 0 || bad != null)
            {
                throw new InvalidWorkloadException("LoraTargets",
                    $"-LoraTargets '{given}': {(bad == null ? "names no target" : $"'{bad}' is not a module name")}. Allowed: {Grammar}.");
            }
            return names;
        }
    }
}
