using System;
using System.Collections.Generic;

namespace VramPS.Engine.Tests.Fuzz
{
    /// <summary>
    /// One reader of outside input under fuzz: the valid inputs mutations start from, how one input goes through it (and
    /// what its result must satisfy), and the exception types that count as a clean refusal.
    /// </summary>
    internal sealed class FuzzTarget
    {
        public FuzzTarget(string name, IReadOnlyList<byte[]> seeds, Action<byte[]> run, params Type[] cleanErrors)
            : this(name, seeds, null, run, cleanErrors)
        {
        }

        /// <summary>A target whose inputs are drawn fresh by <paramref name="draw"/> rather than mutated from the seeds.</summary>
        public FuzzTarget(string name, IReadOnlyList<byte[]> seeds, Func<Random, byte[]>? draw, Action<byte[]> run, params Type[] cleanErrors)
        {
            Name = name;
            Seeds = seeds;
            Draw = draw;
            Run = run;
            CleanErrors = cleanErrors;
        }

        /// <summary>Also the name of the target's folder under Corpus/.</summary>
        public string Name { get; }
        public IReadOnlyList<byte[]> Seeds { get; }
        public Func<Random, byte[]>? Draw { get; }
        /// <summary>Parses one input and checks its result; any exception not in <see cref="CleanErrors"/> is a finding.</summary>
        public Action<byte[]> Run { get; }
        public IReadOnlyList<Type> CleanErrors { get; }

        public override string ToString() => Name;
    }
}
