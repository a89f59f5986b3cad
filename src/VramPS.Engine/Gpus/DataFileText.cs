using System;
using System.IO;
using System.Security;
using System.Text;
using VramPS.Engine.Errors;

namespace VramPS.Engine.Gpus
{
    /// <summary>
    /// Reads a user data file (GPU catalog, inventory) as UTF-8 text under the file rules: a regular, non-empty file
    /// of at most <see cref="MaxBytes"/>. Everything that goes wrong is an <see cref="InvalidDataFileException"/>.
    /// </summary>
    internal static class DataFileText
    {
        public const int MaxBytes = 16 * 1024 * 1024;

        private static readonly UTF8Encoding StrictUtf8 = new UTF8Encoding(false, true);

        public static string Read(string? path)
        {
            if (path is null || path.Trim().Length == 0)
                throw new InvalidDataFileException(path ?? "", "no file path was given.");
            try
            {
                if (Directory.Exists(path)) throw new InvalidDataFileException(path, "is a directory, not a file.");
                var info = new FileInfo(path);
                if (!info.Exists) throw new InvalidDataFileException(path, "file not found.");
                // Devices, pipes and sockets report length 0, so this also keeps them from being opened.
                if (info.Length == 0) throw new InvalidDataFileException(path, "is empty or not a regular file.");
                if (info.Length > MaxBytes) throw TooLarge(path);
                return Decode(path, ReadBounded(path));
            }
            catch (Exception e) when (e is IOException || e is UnauthorizedAccessException || e is ArgumentException
                                      || e is NotSupportedException || e is SecurityException)
            {
                throw new InvalidDataFileException(path, "cannot be read: " + e.Message, e);
            }
        }

        private static byte[] ReadBounded(string path)
        {
            using (var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite))
            using (var buffer = new MemoryStream())
            {
                var chunk = new byte[81920];
                int read;
                while ((read = stream.Read(chunk, 0, chunk.Length)) > 0)
                {
                    if (buffer.Length + read > MaxBytes) throw TooLarge(path);
                    buffer.Write(chunk, 0, read);
                }
                return buffer.ToArray();
            }
        }

        private static string Decode(string path, byte[] bytes)
        {
            int start = bytes.Length >= 3 && bytes[0] == 0xEF && bytes[1] == 0xBB && bytes[2] == 0xBF ? 3 : 0;
            try
            {
                return StrictUtf8.GetString(bytes, start, bytes.Length - start);
            }
            catch (DecoderFallbackException e)
            {
                throw new InvalidDataFileException(path, "is not UTF-8 text.", e);
            }
        }

        private static InvalidDataFileException TooLarge(string path) =>
            new InvalidDataFileException(path, $"is larger than {MaxBytes / (1024 * 1024)} MiB.");
    }
}
