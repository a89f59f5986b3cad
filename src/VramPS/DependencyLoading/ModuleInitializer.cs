using System;
using System.IO;
using System.Management.Automation;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace VramPS.DependencyLoading
{
    /// <summary>
    /// Runs when PowerShell imports VramPS: makes the assemblies in the module's lib/ folder (VramPS.Yaml and the
    /// YamlDotNet it wraps) loadable. On PowerShell 7 they load into VramPS's own AssemblyLoadContext, so a module
    /// that loaded another YamlDotNet first (powershell-yaml) and VramPS each use their own; on Windows PowerShell 5.1
    /// the AppDomain resolves them from lib/ (strong-named versions load side by side there). Nothing in lib/ is ever
    /// in PowerShell's probing paths, so nothing else loads them by accident.
    /// </summary>
    public sealed class ModuleInitializer : IModuleAssemblyInitializer, IModuleAssemblyCleanup
    {
        /// <summary>The folder beside VramPS.dll that holds the isolated dependencies.</summary>
        internal static string LibraryFolder { get; } =
            Path.Combine(Path.GetDirectoryName(typeof(ModuleInitializer).Assembly.Location) ?? ".", "lib");

        private static bool IsDesktop =>
            RuntimeInformation.FrameworkDescription.StartsWith(".NET Framework", StringComparison.Ordinal);

        public void OnImport()
        {
            if (IsDesktop) DesktopResolver.Register(LibraryFolder);
            else RegisterIsolated();
        }

        public void OnRemove(PSModuleInfo module)
        {
            if (IsDesktop) DesktopResolver.Unregister();
            else UnregisterIsolated();
        }

        /// <summary>
        /// Kept out of OnImport and OnRemove (and never inlined) so that .NET Framework, compiling those, never loads
        /// IsolatedLoadContext and with it AssemblyLoadContext, which it does not have.
        /// </summary>
        [MethodImpl(MethodImplOptions.NoInlining)]
        private static void RegisterIsolated() => IsolatedLoadContext.Register(LibraryFolder);

        [MethodImpl(MethodImplOptions.NoInlining)]
        private static void UnregisterIsolated() => IsolatedLoadContext.Unregister();
    }
}
