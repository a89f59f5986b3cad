namespace VramPS.Engine.Alignment
{
    /// <summary>A model of a stage's cast as the Models breakdown names it.</summary>
    internal sealed class CastMember
    {
        public CastMember(ModelRole role, string model, string method)
        {
            Role = role;
            Model = model;
            Method = method;
        }

        public ModelRole Role { get; }
        public string Model { get; }
        public string Method { get; }
    }
}
