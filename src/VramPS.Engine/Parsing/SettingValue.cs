using System;
using System.Collections;
using System.Collections.Generic;
using System.Globalization;
using VramPS.Engine.Errors;

namespace VramPS.Engine.Parsing
{
    /// <summary>
    /// Reads a workload setting from what a user gives: a typed value, or text as a CSV cell or a command line holds it.
    /// Blank text and null are "not given" (null). Anything that is not exactly one value of the setting's type throws
    /// InvalidSettingValueException listing the allowed values; nothing is rounded, clamped or dropped.
    /// </summary>
    public static class SettingValue
    {
        /// <summary>A thousand tokens in a context length: "4k" context is 4096 tokens, "128k" is 131072 (Llama 3.1's 128K context is max_position_embeddings 131072 in its config.json).</summary>
        public const int TokensPerK = 1024;

        private const string WholeNumberAllowed = "a whole number up to 2147483647";
        private const string TokenLengthAllowed = "a whole number of tokens (4096), or thousands of tokens as 4k, 32k, 128k (k = 1024)";

        public static int? WholeNumber(object? value) => Integer(value, tokens: false);

        /// <summary>A length in tokens: a whole number, or a multiple of 1024 written with k (4k, 32k, 1.5k).</summary>
        public static int? TokenLength(object? value) => Integer(value, tokens: true);

        public static double? Number(object? value)
        {
            if (IsBlank(value)) return null;
            double number = value switch
            {
                string text when double.TryParse(text.Trim(), NumberStyles.Float, CultureInfo.InvariantCulture, out double parsed) => parsed,
                string _ => double.NaN,
                _ when IsNumeric(value!) => Convert.ToDouble(value, CultureInfo.InvariantCulture),
                _ => double.NaN,
            };
            if (double.IsNaN(number) || double.IsInfinity(number))
                throw new InvalidSettingValueException(value!, "a number", "a finite number such as 0.5 or 1e-3");
            return number;
        }

        /// <summary>A yes/no setting: True/False (as Export-Csv writes them), yes/no, 1/0, or a bool.</summary>
        public static bool? Switch(object? value)
        {
            if (IsBlank(value)) return null;
            if (value is bool flag) return flag;
            switch (Text(value!).Trim().ToLowerInvariant())
            {
                case "true": case "yes": case "1": return true;
                case "false": case "no": case "0": return false;
                default: throw new InvalidSettingValueException(value!, "True or False", "True, False, yes, no, 1, 0");
            }
        }

        /// <summary>One member of an enum, by name or synonym (EnumSpellings); numbers are refused, as users write names.</summary>
        public static object? EnumMember(Type enumType, object? value)
        {
            if (IsBlank(value)) return null;
            if (value!.GetType() == enumType && Enum.IsDefined(enumType, value)) return value;
            return (value is string text ? EnumSpellings.Find(enumType, text) : null)
                ?? throw new InvalidSettingValueException(value, $"a {enumType.Name}", EnumSpellings.Allowed(enumType));
        }

        /// <summary>Members of an enum from a comma list ("Full,LoRA"), an array of names, or members; null when none.</summary>
        public static Array? EnumMembers(Type enumType, object? value)
        {
            var members = new List<object>();
            foreach (object item in Items(value))
            {
                var member = EnumMember(enumType, item);
                if (member != null && !members.Contains(member)) members.Add(member);
            }
            if (members.Count == 0) return null;
            var array = Array.CreateInstance(enumType, members.Count);
            for (int i = 0; i < members.Count; i++) array.SetValue(members[i], i);
            return array;
        }

        /// <summary>A [Flags] enum from a comma list ("ChunkedLoss,Compile"), an array, or a value with only defined bits.</summary>
        public static object? Flags(Type enumType, object? value)
        {
            if (value != null && value.GetType() == enumType)
            {
                long all = 0;
                foreach (object member in Enum.GetValues(enumType)) all |= Convert.ToInt64(member, CultureInfo.InvariantCulture);
                long bits = Convert.ToInt64(value, CultureInfo.InvariantCulture);
                if ((bits & ~all) != 0) throw new InvalidSettingValueException(value, $"a list of {enumType.Name}", EnumSpellings.Allowed(enumType));
                return value;
            }
            var members = EnumMembers(enumType, value);
            if (members is null) return null;
            long combined = 0;
            foreach (object member in members) combined |= Convert.ToInt64(member, CultureInfo.InvariantCulture);
            return Enum.ToObject(enumType, combined);
        }

        /// <summary>The items of a comma list, an array of them, or both, without blanks.</summary>
        public static IEnumerable<object> Items(object? value)
        {
            switch (value)
            {
                case null:
                    yield break;
                case string text:
                    foreach (string part in text.Split(','))
                    {
                        if (part.Trim().Length > 0) yield return part.Trim();
                    }
                    yield break;
                case IEnumerable many:
                    foreach (object? each in many)
                    {
                        foreach (object item in Items(each)) yield return item;
                    }
                    yield break;
                default:
                    yield return value;
                    yield break;
            }
        }

        private static int? Integer(object? value, bool tokens)
        {
            if (IsBlank(value)) return null;
            string allowed = tokens ? TokenLengthAllowed : WholeNumberAllowed;
            string expected = tokens ? "a token length" : "a whole number";
            decimal number;
            if (value is string text)
            {
                text = text.Trim();
                decimal scale = 1;
                if (tokens && text.Length > 1 && (text[text.Length - 1] == 'k' || text[text.Length - 1] == 'K'))
                {
                    scale = TokensPerK;
                    text = text.Substring(0, text.Length - 1).TrimEnd();
                }
                var style = scale == 1 ? NumberStyles.AllowLeadingSign : NumberStyles.AllowDecimalPoint;
                if (!decimal.TryParse(text, style, CultureInfo.InvariantCulture, out number))
                    throw new InvalidSettingValueException(value, expected, allowed);
                number *= scale;
            }
            else if (IsNumeric(value!) && !(value is double d && (double.IsNaN(d) || double.IsInfinity(d)))
                     && !(value is float f && (float.IsNaN(f) || float.IsInfinity(f))))
            {
                try
                {
                    number = Convert.ToDecimal(value, CultureInfo.InvariantCulture);
                }
                catch (OverflowException)
                {
                    throw new InvalidSettingValueException(value!, expected, allowed);
                }
            }
            else
            {
                throw new InvalidSettingValueException(value!, expected, allowed);
            }
            if (number != decimal.Truncate(number) || number < int.MinValue || number > int.MaxValue)
                throw new InvalidSettingValueException(value!, expected, allowed);
            return (int)number;
        }

        private static bool IsBlank(object? value) => value is null || value is string text && string.IsNullOrWhiteSpace(text);

        private static bool IsNumeric(object value) =>
            value is int || value is long || value is short || value is byte || value is sbyte || value is uint || value is ulong
            || value is ushort || value is double || value is float || value is decimal;

        private static string Text(object value) => Convert.ToString(value, CultureInfo.InvariantCulture) ?? "";
    }
}
