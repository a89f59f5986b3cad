using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using VramPS.Completion;
using VramPS.Engine;
using VramPS.Engine.Errors;
using VramPS.Engine.Frameworks;

namespace VramPS.Commands
{
    /// <summary>Lists the framework profiles: what VramPS assumes each trainer does, every behaviour with its source.</summary>
    [Cmdlet(VerbsCommon.Get, "VramFramework")]
    [OutputType(typeof(FrameworkProfile))]
    public sealed class GetVramFrameworkCommand : PSCmdlet
    {
        /// <summary>FullyQualifiedErrorId of a plain -Name that is no framework.</summary>
        public const string UnknownFramework = nameof(UnknownFramework);

        /// <summary>FullyQualifiedErrorId of a -Name that is not a valid wildcard pattern.</summary>
        public const string InvalidPattern = nameof(InvalidPattern);

        /// <summary>
        /// Framework names as -Framework takes them, wildcards allowed; every profile when not given. Binds a piped
        /// result's Framework property (an estimate's, an imported config's), so a run shows the profile it was estimated with.
        /// </summary>
        [Parameter(Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
        [Alias("Framework")]
        [SupportsWildcards]
        [ArgumentCompleter(typeof(FrameworkNameCompleter))]
        [ValidateNotNullOrEmpty]
        public string[] Name { get; set; } = { "*" };

        private readonly HashSet<Framework> _written = new HashSet<Framework>();

        protected override void ProcessRecord()
        {
            foreach (string name in Name)
            {
                try
                {
                    if (WildcardPattern.ContainsWildcardCharacters(name))
                    {
                        var pattern = NamePattern.Get(name, "Name");
                        foreach (var p in FrameworkProfiles.All.Where(p => pattern.IsMatch(p.Name) || pattern.IsMatch(p.Framework.ToString()) || p.Synonyms.Any(pattern.IsMatch))) Write(p);
                    }
                    else
                    {
                        Write(FrameworkProfiles.Of(FrameworkNames.Parse(name)));
                    }
                }
                catch (InvalidWorkloadException e)
                {
                    bool pattern = WildcardPattern.ContainsWildcardCharacters(name);
                    WriteError(new ErrorRecord(e, pattern ? InvalidPattern : UnknownFramework,
                        pattern ? ErrorCategory.InvalidArgument : ErrorCategory.ObjectNotFound, name));
                }
            }
        }

        private void Write(FrameworkProfile profile)
        {
            if (_written.Add(profile.Framework)) WriteObject(profile);
        }
    }
}
