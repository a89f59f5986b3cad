using System;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Runtime.InteropServices;
using System.Text;
using VramPS.Engine.Errors;
using VramPS.Engine.Files;
using VramPS.Engine.Tests.Gpus;
using Xunit;

namespace VramPS.Engine.Tests.Files
{
    /// <summary>The rules every data file is read under: local, regular, bounded, UTF-8.</summary>
    public sealed class DataFileTests : IDisposable
    {
        private readonly TempFolder _folder = new TempFolder();

        public void Dispose() => _folder.Dispose();

        private static InvalidDataFileException Refused(string path, string fragment)
        {
            var e = Assert.Throws<InvalidDataFileException>(() => DataFile.ReadText(path));
            Assert.Equal(path, e.Path);
            Assert.StartsWith(path + ": ", e.Message);
            Assert.Contains(fragment, e.Message);
            return e;
        }

        [Theory]
        [InlineData("https://example.com/config.json", "'https:'")]
        [InlineData("http://example.com/config.json", "'http:'")]
        [InlineData("file:///etc/hostname", "'file:'")]
        [InlineData("file:/etc/hostname", "'file:'")]
        [InlineData("FTP://host/x.json", "'FTP:'")]
        [InlineData("hf://meta-llama/Llama-2-7b-hf", "'hf:'")]
        public void A_url_is_refused_without_any_request(string url, string scheme)
        {
            Refused(url, "URL scheme " + scheme);
        }

        [Fact]
        public void A_relative_name_with_a_colon_is_read_when_written_with_a_leading_folder()
        {
            string file = _folder.Write("ab:c.json", "{}");
            Refused("ab:c.json", "write ./ab:c.json");
            Assert.Equal("{}", DataFile.ReadText(file));
        }

        [Fact]
        public void A_byte_order_mark_is_dropped()
        {
            string path = _folder.WriteBytes("bom.json", new byte[] { 0xEF, 0xBB, 0xBF, (byte)'[', (byte)']' });
            Assert.Equal("[]", DataFile.ReadText(path));
        }

        [Fact]
        public void Utf16_text_is_refused_with_how_to_fix_it()
        {
            string path = _folder.WriteBytes("utf16.json", new byte[] { 0xFF, 0xFE }.Concat(Encoding.Unicode.GetBytes("[]")).ToArray());
            Refused(path, "UTF-16");
        }

        [Fact]
        public void A_link_is_followed_to_a_regular_file_but_not_to_a_directory_or_nothing()
        {
            string target = _folder.Write("target.json", "[1]");
            string link = Path.Combine(_folder.Path, "link.json");
            File.CreateSymbolicLink(link, target);
            Assert.Equal("[1]", DataFile.ReadText(link));

            string toFolder = Path.Combine(_folder.Path, "folder-link.json");
            File.CreateSymbolicLink(toFolder, _folder.Path);
            Refused(toFolder, "directory");

            string dangling = Path.Combine(_folder.Path, "dangling.json");
            File.CreateSymbolicLink(dangling, Path.Combine(_folder.Path, "absent.json"));
            Refused(dangling, "does not exist");
        }

        [Fact]
        public void A_link_to_a_device_or_a_pipe_is_refused_without_opening_it()
        {
            if (!RuntimeInformation.IsOSPlatform(OSPlatform.Linux)) return;
            string toDevice = Path.Combine(_folder.Path, "zero.json");
            File.CreateSymbolicLink(toDevice, "/dev/zero");
            Refused(toDevice, "not a regular file");

            string fifo = Path.Combine(_folder.Path, "pipe");
            using (var mkfifo = Process.Start(new ProcessStartInfo("mkfifo", fifo) { UseShellExecute = false }))
            {
                mkfifo!.WaitForExit();
                Assert.Equal(0, mkfifo.ExitCode);
            }
            string toPipe = Path.Combine(_folder.Path, "pipe.json");
            File.CreateSymbolicLink(toPipe, fifo);
            Refused(toPipe, "not a regular file");
        }

        [Fact]
        public void Sixteen_MiB_is_read_and_one_byte_more_is_not()
        {
            var bytes = new byte[DataFile.MaxBytes];
            bytes.AsSpan().Fill((byte)' ');
            Assert.Equal(DataFile.MaxBytes, DataFile.ReadText(_folder.WriteBytes("max.json", bytes)).Length);
            Refused(_folder.WriteBytes("over.json", new byte[DataFile.MaxBytes + 1]), "larger than 16 MiB");
        }
    }
}
