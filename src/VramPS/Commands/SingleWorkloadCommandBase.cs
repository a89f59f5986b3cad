using System.Collections.Generic;
using System.Management.Automation;
using VramPS.Engine;
using VramPS.Engine.Planning;
using VramPS.Transformation;

namespace VramPS.Commands
{
    /// <summary>The workload parameters of a single run: one method, precision and optimizer, and how long it trains and at what price.</summary>
    public abstract class SingleWorkloadCommandBase : WorkloadCommandBase
    {
        [Parameter(ParameterSetName = ModelSet, Position = 1)]
        [Parameter(ParameterSetName = ConfigSet, Position = 1)]
        [Parameter(ParameterSetName = ParamsSet, Position = 1)]
        [EnumName(typeof(FinetuneMethod))]
        public FinetuneMethod? Method { get; set; }

        [Parameter(ParameterSetName = ModelSet)]
        [Parameter(ParameterSetName = ConfigSet)]
        [Parameter(ParameterSetName = ParamsSet)]
        [EnumName(typeof(Precision))]
        public Precision? Precision { get; set; }

        [Parameter(ParameterSetName = ModelSet)]
        [Parameter(ParameterSetName = ConfigSet)]
        [Parameter(ParameterSetName = ParamsSet)]
        [EnumName(typeof(OptimizerKind))]
        public OptimizerKind? Optimizer { get; set; }

        /// <summary>Tokens to train on; 1 billion when neither this nor -Epochs is given.</summary>
        [Parameter]
        public long? Tokens { get; set; }

        [Parameter]
        public double? Epochs { get; set; }

        /// <summary>Tokens of one pass over the dataset, for -Epochs.</summary>
        [Parameter]
        public long? DatasetTokens { get; set; }

        /// <summary>Model FLOPs utilization to assume, 0 to 1; 0.4 when not given.</summary>
        [Parameter]
        public double? Mfu { get; set; }

        /// <summary>USD per GPU-hour, overriding the GPU catalog's dated list price.</summary>
        [Parameter]
        public double? PricePerGpuHour { get; set; }

        /// <summary>The run length, utilization and price the parameters give.</summary>
        protected RunSettings RunSettings => new RunSettings
        {
            Tokens = Tokens, Epochs = Epochs, DatasetTokens = DatasetTokens, Mfu = Mfu, PricePerGpuHour = PricePerGpuHour,
        };

        /// <summary>
        /// The workload of the bound parameters with its method, precision and optimizer; warns about settings the
        /// method ignores. Throws VramException for bad input.
        /// </summary>
        protected Workload BuildSingleWorkload()
        {
            var w = BuildWorkload();
            if (Method != null) w.Method = Method.Value;
            if (Precision != null) w.Precision = Precision;
            if (Optimizer != null) w.Optimizer = Optimizer;
            WarnIgnored(w);
            return w;
        }

        private void WarnIgnored(Workload w)
        {
            bool adapter = w.Method == FinetuneMethod.LoRA || w.Method == FinetuneMethod.QLoRA;
            var ignored = new List<string>();
            if (!adapter && w.LoraRank != null) ignored.Add("-LoraRank");
            if (!adapter && w.LoraTargets != null && w.LoraTargets.Length > 0) ignored.Add("-LoraTargets");
            if (ignored.Count > 0)
            {
                bool one = ignored.Count == 1;
                WriteWarning($"{string.Join(" and ", ignored)} {(one ? "applies" : "apply")} to -Method LoRA and QLoRA only; " +
                             $"-Method {w.Method} ignores {(one ? "it" : "them")}.");
            }
            if (w.Method != FinetuneMethod.Freeze && w.TrainableLayers != null)
                WriteWarning($"-TrainableLayers applies to -Method Freeze only; -Method {w.Method} ignores it.");
        }
    }
}
