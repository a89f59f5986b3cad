using System;
using System.Collections.Generic;
using System.Linq;
using System.Text;

namespace VramPS.Engine.Tests.Fuzz
{
    /// <summary>
    /// Derives hostile inputs from valid seeds: flipped bits and bytes, truncation, deleted and repeated ranges, splices
    /// of other seeds, deep nesting, JSON values swapped for huge numbers, NaN and Infinity, wrong types or odd unicode,
    /// invalid UTF-8, and now and then nothing at all. Deterministic for a given Random.
    /// </summary>
    internal sealed class Mutator
    {
        /// <summary>Values that sit at the edges of what a field can hold.</summary>
        public static readonly string[] Tokens =
        {
            "0", "-0", "-1", "1", "0.5", "1.0", "-1.5", "007", "0x10", "1e400", "-1e400", "1e-400", "4.9e-324",
            "1.7976931348623157e308", "2147483647", "2147483648", "-2147483649", "4294967296", "9223372036854775807",
            "9223372036854775808", "-9223372036854775809", "99999999999999999999999999999999999999", "NaN", "Infinity",
            "-Infinity", "\"NaN\"", "\"Infinity\"", "\"1e400\"", "\"-1\"", "\"7\"", "null", "true", "false", "[]", "{}", "\"\"",
            "\"x\"", "[1, 2]", "{\"a\": 1}", "[null]", "[[]]", "\"\\u0000\"", "\"\\ud800\"", "\"\\uffff\"", "\"é中🚀\"",
            "\"\u202Eevil\"", "\"a\\\"b\"", "\"" + new string('x', 300) + "\"", "undefined", "'single'", "1_000",
        };

        private static readonly string[] Unicode =
        {
            "é", "中", "🚀", "\u0000", "\u202E", "\uFEFF", "\uFFFE", "\u00A0", "\u2028", "\u0301", "٣", "７", "\uD800", "\uDC00",
        };

        private static readonly byte[][] BadUtf8 =
        {
            new byte[] { 0xC3 }, new byte[] { 0xFF }, new byte[] { 0xC0, 0x80 }, new byte[] { 0xED, 0xA0, 0x80 },
            new byte[] { 0xF4, 0x90, 0x80, 0x80 }, new byte[] { 0xE2, 0x82 }, new byte[] { 0xFE, 0xFF },
        };

        private readonly Random _rng;

        public Mutator(Random rng)
        {
            _rng = rng;
        }

        /// <summary>A mutation of one of the seeds: one to four edits, sometimes many more.</summary>
        public byte[] Bytes(IReadOnlyList<byte[]> seeds)
        {
            var data = new List<byte>(seeds[_rng.Next(seeds.Count)]);
            int edits = _rng.Next(10) == 0 ? 1 + _rng.Next(32) : 1 + _rng.Next(4);
            for (int e = 0; e < edits; e++) Edit(data, seeds);
            return data.ToArray();
        }

        /// <summary>A mutation of one of the seed strings, char by char (lone surrogates included).</summary>
        public string Text(IReadOnlyList<string> seeds)
        {
            var text = new StringBuilder(seeds[_rng.Next(seeds.Count)]);
            int edits = 1 + _rng.Next(4);
            for (int e = 0; e < edits; e++)
            {
                int at = _rng.Next(text.Length + 1);
                switch (_rng.Next(9))
                {
                    case 0 when text.Length > 0:
                        text.Remove(Math.Min(at, text.Length - 1), 1);
                        break;
                    case 1 when text.Length > 0:
                        text[Math.Min(at, text.Length - 1)] = (char)_rng.Next(0x20, 0x7F);
                        break;
                    case 2:
                        text.Insert(at, Unicode[_rng.Next(Unicode.Length)]);
                        break;
                    case 3:
                        text.Insert(at, Tokens[_rng.Next(Tokens.Length)].Trim('"'));
                        break;
                    case 4:
                        text.Insert(at, new string(Pick("0123456789.eE+-"), 1 + _rng.Next(400)));
                        break;
                    case 5:
                        text.Length = Math.Min(at, text.Length);
                        break;
                    case 6:
                        text.Insert(at, Pick("KMBTkmbtxe "));
                        break;
                    case 7:
                        text.Insert(at, (char)_rng.Next(0, 0x10000));
                        break;
                    default:
                        text.Insert(at, seeds[_rng.Next(seeds.Count)]);
                        break;
                }
            }
            return text.ToString();
        }

        private char Pick(string choices) => choices[_rng.Next(choices.Length)];

        private void Edit(List<byte> data, IReadOnlyList<byte[]> seeds)
        {
            int at = _rng.Next(data.Count + 1);
            switch (_rng.Next(14))
            {
                case 0 when data.Count > 0:
                    data[Math.Min(at, data.Count - 1)] ^= (byte)(1 << _rng.Next(8));
                    break;
                case 1 when data.Count > 0:
                    data[Math.Min(at, data.Count - 1)] = (byte)_rng.Next(256);
                    break;
                case 2:
                    data.RemoveRange(at, data.Count - at);
                    break;
                case 3:
                    data.RemoveRange(at, Math.Min(data.Count - at, 1 + _rng.Next(64)));
                    break;
                case 4:
                {
                    int length = Math.Min(data.Count - at, 1 + _rng.Next(256));
                    data.InsertRange(at, data.GetRange(at, length));
                    break;
                }
                case 5:
                {
                    var other = seeds[_rng.Next(seeds.Count)];
                    int from = _rng.Next(other.Length + 1);
                    data.InsertRange(at, other.Skip(from).Take(1 + _rng.Next(512)));
                    break;
                }
                case 6:
                    data.InsertRange(at, Utf8(Nesting(4 + _rng.Next(40))));
                    break;
                case 7:
                    data.InsertRange(at, BadUtf8[_rng.Next(BadUtf8.Length)]);
                    break;
                case 8:
                    data.InsertRange(at, Utf8(Unicode[_rng.Next(Unicode.Length)]));
                    break;
                case 9:
                    data.InsertRange(at, Utf8(Tokens[_rng.Next(Tokens.Length)]));
                    break;
                case 10 when _rng.Next(20) == 0:
                    data.Clear();
                    break;
                case 11:
                    data.InsertRange(at, Utf8(Pick(",\"\r\n:[]{}").ToString()));
                    break;
                default:
                    ReplaceJsonValue(data);
                    break;
            }
        }

        /// <summary>Arrays or objects nested the given number of levels (deeper than the readers allow from 17 on).</summary>
        private string Nesting(int depth)
        {
            if (_rng.Next(2) == 0) return new string('[', depth) + new string(']', depth);
            var text = new StringBuilder();
            for (int i = 0; i < depth; i++) text.Append("{\"a\": ");
            text.Append('1');
            text.Append('}', depth);
            return text.ToString();
        }

        /// <summary>Replaces the value after a random ':' (or a key before it) with an edge value, a nested one or another key.</summary>
        private void ReplaceJsonValue(List<byte> data)
        {
            var colons = new List<int>();
            for (int i = 0; i < data.Count; i++)
            {
                if (data[i] == (byte)':') colons.Add(i);
            }
            if (colons.Count == 0) return;
            int colon = colons[_rng.Next(colons.Count)];
            int start = colon + 1;
            while (start < data.Count && (data[start] == ' ' || data[start] == '\n' || data[start] == '\r' || data[start] == '\t')) start++;
            int end = ValueEnd(data, start);
            string replacement = _rng.Next(5) switch
            {
                0 => Nesting(10 + _rng.Next(20)),
                1 => "[" + Tokens[_rng.Next(Tokens.Length)] + "]",
                _ => Tokens[_rng.Next(Tokens.Length)],
            };
            data.RemoveRange(start, end - start);
            data.InsertRange(start, Utf8(replacement));
        }

        /// <summary>Where the JSON value starting at <paramref name="start"/> ends (strings, nested brackets, scalars).</summary>
        private static int ValueEnd(List<byte> data, int start)
        {
            if (start >= data.Count) return start;
            byte first = data[start];
            int i = start;
            if (first == '"')
            {
                for (i = start + 1; i < data.Count; i++)
                {
                    if (data[i] == '\\') i++;
                    else if (data[i] == '"') return i + 1;
                }
                return data.Count;
            }
            if (first == '[' || first == '{')
            {
                int depth = 0;
                bool inString = false;
                for (; i < data.Count; i++)
                {
                    byte c = data[i];
                    if (inString)
                    {
                        if (c == '\\') i++;
                        else if (c == '"') inString = false;
                    }
                    else if (c == '"') inString = true;
                    else if (c == '[' || c == '{') depth++;
                    else if ((c == ']' || c == '}') && --depth == 0) return i + 1;
                }
                return data.Count;
            }
            while (i < data.Count && data[i] != ',' && data[i] != '}' && data[i] != ']' && data[i] != '\n') i++;
            return i;
        }

        /// <summary>UTF-8 bytes; a lone surrogate becomes its 3-byte form, which strict UTF-8 decoding refuses.</summary>
        private static byte[] Utf8(string text)
        {
            if (text.Length != 1 || !char.IsSurrogate(text[0])) return Encoding.UTF8.GetBytes(text);
            char c = text[0];
            return new[] { (byte)(0xE0 | (c >> 12)), (byte)(0x80 | ((c >> 6) & 0x3F)), (byte)(0x80 | (c & 0x3F)) };
        }
    }
}
