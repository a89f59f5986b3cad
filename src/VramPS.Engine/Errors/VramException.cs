using System;
using System.Collections.Generic;

namespace VramPS.Engine.Errors
{
    /// <summary>Base of every error the engine raises on purpose; the cmdlets map each kind to an ErrorRecord.</summary>
    public abstract class VramException : Exception
    {
        protected VramException(string message, Exception? inner = null) : base(message, inner) { }
    }

    /// <summary>A model or GPU name that no catalog holds.</summary>
    public sealed class UnknownNameException : VramException
    {
        public UnknownNameException(string parameter, string value, IReadOnlyList<string> closest)
            : base(Describe(parameter, value, closest))
        {
            Parameter = parameter;
            Value = value;
            Closest = closest;
        }

        public string Parameter { get; }
        public string Value { get; }
        public IReadOnlyList<string> Closest { get; }

        private static string Describe(string parameter, string value, IReadOnlyList<string> closest) =>
            closest.Count == 0
                ? $"-{parameter} '{value}' is not in the catalog."
                : $"-{parameter} '{value}' is not in the catalog. Closest: {string.Join(", ", closest)}.";
    }

    /// <summary>A workload value out of range or a combination that cannot run.</summary>
    public sealed class InvalidWorkloadException : VramException
    {
        public InvalidWorkloadException(string parameter, string message) : base(message)
        {
            Parameter = parameter;
        }

        public string Parameter { get; }
    }

    /// <summary>A file that cannot be read as what it should be: missing, too large, malformed, truncated or mistyped.</summary>
    public sealed class InvalidDataFileException : VramException
    {
        public InvalidDataFileException(string path, string message, Exception? inner = null)
            : base($"{path}: {message}", inner)
        {
            Path = path;
        }

        public string Path { get; }
    }
}
