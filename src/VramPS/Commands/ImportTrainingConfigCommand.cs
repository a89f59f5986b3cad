using System.Collections.ObjectModel;
using System.Management.Automation;
using VramPS.Engine.Configs;
using VramPS.Engine.Errors;

namespace VramPS.Commands
{
    /// <summary>
    /// Reads trainer config files (axolotl, LLaMA-Factory, TRL / TrainingArguments, torchtune, litgpt, DeepSpeed,
    /// accelerate) into the runs they describe, one object per file whose properties are Get-TrainingMemory's
    /// parameters, so the runs pipe into Get-TrainingMemory, Find-GpuFit, Compare-FinetuneMethod or Export-Csv.
    /// </summary>
    [Cmdlet(VerbsData.Import, "TrainingConfig", DefaultParameterSetName = PathSet)]
    [OutputType(typeof(TrainingConfigRun))]
    public sealed class ImportTrainingConfigCommand : PSCmdlet
    {
        public const string PathSet = "Path";
        public const string LiteralPathSet = "LiteralPath";
        public const string InvalidConfigFile = nameof(InvalidConfigFile);
        public const string UnsupportedSetting = nameof(UnsupportedSetting);
        public const string ConfigNotFound = nameof(ConfigNotFound);

        /// <summary>Config files; wildcards allowed.</summary>
        [Parameter(ParameterSetName = PathSet, Mandatory = true, Position = 0, ValueFromPipeline = true)]
        [ValidateNotNullOrEmpty]
        [SupportsWildcards]
        public string[] Path { get; set; } = System.Array.Empty<string>();

        /// <summary>Config files, taken as written (no wildcards); a piped file binds here by its PSPath.</summary>
        [Parameter(ParameterSetName = LiteralPathSet, Mandatory = true, ValueFromPipelineByPropertyName = true)]
        [Alias("PSPath", "LP")]
        [ValidateNotNullOrEmpty]
        public string[] LiteralPath { get; set; } = System.Array.Empty<string>();

        /// <summary>The format, when the keys of the file do not tell (or to insist on one).</summary>
        [Parameter]
        public ConfigFormat? Format { get; set; }

        protected override void ProcessRecord()
        {
            foreach (string given in ParameterSetName == LiteralPathSet ? LiteralPath : Path)
            {
                foreach (string file in Resolve(given)) Import(file);
            }
        }

        private Collection<string> Resolve(string given)
        {
            var files = new Collection<string>();
            try
            {
                if (ParameterSetName == LiteralPathSet)
                {
                    files.Add(SessionState.Path.GetUnresolvedProviderPathFromPSPath(given, out var provider, out _));
                    if (provider.Name != "FileSystem") throw new InvalidDataFileException(given, $"is a path on the {provider.Name} provider; Import-TrainingConfig reads files only.");
                }
                else
                {
                    foreach (string file in GetResolvedProviderPathFromPSPath(given, out var provider))
                    {
                        if (provider.Name != "FileSystem") throw new InvalidDataFileException(given, $"is a path on the {provider.Name} provider; Import-TrainingConfig reads files only.");
                        files.Add(file);
                    }
                }
            }
            catch (ItemNotFoundException e)
            {
                WriteError(new ErrorRecord(e, ConfigNotFound, ErrorCategory.ObjectNotFound, given));
            }
            catch (InvalidDataFileException e)
            {
                WriteError(new ErrorRecord(e, InvalidConfigFile, ErrorCategory.InvalidArgument, given));
            }
            return files;
        }

        /// <summary>
        /// The run with its model as the one property PowerShell should bind: Model (a hub id) or ConfigPath (a local
        /// config.json). The other is left out rather than null, since a null ConfigPath or Model fails the parameter
        /// validation of a cmdlet that binds the run by property name.
        /// </summary>
        private static PSObject WithModel(TrainingConfigRun run)
        {
            var output = PSObject.AsPSObject(run);
            if (run.Model != null) output.Properties.Add(new PSNoteProperty("Model", run.Model));
            else if (run.ConfigPath != null) output.Properties.Add(new PSNoteProperty("ConfigPath", run.ConfigPath));
            return output;
        }

        private void Import(string file)
        {
            try
            {
                var imported = TrainingConfigImporter.Import(file, Format, SessionState.Path.CurrentFileSystemLocation.ProviderPath);
                foreach (string warning in imported.Warnings) WriteWarning(warning);
                WriteObject(WithModel(imported.Run));
            }
            catch (UnsupportedSettingException e)
            {
                WriteError(new ErrorRecord(e, UnsupportedSetting, ErrorCategory.NotImplemented, file));
            }
            catch (InvalidDataFileException e)
            {
                WriteError(new ErrorRecord(e, InvalidConfigFile, ErrorCategory.InvalidData, file));
            }
        }
    }
}
