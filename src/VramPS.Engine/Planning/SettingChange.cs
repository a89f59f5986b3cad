using System;

namespace VramPS.Engine.Planning
{
    /// <summary>One change of a workload's settings that FitAdvisor tries: its kind, how it reads and how it is made.</summary>
    internal sealed class SettingChange
    {
        public SettingChange(SuggestionKind kind, string text, Action<Workload> apply)
        {
            Kind = kind;
            Text = text;
            Apply = apply;
        }

        public SuggestionKind Kind { get; }
        /// <summary>"Setting old -> new".</summary>
        public string Text { get; }
        public Action<Workload> Apply { get; }
    }
}
