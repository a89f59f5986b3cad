using System.Collections.Generic;
using System.Linq;

namespace VramPS.Engine.Tests.Fuzz
{
    /// <summary>
    /// Strings (a -Params value, a framework name) as corpus bytes: each UTF-16 code unit as two little-endian bytes, so
    /// lone surrogates survive the round trip that an encoding would replace.
    /// </summary>
    internal static class TextInput
    {
        public static byte[] ToBytes(string text)
        {
            var bytes = new byte[text.Length * 2];
            for (int i = 0; i < text.Length; i++)
            {
                bytes[2 * i] = (byte)text[i];
                bytes[2 * i + 1] = (byte)(text[i] >> 8);
            }
            return bytes;
        }

        public static string FromBytes(byte[] bytes)
        {
            var chars = new char[bytes.Length / 2];
            for (int i = 0; i < chars.Length; i++) chars[i] = (char)(bytes[2 * i] | (bytes[2 * i + 1] << 8));
            return new string(chars);
        }

        public static IReadOnlyList<byte[]> Seeds(IEnumerable<string> texts) => texts.Select(ToBytes).ToArray();
    }
}
