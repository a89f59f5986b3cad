using System;
using System.Collections.Generic;
using VramPS.Yaml;
using Xunit;

namespace VramPS.Engine.Tests.Configs
{
    /// <summary>The safe YAML reader: what PyYAML's safe_load would build, and what it refuses.</summary>
    public class YamlTreeTests
    {
        private static List<KeyValuePair<string, object?>> Map(string text) =>
            (List<KeyValuePair<string, object?>>)YamlTree.Parse(text, 1000, 32)!;

        [Fact]
        public void Keeps_keys_in_file_order_and_marks_quoted_scalars()
        {
            var map = Map("b: 1\na: \"true\"\nc: yes\n");
            Assert.Equal(new[] { "b", "a", "c" }, map.ConvertAll(p => p.Key));
            var quoted = (YamlScalar)map[1].Value!;
            Assert.Equal("true", quoted.Text);
            Assert.False(quoted.Plain);
            Assert.True(((YamlScalar)map[2].Value!).Plain);
        }

        [Fact]
        public void Merges_a_merge_key_without_overriding_the_mapping_own_keys()
        {
            var map = Map("base: &b {x: 1, y: 2}\nchild:\n  <<: *b\n  y: 3\n");
            var child = (List<KeyValuePair<string, object?>>)map[1].Value!;
            Assert.Equal(new[] { "y", "x" }, child.ConvertAll(p => p.Key));
            Assert.Equal("3", ((YamlScalar)child[0].Value!).Text);
        }

        [Fact]
        public void Refuses_a_key_given_twice()
        {
            var e = Assert.Throws<FormatException>(() => Map("a: 1\na: 2\n"));
            Assert.Contains("'a' is given twice", e.Message);
        }

        [Fact]
        public void Refuses_python_object_tags()
        {
            var e = Assert.Throws<FormatException>(() => Map("a: !!python/object/apply:os.system ['ls']\n"));
            Assert.Contains("tag:yaml.org,2002:python/object/apply:os.system", e.Message);
        }

        [Fact]
        public void Accepts_the_core_tags()
        {
            var map = Map("a: !!str 8\nb: !!int 3\n");
            Assert.False(((YamlScalar)map[0].Value!).Plain);
        }

        [Fact]
        public void Counts_what_aliases_expand_to()
        {
            // 3 levels of 10 aliases each: 10 + 10x11 + 10x111 values, past a budget of 1,000 at the third level
            string text = "a: &a [1,1,1,1,1,1,1,1,1,1]\nb: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a,*a]\nc: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b,*b]\n";
            var e = Assert.Throws<FormatException>(() => Map(text));
            Assert.Contains("YAML bomb", e.Message);
            Assert.Contains("line 3", e.Message);
            Assert.NotNull(YamlTree.Parse("a: &a [1,1,1,1,1,1,1,1,1,1]\nb: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a,*a]\n", 1000, 32));
        }

        [Fact]
        public void Refuses_nesting_past_the_depth_limit()
        {
            var e = Assert.Throws<FormatException>(() => YamlTree.Parse("a: [[[[1]]]]", 1000, 3));
            Assert.Contains("deeper than 3", e.Message);
        }

        [Fact]
        public void Refuses_a_second_document()
        {
            Assert.Throws<FormatException>(() => Map("a: 1\n---\nb: 2\n"));
        }
    }
}
