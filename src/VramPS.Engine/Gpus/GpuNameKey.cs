using System.Text;

namespace VramPS.Engine.Gpus
{
    /// <summary>
    /// The form in which GPU names are compared: upper case, with spaces, hyphens and underscores dropped, so that
    /// "RTX 4090", "rtx-4090" and "RTX_4090" are one name.
    /// </summary>
    internal static class GpuNameKey
    {
        public static string Of(string name)
        {
            var key = new StringBuilder(name.Length);
            foreach (char c in name)
            {
                if (!IsSeparator(c)) key.Append(char.ToUpperInvariant(c));
            }
            return key.ToString();
        }

        private static bool IsSeparator(char c) => c == '-' || c == '_' || char.IsWhiteSpace(c);
    }
}
