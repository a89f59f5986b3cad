using System.Collections;
using System.Management.Automation;
using VramPS.Engine.Errors;
using VramPS.Engine.Gpus;
using VramPS.Engine.Models;

namespace VramPS.Completion
{
    /// <summary>
    /// The catalogs a completer offers names from: the embedded ones merged with the -ModelCatalogPath or
    /// -GpuCatalogPath already on the command line, as the cmdlet will read them. A file that does not load yet
    /// (half typed, invalid) leaves the embedded catalog: completion never fails.
    /// </summary>
    internal static class CompletionCatalogs
    {
        public static ModelCatalog Models(IDictionary? bound) =>
            Path(bound, "ModelCatalogPath") is string path ? Load(path, p => ModelCatalog.Default.MergedWith(ModelCatalog.Load(p)), ModelCatalog.Default) : ModelCatalog.Default;

        public static GpuCatalog Gpus(IDictionary? bound) =>
            Path(bound, "GpuCatalogPath") is string path ? Load(path, p => GpuCatalog.Default.MergedWith(GpuCatalog.Load(p)), GpuCatalog.Default) : GpuCatalog.Default;

        private static string? Path(IDictionary? bound, string parameter) =>
            bound != null && bound.Contains(parameter) ? LanguagePrimitives.ConvertTo<string>(bound[parameter]) : null;

        private static T Load<T>(string path, System.Func<string, T> load, T fallback)
        {
            try
            {
                // Completion runs inside the pipeline that asked for it, so the path is resolved by a script block in it
                // (SessionStateProxy refuses calls while a pipeline runs).
                var resolved = ScriptBlock.Create("$ExecutionContext.SessionState.Path.GetUnresolvedProviderPathFromPSPath($args[0])").Invoke(path);
                return resolved.Count == 1 && resolved[0]?.BaseObject is string full ? load(full) : fallback;
            }
            catch (InvalidDataFileException)
            {
                return fallback;
            }
            catch (RuntimeException)
            {
                return fallback;
            }
        }
    }
}
