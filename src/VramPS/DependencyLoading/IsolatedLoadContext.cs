using System.IO;
using System.Reflection;
using System.Runtime.Loader;

namespace VramPS.DependencyLoading
{
    /// <summary>
    /// PowerShell 7: VramPS's own AssemblyLoadContext over lib/. The default context asks it (through Resolving) only
    /// for VramPS.Yaml, the one assembly the engine references there; everything VramPS.Yaml references that lib/
    /// holds (YamlDotNet) then loads here too, whatever version the default context already has. The pattern of
    /// learn.microsoft.com/powershell/scripting/dev-cross-plat/resolving-dependency-conflicts.
    /// Only called on .NET (Core): on .NET Framework this type is never loaded.
    /// </summary>
    internal sealed class IsolatedLoadContext : AssemblyLoadContext
    {
        private const string Bridge = "VramPS.Yaml";
        private static IsolatedLoadContext? s_context;
        private readonly string _folder;

        private IsolatedLoadContext(string folder)
        {
            _folder = folder;
        }

        /// <summary>Hooks the default context; the context itself is made once, so a module imported again (-Force) reuses it.</summary>
        public static void Register(string folder)
        {
            s_context ??= new IsolatedLoadContext(folder);
            Default.Resolving -= ResolveBridge;
            Default.Resolving += ResolveBridge;
        }

        public static void Unregister() => Default.Resolving -= ResolveBridge;

        private static Assembly? ResolveBridge(AssemblyLoadContext context, AssemblyName name) =>
            name.Name == Bridge && s_context != null ? s_context.LoadFromAssemblyName(name) : null;

        protected override Assembly? Load(AssemblyName name)
        {
            string path = Path.Combine(_folder, name.Name + ".dll");
            return File.Exists(path) ? LoadFromAssemblyPath(path) : null;
        }
    }
}
