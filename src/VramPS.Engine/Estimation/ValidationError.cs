namespace VramPS.Engine.Estimation
{
    /// <summary>VramPS's signed error on one validation run, percent of the measured figure.</summary>
    internal sealed class ValidationError
    {
        public ValidationError(string id, string framework, string method, string measureKind, double errorPercent)
        {
            Id = id;
            Framework = framework;
            Method = method;
            MeasureKind = measureKind;
            ErrorPercent = errorPercent;
        }

        public string Id { get; }
        public string Framework { get; }
        public string Method { get; }
        public string MeasureKind { get; }
        public double ErrorPercent { get; }
    }
}
