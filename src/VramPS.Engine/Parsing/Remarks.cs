using System.Collections.Generic;
using System.Text;
using VramPS.Engine.Errors;

namespace VramPS.Engine.Parsing
{
    /// <summary>
    /// The remark grammar of the settings that take one (-Framework, -LoraTargets), wherever their text comes from: each
    /// balanced "( ... )" is a remark, recorded in the estimate's Assumptions and never read; what remains, its spaces
    /// collapsed, is the value and must be one the setting allows. An unbalanced or empty parenthesis is refused.
    /// </summary>
    public sealed class Remarks
    {
        private Remarks(string value, IReadOnlyList<string> notes)
        {
            Value = value;
            Notes = notes;
        }

        /// <summary>The text with every remark taken out and runs of white space made one space.</summary>
        public string Value { get; }

        /// <summary>Each remark's text, without its parentheses, in the order given.</summary>
        public IReadOnlyList<string> Notes { get; }

        /// <summary>Splits <paramref name="text"/> into its value and remarks; <paramref name="parameter"/> names the setting in a refusal.</summary>
        public static Remarks Split(string text, string parameter)
        {
            var value = new StringBuilder(text.Length);
            var notes = new List<string>();
            var note = new StringBuilder();
            int depth = 0;
            foreach (char c in text)
            {
                if (c == '(')
                {
                    if (depth > 0) note.Append(c);
                    depth++;
                }
                else if (c == ')')
                {
                    if (depth == 0) throw Unbalanced(text, parameter, "a ')' closes no '('");
                    depth--;
                    if (depth > 0)
                    {
                        note.Append(c);
                        continue;
                    }
                    string said = Collapse(note.ToString());
                    if (said.Length == 0) throw Unbalanced(text, parameter, "'()' holds no remark");
                    notes.Add(said);
                    note.Clear();
                    value.Append(' ');
                }
                else if (depth > 0)
                {
                    note.Append(c);
                }
                else
                {
                    value.Append(c);
                }
            }
            if (depth > 0) throw Unbalanced(text, parameter, "a '(' is never closed");
            return new Remarks(Collapse(value.ToString()), notes);
        }

        /// <summary>The assumption each remark records: "-Framework remark (recorded, not read): TRL SFTTrainer + PEFT".</summary>
        public static string Assumption(string parameter, string note) => $"-{parameter} remark (recorded, not read): {note}";

        private static string Collapse(string text)
        {
            var sb = new StringBuilder(text.Length);
            foreach (string word in text.Split((char[]?)null, System.StringSplitOptions.RemoveEmptyEntries))
            {
                if (sb.Length > 0) sb.Append(' ');
                sb.Append(word);
            }
            return sb.ToString();
        }

        private static InvalidWorkloadException Unbalanced(string text, string parameter, string why) =>
            new InvalidWorkloadException(parameter,
                $"-{parameter} '{text}': {why}. A remark is text in balanced parentheses, such as 'HF-Trainer (TRL SFTTrainer + PEFT)'; it is recorded in Assumptions and never read.");
    }
}
