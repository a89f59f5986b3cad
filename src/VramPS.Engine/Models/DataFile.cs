using System;
using System.IO;
using System.Reflection;
using System.Text;
using Newtonsoft.Json;
using Newtonsoft.Json.Linq;
using VramPS.Engine.Errors;

namespace VramPS.Engine.Models
{
    /// <summary>
    /// Reads a user's data file (a model catalog, a config.json) as JSON under fixed rules: a local regular file (a link
    /// is followed to one), never a URL, at most 16 MiB, valid UTF-8 JSON nested at most 16 deep. Every failure is an
    /// InvalidDataFileException naming the path.
    /// </summary>
    internal static class DataFile
    {
        public const long MaxBytes = 16L * 1024 * 1024;
        public const int MaxDepth = 16;

        /// <summary>Windows PowerShell's Set-Content -Encoding UTF8 starts a file with one.</summary>
        private const char ByteOrderMark = '\uFEFF';

        public static JToken ReadJson(string path)
        {
            string text = ReadText(path);
            return ParseJson(text, path);
        }

        public static JToken ParseJson(string text, string path)
        {
            try
            {
                using (var reader = new JsonTextReader(new StringReader(text)) { MaxDepth = MaxDepth, DateParseHandling = DateParseHandling.None })
                {
                    var token = JToken.ReadFrom(reader);
                    if (reader.Read())
                        throw new InvalidDataFileException(path, $"is not valid JSON: unexpected content after the end of the document at line {reader.LineNumber}.");
                    return token;
                }
            }
            catch (JsonException e)
            {
                throw new InvalidDataFileException(path, "is not valid JSON: " + e.Message, e);
            }
        }

        public static string ReadText(string path)
        {
            if (string.IsNullOrWhiteSpace(path))
                throw new InvalidDataFileException(path ?? "", "is not a file path.");
            if (path.IndexOf("://", StringComparison.Ordinal) >= 0)
                throw new InvalidDataFileException(path, "is a URL; VramPS reads local files only.");
            if (Directory.Exists(path))
                throw new InvalidDataFileException(path, "is a directory, not a file.");

            var file = new FileInfo(path);
            if (!file.Exists)
                throw new InvalidDataFileException(path, "does not exist.");
            var target = LinkTarget(path, file) ?? file;
            if (!target.Exists)
                throw new InvalidDataFileException(path, "is a link to a file that does not exist.");
            if ((target.Attributes & FileAttributes.ReparsePoint) == 0)
                CheckSize(path, target.Length);

            try
            {
                using (var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read))
                {
                    CheckSize(path, stream.Length);
                    var buffer = new byte[stream.Length];
                    int read = 0;
                    while (read < buffer.Length)
                    {
                        int n = stream.Read(buffer, read, buffer.Length - read);
                        if (n == 0) break;
                        read += n;
                    }
                    if (read != buffer.Length)
                        throw new InvalidDataFileException(path, "changed while it was being read.");
                    string text = new UTF8Encoding(false, true).GetString(buffer);
                    return text.Length > 0 && text[0] == ByteOrderMark ? text.Substring(1) : text;
                }
            }
            catch (DecoderFallbackException e)
            {
                throw new InvalidDataFileException(path, "is not UTF-8 text.", e);
            }
            catch (Exception e) when (e is IOException || e is UnauthorizedAccessException || e is NotSupportedException)
            {
                throw new InvalidDataFileException(path, "cannot be read: " + e.Message, e);
            }
        }

        private static void CheckSize(string path, long length)
        {
            if (length == 0)
                throw new InvalidDataFileException(path, "is empty or not a regular file.");
            if (length > MaxBytes)
                throw new InvalidDataFileException(path, $"is {length:N0} bytes; data files are limited to 16 MiB.");
        }

        /// <summary>
        /// The final target of a symbolic link, where the runtime can say (FileSystemInfo.ResolveLinkTarget, .NET 6 and
        /// later); null for a plain file or on runtimes without it.
        /// </summary>
        private static FileInfo? LinkTarget(string path, FileInfo file)
        {
            if ((file.Attributes & FileAttributes.ReparsePoint) == 0) return null;
            var resolve = typeof(FileSystemInfo).GetRuntimeMethod("ResolveLinkTarget", new[] { typeof(bool) });
            if (resolve is null) return null;
            try
            {
                return resolve.Invoke(file, new object[] { true }) is FileSystemInfo target ? new FileInfo(target.FullName) : null;
            }
            catch (TargetInvocationException e)
            {
                throw new InvalidDataFileException(path, "is a link that cannot be followed: " + e.InnerException?.Message, e);
            }
        }
    }
}
