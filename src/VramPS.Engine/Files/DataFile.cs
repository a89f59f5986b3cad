using System;
using System.IO;
using System.Reflection;
using System.Security;
using System.Text;
using VramPS.Engine.Errors;

namespace VramPS.Engine.Files
{
    /// <summary>
    /// Reads a file the user named (a model or GPU catalog, a config.json, an inventory) as text, under the rules every
    /// VramPS reader shares: a local path, never a URL; a regular file (a link is followed to one), never a directory,
    /// device, pipe or socket; at most <see cref="MaxBytes"/>; UTF-8, with or without a byte order mark. Nothing is run,
    /// written or fetched. Every refusal is an <see cref="InvalidDataFileException"/> naming the path.
    /// </summary>
    internal static class DataFile
    {
        public const int MaxBytes = 16 * 1024 * 1024;

        private static readonly UTF8Encoding StrictUtf8 = new UTF8Encoding(false, true);

        /// <summary>FileSystemInfo.ResolveLinkTarget(bool) of .NET 6 and later; null on runtimes without it.</summary>
        private static readonly MethodInfo? ResolveLinkTarget =
            typeof(FileSystemInfo).GetRuntimeMethod("ResolveLinkTarget", new[] { typeof(bool) });

        public static string ReadText(string? path)
        {
            if (path is null || path.Trim().Length == 0)
                throw new InvalidDataFileException(path ?? "", "no file path was given.");
            string? scheme = UrlScheme(path);
            if (scheme != null)
            {
                throw new InvalidDataFileException(path,
                    $"starts with the URL scheme '{scheme}:'; VramPS reads local files only (write ./{path} for a file of that name).");
            }
            try
            {
                return Decode(path, ReadBounded(path, RegularFile(path)));
            }
            catch (Exception e) when (e is IOException || e is UnauthorizedAccessException || e is ArgumentException
                                      || e is NotSupportedException || e is SecurityException)
            {
                throw new InvalidDataFileException(path, "cannot be read: " + e.Message, e);
            }
        }

        /// <summary>
        /// The scheme of text that starts like a URL (https:, file:, ftp:), or null. A scheme has at least two characters,
        /// so a Windows drive letter (C:) stays a path.
        /// </summary>
        private static string? UrlScheme(string path)
        {
            int colon = path.IndexOf(':');
            if (colon < 2) return null;
            for (int i = 0; i < colon; i++)
            {
                char c = path[i];
                bool letter = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
                if (!letter && (i == 0 || !((c >= '0' && c <= '9') || c == '+' || c == '-' || c == '.'))) return null;
            }
            return path.Substring(0, colon);
        }

        /// <summary>
        /// The file to open: the path itself, or the final target of a link. Devices, pipes and sockets report a length of
        /// 0, so refusing empty files also keeps them from ever being opened (opening a pipe would wait for a writer).
        /// </summary>
        private static string RegularFile(string path)
        {
            if (Directory.Exists(path)) throw new InvalidDataFileException(path, "is a directory, not a file.");
            var file = new FileInfo(path);
            if ((file.Attributes & FileAttributes.ReparsePoint) != 0 && file.Exists) file = LinkTarget(path, file);
            if (!file.Exists) throw new InvalidDataFileException(path, "file not found.");
            if (file.Length == 0) throw new InvalidDataFileException(path, "is empty or not a regular file.");
            if (file.Length > MaxBytes) throw TooLarge(path);
            return file.FullName;
        }

        private static FileInfo LinkTarget(string path, FileInfo link)
        {
            if (ResolveLinkTarget is null)
                throw new InvalidDataFileException(path, "is a link, which this PowerShell cannot follow safely: name the file it points to.");
            FileSystemInfo? target;
            try
            {
                target = ResolveLinkTarget.Invoke(link, new object[] { true }) as FileSystemInfo;
            }
            catch (TargetInvocationException e)
            {
                throw new InvalidDataFileException(path, "is a link that cannot be followed: " + e.InnerException?.Message, e);
            }
            if (target is null || !target.Exists)
                throw new InvalidDataFileException(path, "is a link to a file that does not exist.");
            if (target is DirectoryInfo || (target.Attributes & FileAttributes.Directory) != 0)
                throw new InvalidDataFileException(path, "is a link to a directory, not a file.");
            return new FileInfo(target.FullName);
        }

        /// <summary>The file's bytes; reading stops past the limit, so a file that grows after the check is refused too.</summary>
        private static byte[] ReadBounded(string path, string file)
        {
            using (var stream = new FileStream(file, FileMode.Open, FileAccess.Read, FileShare.ReadWrite))
            using (var buffer = new MemoryStream())
            {
                var chunk = new byte[81920];
                int read;
                while ((read = stream.Read(chunk, 0, chunk.Length)) > 0)
                {
                    if (buffer.Length + read > MaxBytes) throw TooLarge(path);
                    buffer.Write(chunk, 0, read);
                }
                if (buffer.Length == 0) throw new InvalidDataFileException(path, "is empty or not a regular file.");
                return buffer.ToArray();
            }
        }

        private static string Decode(string path, byte[] bytes)
        {
            if (bytes.Length >= 2 && ((bytes[0] == 0xFF && bytes[1] == 0xFE) || (bytes[0] == 0xFE && bytes[1] == 0xFF)))
                throw new InvalidDataFileException(path, "is UTF-16 text; save it as UTF-8 (Set-Content -Encoding utf8).");
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
            new InvalidDataFileException(path, $"is larger than {MaxBytes / (1024 * 1024)} MiB, the limit for data files.");
    }
}
