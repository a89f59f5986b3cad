using System.Collections.Generic;
using System.Collections.ObjectModel;
using System.Linq;

namespace VramPS.Engine.Text
{
    /// <summary>
    /// A read-only list that reads as one line of text: Export-Csv writes a property's ToString(), so a list property of
    /// a result object shows its items ("q_proj, v_proj") instead of its type name.
    /// </summary>
    public sealed class ReadableList<T> : ReadOnlyCollection<T>
    {
        private readonly string _separator;

        internal ReadableList(IList<T> items, string separator) : base(items) => _separator = separator;

        public override string ToString() => string.Join(_separator, this.Select(item => item?.ToString()));
    }

    /// <summary>Makes <see cref="ReadableList{T}"/>s: items a user gives back (names) joined by commas, sentences and rows by "; ".</summary>
    internal static class ReadableList
    {
        /// <summary>Names, joined by ", " so the text binds back to a comma-list parameter.</summary>
        internal static ReadableList<string> Names(IEnumerable<string>? names) => new(Copy(names), ", ");

        /// <summary>Sentences or rows, joined by "; ".</summary>
        internal static ReadableList<T> Rows<T>(IEnumerable<T>? rows) => new(Copy(rows), "; ");

        private static IList<T> Copy<T>(IEnumerable<T>? items) => items is null ? new T[0] : items.ToArray();
    }
}
