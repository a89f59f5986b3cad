using System;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Runtime.InteropServices;

namespace VramPS.Reports
{
    /// <summary>Opens a file in the desktop's default browser: the shell on Windows, open on macOS, xdg-open in a Linux desktop session.</summary>
    internal static class DefaultBrowser
    {
        /// <summary>Opens <paramref name="path"/>; false where there is no desktop to open it in (a server, a container, SSH).</summary>
        public static bool TryOpen(string path)
        {
            if (RuntimeInformation.IsOSPlatform(OSPlatform.Windows))
            {
                Process.Start(new ProcessStartInfo(path) { UseShellExecute = true })?.Dispose();
                return true;
            }
            string? opener = RuntimeInformation.IsOSPlatform(OSPlatform.OSX) ? "open" : LinuxOpener();
            if (opener is null) return false;
            var start = new ProcessStartInfo(opener, "\"" + path.Replace("\"", "\\\"") + "\"") { UseShellExecute = false };
            Process.Start(start)?.Dispose();
            return true;
        }

        private static string? LinuxOpener()
        {
            bool desktop = !string.IsNullOrEmpty(Environment.GetEnvironmentVariable("DISPLAY"))
                || !string.IsNullOrEmpty(Environment.GetEnvironmentVariable("WAYLAND_DISPLAY"));
            if (!desktop) return null;
            string paths = Environment.GetEnvironmentVariable("PATH") ?? "";
            return paths.Split(Path.PathSeparator).Where(d => d.Length > 0).Select(d => Path.Combine(d, "xdg-open")).FirstOrDefault(File.Exists);
        }
    }
}
