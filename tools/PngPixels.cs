using System;
using System.IO;
using System.IO.Compression;

namespace VramPS.Tools
{
    /// <summary>
    /// Reads an 8-bit RGB or RGBA PNG (what Chromium's screenshots are) into pixels, so the report tests can check what
    /// the browser drew (the image's size, where pixels of a chart's colour lie), and writes it back cut to its content
    /// for docs/ (tools/Update-ReportPictures.ps1). Loaded with Add-Type; .NET's own libraries only.
    /// </summary>
    public sealed class PngPixels
    {
        private readonly byte[] _rgb;

        private PngPixels(int width, int height, byte[] rgb)
        {
            Width = width;
            Height = height;
            _rgb = rgb;
        }

        public int Width { get; }
        public int Height { get; }

        public static PngPixels Read(string path)
        {
            byte[] file = File.ReadAllBytes(path);
            int width = 0, height = 0, channels = 0;
            var data = new MemoryStream();
            for (int at = 8; at < file.Length;)
            {
                int length = BigEndian(file, at);
                string type = System.Text.Encoding.ASCII.GetString(file, at + 4, 4);
                if (type == "IHDR")
                {
                    width = BigEndian(file, at + 8);
                    height = BigEndian(file, at + 12);
                    if (file[at + 16] != 8 || file[at + 20] != 0) throw new InvalidDataException("Only 8-bit, non-interlaced PNG is read.");
                    channels = file[at + 17] == 6 ? 4 : file[at + 17] == 2 ? 3 : throw new InvalidDataException("Only RGB and RGBA PNG is read.");
                }
                else if (type == "IDAT") data.Write(file, at + 8, length);
                at += 12 + length;
            }
            data.Position = 0;
            var raw = new MemoryStream();
            using (var z = new ZLibStream(data, CompressionMode.Decompress)) z.CopyTo(raw);
            return new PngPixels(width, height, Unfilter(raw.ToArray(), width, height, channels));
        }

        /// <summary>How many pixels are within <paramref name="tolerance"/> of the colour, and the box they span (x0, y0, x1, y1).</summary>
        public int[] Find(string hex, int tolerance)
        {
            int r = Convert.ToInt32(hex.Substring(1, 2), 16), g = Convert.ToInt32(hex.Substring(3, 2), 16), b = Convert.ToInt32(hex.Substring(5, 2), 16);
            int count = 0, x0 = int.MaxValue, y0 = int.MaxValue, x1 = -1, y1 = -1;
            for (int y = 0; y < Height; y++)
            {
                for (int x = 0; x < Width; x++)
                {
                    int i = (y * Width + x) * 3;
                    if (Math.Abs(_rgb[i] - r) > tolerance || Math.Abs(_rgb[i + 1] - g) > tolerance || Math.Abs(_rgb[i + 2] - b) > tolerance) continue;
                    count++;
                    x0 = Math.Min(x0, x); y0 = Math.Min(y0, y); x1 = Math.Max(x1, x); y1 = Math.Max(y1, y);
                }
            }
            return new[] { count, x0, y0, x1, y1 };
        }

        /// <summary>Writes the image without the white rows under its content (keeping <paramref name="margin"/> of them) as an RGB PNG.</summary>
        public void SaveCropped(string path, int margin)
        {
            int last = Height - 1;
            while (last > 0 && IsWhiteRow(last)) last--;
            int height = Math.Min(Height, last + 1 + margin);
            var raw = new MemoryStream();
            using (var z = new ZLibStream(raw, CompressionLevel.Optimal, leaveOpen: true))
            {
                for (int y = 0; y < height; y++)
                {
                    z.WriteByte(0);
                    z.Write(_rgb, y * Width * 3, Width * 3);
                }
            }
            using var file = File.Create(path);
            file.Write(new byte[] { 137, 80, 78, 71, 13, 10, 26, 10 }, 0, 8);
            var header = new byte[13];
            WriteBigEndian(header, 0, Width);
            WriteBigEndian(header, 4, height);
            header[8] = 8;
            header[9] = 2;
            Chunk(file, "IHDR", header);
            Chunk(file, "IDAT", raw.ToArray());
            Chunk(file, "IEND", Array.Empty<byte>());
        }

        private bool IsWhiteRow(int y)
        {
            for (int i = y * Width * 3; i < (y + 1) * Width * 3; i++) if (_rgb[i] < 250) return false;
            return true;
        }

        private static void Chunk(Stream file, string type, byte[] data)
        {
            var length = new byte[4];
            WriteBigEndian(length, 0, data.Length);
            file.Write(length, 0, 4);
            byte[] typeBytes = System.Text.Encoding.ASCII.GetBytes(type);
            file.Write(typeBytes, 0, 4);
            file.Write(data, 0, data.Length);
            uint crc = Crc(Crc(0xFFFFFFFFu, typeBytes), data) ^ 0xFFFFFFFFu;
            var crcBytes = new byte[4];
            WriteBigEndian(crcBytes, 0, (int)crc);
            file.Write(crcBytes, 0, 4);
        }

        private static uint Crc(uint crc, byte[] data)
        {
            foreach (byte b in data)
            {
                crc ^= b;
                for (int k = 0; k < 8; k++) crc = (crc & 1) != 0 ? 0xEDB88320u ^ (crc >> 1) : crc >> 1;
            }
            return crc;
        }

        private static void WriteBigEndian(byte[] b, int at, int value)
        {
            b[at] = (byte)(value >> 24);
            b[at + 1] = (byte)(value >> 16);
            b[at + 2] = (byte)(value >> 8);
            b[at + 3] = (byte)value;
        }

        private static byte[] Unfilter(byte[] raw, int width, int height, int channels)
        {
            int stride = width * channels;
            var current = new byte[stride];
            var previous = new byte[stride];
            var rgb = new byte[width * height * 3];
            for (int y = 0; y < height; y++)
            {
                int filter = raw[y * (stride + 1)];
                Array.Copy(raw, y * (stride + 1) + 1, current, 0, stride);
                for (int i = 0; i < stride; i++)
                {
                    int left = i >= channels ? current[i - channels] : 0, up = previous[i], upLeft = i >= channels ? previous[i - channels] : 0;
                    int predicted = filter switch
                    {
                        1 => left,
                        2 => up,
                        3 => (left + up) / 2,
                        4 => Paeth(left, up, upLeft),
                        _ => 0,
                    };
                    current[i] = (byte)(current[i] + predicted);
                }
                for (int x = 0; x < width; x++) Array.Copy(current, x * channels, rgb, (y * width + x) * 3, 3);
                (previous, current) = (current, previous);
            }
            return rgb;
        }

        private static int Paeth(int a, int b, int c)
        {
            int p = a + b - c, pa = Math.Abs(p - a), pb = Math.Abs(p - b), pc = Math.Abs(p - c);
            return pa <= pb && pa <= pc ? a : pb <= pc ? b : c;
        }

        private static int BigEndian(byte[] b, int at) => (b[at] << 24) | (b[at + 1] << 16) | (b[at + 2] << 8) | b[at + 3];
    }
}
