using System;
using System.Collections.Generic;
using YamlDotNet.Core;
using YamlDotNet.Core.Events;

namespace VramPS.Yaml
{
    /// <summary>
    /// Reads one YAML document into plain values, safely: a mapping is a list of key-value pairs in file order, a
    /// sequence a list, a scalar a <see cref="YamlScalar"/>. Only YamlDotNet's parser runs (no deserializer, so no tag
    /// ever constructs an object): a node with an explicit tag other than YAML's own str, int, float, bool, null, map
    /// and seq is refused, as PyYAML's safe_load refuses python/* tags. An alias reuses its anchor's node and counts
    /// its full size, so a document whose aliases would expand past <paramref name="maxNodes"/> (a "billion laughs"
    /// YAML bomb) is refused before it is walked. Merge keys (&lt;&lt;) merge as PyYAML does; a key given twice is
    /// refused. Every refusal is a <see cref="FormatException"/> naming the line.
    /// </summary>
    public static class YamlTree
    {
        private const string CoreTagPrefix = "tag:yaml.org,2002:";
        private static readonly HashSet<string> CoreTags = new HashSet<string>(StringComparer.Ordinal)
        {
            "str", "int", "float", "bool", "null", "map", "seq",
        };

        public static object? Parse(string text, int maxNodes, int maxDepth)
        {
            var reader = new Reader(new Parser(new System.IO.StringReader(text)), maxNodes, maxDepth);
            return reader.Document();
        }

        private sealed class Reader
        {
            private readonly IParser _parser;
            private readonly int _maxNodes;
            private readonly int _maxDepth;
            private readonly Dictionary<string, (object? Node, long Size)> _anchors = new Dictionary<string, (object?, long)>(StringComparer.Ordinal);
            private long _nodes;

            public Reader(IParser parser, int maxNodes, int maxDepth)
            {
                _parser = parser;
                _maxNodes = maxNodes;
                _maxDepth = maxDepth;
            }

            public object? Document()
            {
                try
                {
                    Expect<StreamStart>();
                    if (_parser.Accept<StreamEnd>(out _)) return null;
                    Expect<DocumentStart>();
                    var (root, _) = Node(0);
                    Expect<DocumentEnd>();
                    if (!_parser.Accept<StreamEnd>(out var end))
                        throw new FormatException($"line {Line(_parser.Current)}: more than one YAML document; a config file holds one.");
                    return root;
                }
                catch (YamlException e)
                {
                    throw new FormatException($"line {e.Start.Line}: {e.Message}", e);
                }
                catch (InvalidOperationException e)
                {
                    throw new FormatException($"line {Line(_parser.Current)}: the document ends or breaks off inside a value ({e.Message}).", e);
                }
            }

            private void Expect<T>() where T : ParsingEvent => _parser.Consume<T>();

            private (object? Node, long Size) Node(int depth)
            {
                if (depth > _maxDepth)
                    throw new FormatException($"line {Line(_parser.Current)}: nested deeper than {_maxDepth} levels.");
                var current = _parser.Current ?? throw new FormatException("the document ends inside a value.");
                if (_parser.TryConsume<AnchorAlias>(out var alias))
                {
                    if (!_anchors.TryGetValue(alias.Value.Value, out var target))
                        throw new FormatException($"line {Line(alias)}: alias *{alias.Value} names no anchor before it.");
                    Count(target.Size, alias);
                    return target;
                }
                if (current is NodeEvent node)
                {
                    CheckTag(node);
                    (object? Node, long Size) result;
                    switch (node)
                    {
                        case Scalar scalar:
                            _parser.MoveNext();
                            Count(1, scalar);
                            result = (new YamlScalar(scalar.Value, scalar.Style == ScalarStyle.Plain && scalar.Tag.IsEmpty, Line(scalar)), 1);
                            break;
                        case SequenceStart _:
                            result = Sequence(depth);
                            break;
                        case MappingStart _:
                            result = Mapping(depth);
                            break;
                        default:
                            throw new FormatException($"line {Line(node)}: unexpected {node.GetType().Name}.");
                    }
                    if (!node.Anchor.IsEmpty) _anchors[node.Anchor.Value] = result;
                    return result;
                }
                throw new FormatException($"line {Line(current)}: unexpected {current.GetType().Name}.");
            }

            private (object? Node, long Size) Sequence(int depth)
            {
                var start = _parser.Consume<SequenceStart>();
                Count(1, start);
                var items = new List<object?>();
                long size = 1;
                while (!_parser.TryConsume<SequenceEnd>(out _))
                {
                    var (item, itemSize) = Node(depth + 1);
                    items.Add(item);
                    size += itemSize;
                }
                return (items, size);
            }

            private (object? Node, long Size) Mapping(int depth)
            {
                var start = _parser.Consume<MappingStart>();
                Count(1, start);
                var pairs = new List<KeyValuePair<string, object?>>();
                var merged = new List<KeyValuePair<string, object?>>();
                var keys = new HashSet<string>(StringComparer.Ordinal);
                long size = 1;
                while (!_parser.TryConsume<MappingEnd>(out _))
                {
                    var keyEvent = _parser.Current;
                    var (key, keySize) = Node(depth + 1);
                    if (!(key is YamlScalar keyScalar))
                        throw new FormatException($"line {Line(keyEvent)}: a mapping key must be a scalar.");
                    var (value, valueSize) = Node(depth + 1);
                    size += keySize + valueSize;
                    if (keyScalar.Plain && keyScalar.Text == "<<")
                    {
                        AddMerge(value, merged, keyScalar.Line);
                        continue;
                    }
                    if (!keys.Add(keyScalar.Text))
                        throw new FormatException($"line {keyScalar.Line}: the key '{keyScalar.Text}' is given twice.");
                    pairs.Add(new KeyValuePair<string, object?>(keyScalar.Text, value));
                }
                foreach (var pair in merged)
                {
                    if (keys.Add(pair.Key)) pairs.Add(pair);
                }
                return (pairs, size);
            }

            private static void AddMerge(object? value, List<KeyValuePair<string, object?>> merged, long line)
            {
                var sources = value is List<object?> list ? list : new List<object?> { value };
                foreach (var source in sources)
                {
                    if (!(source is List<KeyValuePair<string, object?>> map))
                        throw new FormatException($"line {line}: a merge key (<<) takes a mapping or a list of mappings.");
                    foreach (var pair in map)
                    {
                        if (!merged.Exists(p => p.Key == pair.Key)) merged.Add(pair);
                    }
                }
            }

            private static void CheckTag(NodeEvent node)
            {
                if (node.Tag.IsEmpty || node.Tag.IsNonSpecific) return;
                string tag = node.Tag.Value;
                if (tag.StartsWith(CoreTagPrefix, StringComparison.Ordinal) && CoreTags.Contains(tag.Substring(CoreTagPrefix.Length))) return;
                throw new FormatException($"line {Line(node)}: the tag {tag} is refused; a config file may use YAML's own types only (nothing is constructed from a tag).");
            }

            private void Count(long nodes, ParsingEvent at)
            {
                _nodes += nodes;
                if (_nodes > _maxNodes)
                    throw new FormatException($"line {Line(at)}: the document expands to more than {_maxNodes} values (aliases included); refused as a YAML bomb.");
            }

            private static long Line(ParsingEvent? e) => e?.Start.Line ?? 0;
        }
    }
}
