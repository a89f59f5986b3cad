namespace VramPS.Engine.Gpus
{
    /// <summary>Matches text against a pattern in which * stands for any run of characters and ? for any one.</summary>
    internal static class Wildcard
    {
        /// <summary>Whole-text, ordinal match; callers compare name keys, which are already upper case.</summary>
        public static bool IsMatch(string text, string pattern)
        {
            int t = 0, p = 0;
            int starAt = -1, resumeAt = 0;
            while (t < text.Length)
            {
                if (p < pattern.Length && (pattern[p] == '?' || pattern[p] == text[t]))
                {
                    t++;
                    p++;
                }
                else if (p < pattern.Length && pattern[p] == '*')
                {
                    starAt = p++;
                    resumeAt = t;
                }
                else if (starAt >= 0)
                {
                    p = starAt + 1;
                    t = ++resumeAt;
                }
                else
                {
                    return false;
                }
            }
            while (p < pattern.Length && pattern[p] == '*') p++;
            return p == pattern.Length;
        }
    }
}
