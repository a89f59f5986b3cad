using System;
using System.Collections.Generic;
using System.Management.Automation;
using VramPS.Engine;
using VramPS.Engine.Estimation;
using VramPS.Engine.Frameworks;
using VramPS.Engine.Gpus;
using VramPS.Engine.Planning;

namespace VramPS.Commands
{
    /// <summary>
    /// One object from the pipeline as the workload cmdlets read it: a plan row (an Import-Csv row or any
    /// PSCustomObject), a VramPS result that carries its workload (a model, a GpuFit or ClusterPlan row whose GPU and
    /// layout apply over it, an estimate or comparison row whose settings only echo what the engine resolved), a
    /// catalog GPU, a framework profile (Get-VramFramework's, read as -Framework alone: its behaviours are what the
    /// framework does, not settings of the run), or another object read by property name (a file for -ConfigPath).
    /// </summary>
    internal sealed class PipedRow
    {
        private Dictionary<string, PSPropertyInfo>? _properties;

        public PipedRow(object input, int number)
        {
            Object = PSObject.AsPSObject(input);
            Number = number;
            var bare = Object.BaseObject;
            IsPlanRow = bare is PSCustomObject;
            Gpu = bare as GpuSpec;
            object? workload = IsPlanRow ? null : Object.Properties["Workload"]?.Value;
            Workload = (workload is PSObject wrapped ? wrapped.BaseObject : workload) as Workload;
            IsResult = bare.GetType().Assembly == typeof(Workload).Assembly;
            IsEcho = bare is TrainingMemoryEstimate || bare is MethodComparison;
        }

        /// <summary>The object as piped.</summary>
        public PSObject Object { get; }

        /// <summary>Its place in the cmdlet's input, from 1.</summary>
        public int Number { get; }

        /// <summary>A plan row: every property is a column the user wrote.</summary>
        public bool IsPlanRow { get; }

        /// <summary>A VramPS engine object (an estimate, a comparison row, a model, a GPU).</summary>
        public bool IsResult { get; }

        /// <summary>
        /// An estimate or comparison row: its settings are the defaults the engine filled in, so only its workload (what
        /// its user gave) is handed on; reading them would keep Full's Bf16Mixed under -Method LoRA, or QLoRA's missing
        /// quantization as None.
        /// </summary>
        public bool IsEcho { get; }

        /// <summary>The catalog GPU piped, if it is one.</summary>
        public GpuSpec? Gpu { get; }

        /// <summary>The workload as its user gave it, when the object is a VramPS result that carries one.</summary>
        public Workload? Workload { get; }

        /// <summary>Whether its settings are read by property name: not a GPU, and not an estimate or comparison row.</summary>
        public bool HasSettings => Gpu is null && !IsEcho;

        /// <summary>The property under the first of the names it has, or false when it has none of them.</summary>
        public bool TryGet(IEnumerable<string> names, out string column, out object? value)
        {
            _properties ??= Object.BaseObject is FrameworkProfile profile ? FrameworkOnly(profile) : Index(Object);
            foreach (string name in names)
            {
                if (!_properties.TryGetValue(name, out var property)) continue;
                column = property.Name;
                value = property.Value is PSObject wrapped ? wrapped.BaseObject : property.Value;
                return true;
            }
            column = "";
            value = null;
            return false;
        }

        /// <summary>A profile's one setting: its name, as -Framework takes it.</summary>
        private static Dictionary<string, PSPropertyInfo> FrameworkOnly(FrameworkProfile profile) =>
            new Dictionary<string, PSPropertyInfo>(StringComparer.OrdinalIgnoreCase) { ["Framework"] = new PSNoteProperty("Framework", profile.Name) };

        /// <summary>Where a property is among the object's properties (a column's place in its CSV row).</summary>
        public int ColumnIndex(string name)
        {
            int index = 0;
            foreach (var property in Object.Properties)
            {
                if (string.Equals(property.Name, name, StringComparison.OrdinalIgnoreCase)) return index;
                index++;
            }
            return index;
        }

        /// <summary>
        /// The properties the row brings for its results: every column of a plan row that sets nothing, and the note
        /// properties an earlier VramPS cmdlet put on a result.
        /// </summary>
        public IEnumerable<PSPropertyInfo> OwnColumns(ICollection<string> read)
        {
            if (!IsPlanRow && !IsResult) yield break;
            var members = IsPlanRow ? (IEnumerable<PSPropertyInfo>)Object.Properties : Object.Properties.Match("*", PSMemberTypes.NoteProperty);
            foreach (var property in members)
            {
                if (!read.Contains(property.Name)) yield return property;
            }
        }

        /// <summary>The object's properties by name, read once: a row is asked for each of some forty settings.</summary>
        private static Dictionary<string, PSPropertyInfo> Index(PSObject row)
        {
            var index = new Dictionary<string, PSPropertyInfo>(StringComparer.OrdinalIgnoreCase);
            foreach (var property in row.Properties)
            {
                if (!index.ContainsKey(property.Name)) index.Add(property.Name, property);
            }
            return index;
        }

        /// <summary>"Row 3": how messages name it.</summary>
        public override string ToString() => $"Row {Number}";
    }
}
