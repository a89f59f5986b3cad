using System.Management.Automation;
using VramPS.Engine;
using VramPS.Engine.Models;
using VramPS.Engine.Parsing;
using VramPS.Transformation;

namespace VramPS.Commands
{
    /// <summary>The images a vision-language workload feeds, and whether its vision encoder trains.</summary>
    public abstract partial class WorkloadCommandBase
    {
        [Parameter(ParameterSetName = ModelSet)]
        [Parameter(ParameterSetName = ConfigSet)]
        [Parameter(ParameterSetName = ParamsSet)]
        [EmptyAsNull]
        public string? ImageSize { get; set; }

        [Parameter(ParameterSetName = ModelSet)]
        [Parameter(ParameterSetName = ConfigSet)]
        [Parameter(ParameterSetName = ParamsSet)]
        [WholeNumber]
        public int? ImagesPerSample { get; set; }

        [Parameter(ParameterSetName = ModelSet)]
        [Parameter(ParameterSetName = ConfigSet)]
        [Parameter(ParameterSetName = ParamsSet)]
        [WholeNumber]
        public int? VisionTokens { get; set; }

        [Parameter(ParameterSetName = ModelSet)]
        [Parameter(ParameterSetName = ConfigSet)]
        [Parameter(ParameterSetName = ParamsSet)]
        [EnumName(typeof(VisionTraining))]
        public VisionTraining? VisionTower { get; set; }

        private void ApplyVision(Workload w)
        {
            if (ImageSize != null) (w.ImageWidth, w.ImageHeight) = Engine.Parsing.ImageSize.Parse(ImageSize, nameof(ImageSize));
            if (ImagesPerSample != null) w.ImagesPerSample = ImagesPerSample;
            if (VisionTokens != null) w.VisionTokens = VisionTokens;
            if (VisionTower != null) w.VisionTower = VisionTower;
        }
    }
}
