namespace System.Runtime.CompilerServices
{
    /// <summary>Lets netstandard2.0 compile init-only setters and records (the type ships with .NET 5 and later).</summary>
    internal static class IsExternalInit
    {
    }
}
