using System;
using System.IO;
using System.Text;

namespace VramPS.Engine.Tests.Gpus
{
    /// <summary>A scratch folder for data files, deleted when the test ends.</summary>
    internal sealed class TempFolder : IDisposable
    {
        public TempFolder()
        {
            Path = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "vramps-tests-" + Guid.NewGuid().ToString("N"));
            Directory.CreateDirectory(Path);
        }

        public string Path { get; }

        public string Write(string name, string text) => WriteBytes(name, new UTF8Encoding(false).GetBytes(text));

        public string WriteBytes(string name, byte[] bytes)
        {
            string file = System.IO.Path.Combine(Path, name);
            File.WriteAllBytes(file, bytes);
            return file;
        }

        public void Dispose() => Directory.Delete(Path, recursive: true);
    }
}
