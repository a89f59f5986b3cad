using System.Management.Automation;
using VramPS.Engine.Errors;
using VramPS.Engine.Gpus;
using VramPS.Engine.Models;

namespace VramPS.Commands
{
    /// <summary>
    /// Loads the catalog files a cmdlet is given and merges them over the embedded catalogs. A file that cannot be
    /// read or validated stops the cmdlet with an InvalidData error (InvalidCatalogFile) naming the file, the entry and
    /// the field.
    /// </summary>
    internal static class CatalogFiles
    {
        public static GpuCatalog Gpus(PSCmdlet cmdlet, string? path) =>
            path is null ? GpuCatalog.Default : Load(cmdlet, path, p => GpuCatalog.Default.MergedWith(GpuCatalog.Load(p)));

        public static ModelCatalog Models(PSCmdlet cmdlet, string? path) =>
            path is null ? ModelCatalog.Default : Load(cmdlet, path, p => ModelCatalog.Default.MergedWith(ModelCatalog.Load(p)));

        private static T Load<T>(PSCmdlet cmdlet, string path, System.Func<string, T> load)
        {
            string resolved = cmdlet.SessionState.Path.GetUnresolvedProviderPathFromPSPath(path);
            try
            {
                return load(resolved);
            }
            catch (InvalidDataFileException e)
            {
                cmdlet.ThrowTerminatingError(new ErrorRecord(e, WorkloadCommandBase.InvalidCatalogFile, ErrorCategory.InvalidData, e.Path));
                throw;
            }
        }
    }
}
