using System;
using System.Collections.Generic;
using System.Linq;
using VramPS.Engine.Estimation;

namespace VramPS.Engine.Alignment
{
    /// <summary>One moment of a stage's step: what each model of the cast holds then.</summary>
    internal sealed class StagePhase
    {
        private readonly List<CastMember> _members;
        private readonly Dictionary<ModelRole, Terms> _terms = new Dictionary<ModelRole, Terms>();

        public StagePhase(Phase phase, IReadOnlyList<CastMember> members)
        {
            Phase = phase;
            _members = members.ToList();
        }

        public Phase Phase { get; }

        /// <summary>Adds bytes to a model's terms at this moment.</summary>
        public StagePhase Add(ModelRole role, Terms terms)
        {
            _terms[role] = _terms.TryGetValue(role, out var held) ? held + terms : terms;
            return this;
        }

        /// <summary>The moment's totals by term, as PhaseMemory reports them.</summary>
        public PhaseMemory Memory()
        {
            var sum = _terms.Values.Aggregate(new Terms(0, 0, 0, 0, 0), (a, b) => a + b);
            return new PhaseMemory(Phase, Checked.Bytes(sum.Weights), Checked.Bytes(sum.Gradients), Checked.Bytes(sum.States),
                Checked.Bytes(sum.Activations), Checked.Bytes(sum.Other));
        }

        /// <summary>One row per model of the cast, in cast order.</summary>
        public IReadOnlyList<ModelMemory> Models() => Array.AsReadOnly(_members
            .Select(m =>
            {
                var t = _terms.TryGetValue(m.Role, out var held) ? held : new Terms(0, 0, 0, 0, 0);
                return new ModelMemory(m.Role, m.Model, m.Method, Checked.Bytes(t.Weights), Checked.Bytes(t.Gradients),
                    Checked.Bytes(t.States), Checked.Bytes(t.Activations), Checked.Bytes(t.Other));
            })
            .ToArray());
    }
}
