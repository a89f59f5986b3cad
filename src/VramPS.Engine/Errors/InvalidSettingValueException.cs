namespace VramPS.Engine.Errors
{
    /// <summary>
    /// A setting's value that does not read as its type (a parameter argument, a CSV cell or a piped property): it
    /// names the value, what it should be and the values allowed, but not where it came from, which the caller adds.
    /// </summary>
    public sealed class InvalidSettingValueException : VramException
    {
        public InvalidSettingValueException(object value, string expected, string allowed)
            : base($"'{value}' is not {expected}. Allowed: {allowed}.")
        {
            Value = value.ToString() ?? "";
            Allowed = allowed;
        }

        public string Value { get; }
        public string Allowed { get; }
    }
}
