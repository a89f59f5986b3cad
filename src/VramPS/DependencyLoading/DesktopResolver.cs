using System;
using System.IO;
using System.Reflection;

namespace VramPS.DependencyLoading
{
    /// <summary>
    /// Windows PowerShell 5.1: resolves the assemblies in lib/ (VramPS.Yaml, YamlDotNet) by name when the AppDomain
    /// cannot find them. Another module's YamlDotNet of a different version does not stop this one loading, since
    /// .NET Framework binds strong-named assemblies by full name.
    /// </summary>
    internal static class DesktopResolver
    {
        private static string s_folder = "";

        public static void Register(string folder)
        {
            s_folder = folder;
            AppDomain.CurrentDomain.AssemblyResolve -= Resolve;
            AppDomain.CurrentDomain.AssemblyResolve += Resolve;
        }

        public static void Unregister() => AppDomain.CurrentDomain.AssemblyResolve -= Resolve;

        private static Assembly? Resolve(object? sender, ResolveEventArgs args)
        {
            var name = new AssemblyName(args.Name);
            string path = Path.Combine(s_folder, name.Name + ".dll");
            if (!File.Exists(path)) return null;
            var candidate = AssemblyName.GetAssemblyName(path);
            return candidate.Version == name.Version || name.Version == null ? Assembly.LoadFrom(path) : null;
        }
    }
}
