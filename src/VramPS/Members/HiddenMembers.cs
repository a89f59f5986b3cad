using System.ComponentModel;
using System.Management.Automation;
using VramPS.Engine;
using VramPS.Engine.Alignment;
using VramPS.Engine.Estimation;
using VramPS.Engine.Models;
using VramPS.Engine.Planning;

namespace VramPS.Members
{
    /// <summary>
    /// The getters of the hidden properties VramPS.types.ps1xml adds to the result objects. The engine keeps the
    /// workload (with its catalog entry) and the estimate behind a result internal, so Export-Csv and ConvertTo-Json,
    /// which write every public property, leave them out; hidden here, they still bind by property name when a
    /// result is piped to another VramPS cmdlet, and `$result.Workload` still reads them.
    /// </summary>
    [EditorBrowsable(EditorBrowsableState.Never)]
    public static class HiddenMembers
    {
        /// <summary>The workload a result was made for.</summary>
        public static Workload? Workload(PSObject instance) => instance.BaseObject switch
        {
            TrainingMemoryEstimate e => e.Workload,
            GpuFit f => f.Workload,
            ClusterPlan p => p.Workload,
            MethodComparison c => c.Workload,
            Suggestion s => s.Workload,
            ModelInfo m => m.Workload,
            _ => null,
        };

        /// <summary>The estimate behind a GPU fit, a cluster plan or a method comparison row.</summary>
        public static TrainingMemoryEstimate? Estimate(PSObject instance) => instance.BaseObject switch
        {
            GpuFit f => f.Estimate,
            ClusterPlan p => p.Estimate,
            MethodComparison c => c.Estimate,
            _ => null,
        };

        /// <summary>The catalog entry behind a Get-VramModel row.</summary>
        public static ModelArchitecture? Architecture(PSObject instance) => (instance.BaseObject as ModelInfo)?.Architecture;
    }
}
