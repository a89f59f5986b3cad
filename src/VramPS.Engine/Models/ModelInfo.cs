using System;
using System.Collections.Generic;
using VramPS.Engine.Text;

namespace VramPS.Engine.Models
{
    /// <summary>
    /// One model catalog entry as Get-VramModel lists it: its id, shape and parameter counts. Its Model and Workload
    /// properties pipe into the workload cmdlets, which then use this architecture even when it came from a user
    /// catalog they were not given.
    /// </summary>
    public sealed class ModelInfo
    {
        public ModelInfo(ModelArchitecture architecture)
        {
            Architecture = architecture ?? throw new ArgumentNullException(nameof(architecture));
            Workload = new Workload(architecture) { ModelName = architecture.Id };
        }

        /// <summary>The Hugging Face id.</summary>
        public string Model => Architecture.Id;
        public string ModelType => Architecture.ModelType;
        public long Parameters => Architecture.TotalParameters;
        /// <summary>Parameters one token passes through (MoE: the routed and shared experts).</summary>
        public long ActiveParameters => Architecture.ActiveParameters;
        public int Layers => Architecture.NumLayers;
        public int HiddenSize => Architecture.HiddenSize;
        public int Heads => Architecture.NumHeads;
        public int KvHeads => Architecture.NumKvHeads;
        public int VocabSize => Architecture.VocabSize;
        public int Experts => Architecture.Experts;
        public IReadOnlyList<string> Aliases => ReadableList.Names(Architecture.Aliases);
        public string Source => Architecture.Source;
        /// <summary>The catalog entry and the model with every workload setting left to its default, for the pipeline (hidden properties in PowerShell: VramPS.types.ps1xml).</summary>
        internal ModelArchitecture Architecture { get; }
        internal Workload Workload { get; }
    }
}
