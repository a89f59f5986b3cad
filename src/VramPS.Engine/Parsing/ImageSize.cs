using System.Globalization;
using VramPS.Engine.Errors;

namespace VramPS.Engine.Parsing
{
    /// <summary>Parses an image size as users write it: WIDTHxHEIGHT in pixels (1024x768, 640X480).</summary>
    public static class ImageSize
    {
        /// <summary>The largest side accepted: far past any processor's limit (Qwen-VL's max_pixels is 3584 x 3584).</summary>
        public const int MaxSide = 1 << 16;

        public static (int Width, int Height) Parse(string? text, string parameter)
        {
            string value = (text ?? "").Trim();
            string[] parts = value.Split('x', 'X');
            if (parts.Length == 2 && Side(parts[0]) is int width && Side(parts[1]) is int height) return (width, height);
            throw new InvalidWorkloadException(parameter,
                $"-{parameter} '{text}' is not an image size. Use WIDTHxHEIGHT in pixels, each side 1 to {MaxSide}, for example '1024x1024'.");
        }

        private static int? Side(string part) =>
            int.TryParse(part.Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out int side) && side >= 1 && side <= MaxSide ? side : (int?)null;
    }
}
