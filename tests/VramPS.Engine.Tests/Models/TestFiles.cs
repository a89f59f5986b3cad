using System;
using System.IO;
using System.Linq;
using System.Runtime.CompilerServices;

namespace VramPS.Engine.Tests.Models
{
    /// <summary>
    /// The config.json fixtures next to this source file, and a scratch folder for files the tests write. Fixtures are
    /// read from the source tree (found through the compiler's CallerFilePath), so the project copies nothing.
    /// </summary>
    internal sealed class TestFiles : IDisposable
    {
        public TestFiles()
        {
            Folder = Path.Combine(Path.GetTempPath(), "vramps-models-" + Guid.NewGuid().ToString("N"));
            Directory.CreateDirectory(Folder);
        }

        public string Folder { get; }

        public static string Fixture(string name, [CallerFilePath] string source = "") =>
            Path.Combine(Path.GetDirectoryName(source)!, "Fixtures", name);

        /// <summary>Every config.json fixture, in name order.</summary>
        public static string[] AllFixtures() =>
            Directory.GetFiles(Path.GetDirectoryName(Fixture("README.md"))!, "*.json").OrderBy(f => f, StringComparer.Ordinal).ToArray();

        public string Write(string name, string text)
        {
            string path = Path.Combine(Folder, name);
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            File.WriteAllText(path, text);
            return path;
        }

        /// <summary>A file of the given length (sparse where the file system allows), for the size limit.</summary>
        public string Sized(string name, long length)
        {
            string path = Path.Combine(Folder, name);
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            using (var stream = new FileStream(path, FileMode.Create, FileAccess.Write))
            {
                stream.SetLength(length);
            }
            return path;
        }

        /// <summary>JSON arrays nested the given number of levels deep.</summary>
        public static string Nested(int depth) => new string('[', depth) + new string(']', depth);

        public void Dispose() => Directory.Delete(Folder, recursive: true);
    }
}
