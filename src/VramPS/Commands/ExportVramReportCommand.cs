using System;
using System.Collections.Generic;
using System.IO;
using System.Management.Automation;
using System.Text;
using VramPS.Reports;

namespace VramPS.Commands
{
    /// <summary>
    /// Writes the estimates, method comparisons, GPU fits and cluster plans piped to it as one self-contained HTML page:
    /// charts with their figures, the assumptions of each estimate, the VramPS version and its accuracy on the dev set.
    /// </summary>
    [Cmdlet(VerbsData.Export, "VramReport", SupportsShouldProcess = true)]
    [OutputType(typeof(FileInfo))]
    public sealed class ExportVramReportCommand : PSCmdlet
    {
        public const string UnsupportedInput = nameof(UnsupportedInput);
        public const string NoReportInput = nameof(NoReportInput);
        public const string ReportNotWritten = nameof(ReportNotWritten);

        /// <summary>The HTML file to write; replaced when it exists.</summary>
        [Parameter(Mandatory = true, Position = 0)]
        [ValidateNotNullOrEmpty]
        public string Path { get; set; } = "";

        /// <summary>Estimates, comparison rows, GPU fits or cluster plans, usually from the pipeline.</summary>
        [Parameter(Mandatory = true, ValueFromPipeline = true)]
        public object? InputObject { get; set; }

        /// <summary>The page's heading and window title.</summary>
        [Parameter]
        [ValidateNotNullOrEmpty]
        public string Title { get; set; } = "VramPS report";

        /// <summary>The share of a GPU's memory to keep free, drawn as a line under its capacity; 0 draws none.</summary>
        [Parameter]
        [ValidateRange(0.0, 90.0)]
        public double HeadroomPercent { get; set; } = 10;

        /// <summary>Opens the page in the default browser once written.</summary>
        [Parameter]
        public SwitchParameter Show { get; set; }

        /// <summary>Writes the file's FileInfo.</summary>
        [Parameter]
        public SwitchParameter PassThru { get; set; }

        private readonly List<object> _items = new List<object>();

        protected override void ProcessRecord()
        {
            var value = InputObject is PSObject wrapped ? wrapped.BaseObject : InputObject;
            if (value != null && ReportPage.Accepts(value))
            {
                _items.Add(value);
                return;
            }
            string type = value?.GetType().FullName ?? "null";
            var e = new ArgumentException(
                $"-InputObject: a {type} is not something Export-VramReport draws. It takes the output of Get-TrainingMemory " +
                "(TrainingMemoryEstimate), Compare-FinetuneMethod (MethodComparison) and Find-GpuFit (GpuFit, ClusterPlan).", nameof(InputObject));
            WriteError(new ErrorRecord(e, UnsupportedInput, ErrorCategory.InvalidArgument, InputObject));
        }

        protected override void EndProcessing()
        {
            if (_items.Count == 0)
            {
                var e = new ArgumentException("-InputObject: nothing to report. Pipe estimates, comparison rows, GPU fits or cluster plans in; no file was written.", nameof(InputObject));
                WriteError(new ErrorRecord(e, NoReportInput, ErrorCategory.InvalidArgument, null));
                return;
            }
            string path = SessionState.Path.GetUnresolvedProviderPathFromPSPath(Path);
            if (!ShouldProcess(path, "Write the VramPS report")) return;

            var assembly = typeof(ExportVramReportCommand).Assembly;
            var version = assembly.GetName().Version;
            string html = ReportPage.Build(_items, Title, HeadroomPercent, version is null ? "" : version.ToString(3),
                AccuracySummary.Load(assembly.Location), DateTime.UtcNow);
            try
            {
                File.WriteAllText(path, html, new UTF8Encoding(false));
            }
            catch (Exception e) when (e is IOException || e is UnauthorizedAccessException || e is NotSupportedException)
            {
                ThrowTerminatingError(new ErrorRecord(
                    new IOException($"-Path: the report could not be written to '{path}': {e.Message}", e), ReportNotWritten, ErrorCategory.WriteError, path));
            }

            if (Show && !DefaultBrowser.TryOpen(path))
            {
                WriteWarning($"-Show: there is no desktop browser to open here; the report is at {path}.");
            }
            if (PassThru) WriteObject(new FileInfo(path));
        }
    }
}
