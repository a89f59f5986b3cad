using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using System.Reflection;
using VramPS.Engine;
using VramPS.Engine.Errors;
using VramPS.Transformation;

namespace VramPS.Commands
{
    /// <summary>
    /// How the workload cmdlets read piped objects. PowerShell's by-property-name binding drops a value it cannot
    /// convert without a word and uses the default (Method=QLoar became Full), so the settings are not bound by it:
    /// each cmdlet reads every setting of a piped row itself, through the same transformation attribute that reads the
    /// parameter's argument, and reports every bad cell of a row in one error naming the row, the columns, the values
    /// and what is allowed. A VramPS result (estimate, comparison row, model) hands on the workload its user gave, not
    /// the defaults the engine filled in. Columns that set nothing are named once in a warning and come back on each
    /// result as note properties, so results join back to their plan rows.
    /// </summary>
    public abstract partial class WorkloadCommandBase
    {
        public const string InvalidPipelineValue = nameof(InvalidPipelineValue);

        private static readonly ConcurrentDictionary<Type, RowSetting[]> SettingsByCommand = new ConcurrentDictionary<Type, RowSetting[]>();

        /// <summary>The names and aliases of the model parameters, which rows give as columns too.</summary>
        private static readonly string[][] ModelColumns =
        {
            new[] { nameof(Model) }, new[] { nameof(ConfigPath), "PSPath" }, new[] { nameof(Params) },
        };

        private readonly HashSet<string> _commandLine = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        private readonly HashSet<string> _namedColumns = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        private readonly HashSet<string> _clashedColumns = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        private readonly HashSet<string> _fromRow = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        private int _inputs;
        private PipedRow? _row;
        private string? _rowModelSet;
        private string _rowModel = "";
        private HashSet<string>? _readNames;

        /// <summary>
        /// Each object the pipeline sends: a plan row or any object read by property name, a VramPS result whose workload
        /// is the base, or a GpuSpec. Typed object so that PowerShell never tries, and fails with an exception, to
        /// convert each row of a plan file.
        /// </summary>
        [Parameter(ValueFromPipeline = true, DontShow = true)]
        public object? InputObject { get; set; }

        /// <summary>The parameters given on the command line (not from the pipeline).</summary>
        protected IReadOnlyCollection<string> CommandLine => _commandLine;

        /// <summary>The piped GPU of the current input, if it is one.</summary>
        protected Engine.Gpus.GpuSpec? PipedGpu => _row?.Gpu;

        /// <summary>
        /// Reads the current piped object into the settings not given on the command line (null where it has no such
        /// property). Writes one error and returns false when a value does not read; warns once about columns that set
        /// nothing. Every ProcessRecord starts here.
        /// </summary>
        protected bool ReadInput()
        {
            _row = InputObject is null ? null : new PipedRow(InputObject, ++_inputs);
            _rowModelSet = null;
            _rowModel = "";
            _fromRow.Clear();
            var problems = new List<(int Column, string Text)>();
            foreach (var setting in Settings())
            {
                if (_commandLine.Contains(setting.Property.Name)) continue;
                object? value = null;
                if (_row != null && _row.HasSettings && _row.TryGet(setting.Names, out string column, out object? cell))
                {
                    try
                    {
                        value = setting.Converter.Convert(SettingTransformationAttribute.Unwrap(cell));
                        if (value != null) _fromRow.Add(setting.Property.Name);
                    }
                    catch (InvalidSettingValueException e)
                    {
                        problems.Add((_row.ColumnIndex(column), $"{_row}, column {column}: {e.Message}"));
                    }
                }
                setting.Property.SetValue(this, value ?? setting.Unset);
            }
            foreach (var names in ModelColumns) ReadModelColumn(names);
            if (_row is null) return true;
            WarnUnread();
            if (problems.Count == 0) return true;
            var error = new ArgumentException(string.Join(" ", problems.OrderBy(p => p.Column).Select(p => p.Text)));
            WriteError(new ErrorRecord(error, InvalidPipelineValue, ErrorCategory.InvalidArgument, _row.Object));
            return false;
        }

        /// <summary>The workload of the current input before its settings apply: the model it names, on the piped workload if any.</summary>
        private Workload BaseWorkload()
        {
            var piped = _row?.Workload;
            bool named = _commandLine.Contains(nameof(Model)) || _commandLine.Contains(nameof(ConfigPath)) || _commandLine.Contains(nameof(Params));
            if (piped != null && !named) return piped.Clone();
            var w = named ? ResolveModel(ParameterSetName, ModelLabel) : ResolveModel(_rowModelSet, _rowModel);
            if (piped is null) return w;
            var onModel = piped.WithModel(w.Model);
            onModel.ModelName = w.ModelName;
            return onModel;
        }

        /// <summary>Writes each result with the row's own columns on it as note properties.</summary>
        protected void WriteResults(IEnumerable<object> results)
        {
            foreach (object result in results) WriteResult(result);
        }

        /// <summary>Writes one result with the row's own columns on it as note properties.</summary>
        protected void WriteResult(object result)
        {
            if (_row is null || _row.Gpu != null)
            {
                WriteObject(result);
                return;
            }
            var wrapped = PSObject.AsPSObject(result);
            var clashes = new List<string>();
            foreach (var column in _row.OwnColumns(ReadNames))
            {
                if (wrapped.Properties[column.Name] != null)
                {
                    if (_clashedColumns.Add(column.Name)) clashes.Add(column.Name);
                    continue;
                }
                wrapped.Properties.Add(new PSNoteProperty(column.Name, column.Value));
            }
            if (clashes.Count > 0)
                WriteWarning($"{Plural(clashes, "Column", "Columns")} {string.Join(", ", clashes)} {(clashes.Count == 1 ? "is" : "are")} not copied onto the results: they have their own property of that name.");
            WriteObject(wrapped);
        }

        /// <summary>Decorates an error about a piped row: the row is its target and its message names the row.</summary>
        private ErrorRecord OnRow(ErrorRecord record)
        {
            if (_row is null || _row.Gpu != null) return record;
            var onRow = new ErrorRecord(record.Exception, record.FullyQualifiedErrorId, record.CategoryInfo.Category, _row.Object)
            {
                ErrorDetails = new ErrorDetails($"{_row}: {record.Exception.Message}"),
            };
            return onRow;
        }

        /// <summary>
        /// Reads a model column of the row, when the command line names no model. PowerShell binds these three by
        /// property name (a row must satisfy a mandatory one for the set-specific parameters on the command line), so it
        /// has already refused a row that fills two of them (AmbiguousParameterSet); an empty cell is not given.
        /// </summary>
        private void ReadModelColumn(string[] names)
        {
            if (_row is null || !_row.HasSettings || _rowModelSet != null || _commandLine.Contains(names[0])) return;
            if (!_row.TryGet(names, out _, out object? cell) || cell is null || cell.ToString()!.Trim().Length == 0) return;
            _rowModelSet = names[0] == nameof(Model) ? ModelSet : names[0] == nameof(Params) ? ParamsSet : ConfigSet;
            _rowModel = cell.ToString()!.Trim();
        }

        /// <summary>Whether a setting was given, on the command line or by the current row (for switches, where false is a value).</summary>
        private bool Given(string parameter) => _commandLine.Contains(parameter) || _fromRow.Contains(parameter);

        /// <summary>Every property name the cmdlet reads from a piped object: its settings, the model parameters and Workload.</summary>
        private HashSet<string> ReadNames => _readNames ??= new HashSet<string>(
            Settings().SelectMany(s => s.Names).Concat(ModelColumns.SelectMany(n => n)).Concat(new[] { "Workload" }),
            StringComparer.OrdinalIgnoreCase);

        /// <summary>Warns once per pipeline about the columns of a plan row that set nothing, with the parameter a near-miss meant.</summary>
        private void WarnUnread()
        {
            var read = ReadNames;
            if (!_row!.IsPlanRow) return;
            var fresh = _row.OwnColumns(read).Select(p => p.Name).Where(_namedColumns.Add).ToList();
            if (fresh.Count == 0) return;
            var hints = fresh.Select(column => (column, meant: read.FirstOrDefault(name => Squeeze(name) == Squeeze(column))))
                .Where(h => h.meant != null).Select(h => $"{h.column} is not {h.meant}").ToList();
            WriteWarning($"{Plural(fresh, "Column", "Columns")} {string.Join(", ", fresh)} {(fresh.Count == 1 ? "sets" : "set")} nothing in {MyInvocation.MyCommand.Name} " +
                         $"and {(fresh.Count == 1 ? "is" : "are")} copied onto each result{(hints.Count > 0 ? $" ({string.Join("; ", hints)})" : "")}.");
        }

        private static string Plural(ICollection<string> items, string one, string many) => items.Count == 1 ? one : many;

        private static string Squeeze(string name) => new string(name.Where(char.IsLetterOrDigit).Select(char.ToLowerInvariant).ToArray());

        private RowSetting[] Settings() => SettingsByCommand.GetOrAdd(GetType(), RowSetting.Of);

        /// <summary>A parameter that a piped object sets by property name: the property, its names and its reader.</summary>
        private sealed class RowSetting
        {
            private RowSetting(PropertyInfo property, SettingTransformationAttribute converter)
            {
                Property = property;
                Converter = converter;
                Names = new[] { property.Name }.Concat(property.GetCustomAttributes<AliasAttribute>().SelectMany(a => a.AliasNames)).ToArray();
                Unset = property.PropertyType == typeof(SwitchParameter) ? (object)new SwitchParameter(false) : null;
            }

            public PropertyInfo Property { get; }
            public SettingTransformationAttribute Converter { get; }
            public string[] Names { get; }
            /// <summary>The value of "not given".</summary>
            public object? Unset { get; }

            /// <summary>
            /// Every parameter of a cmdlet that reads its argument through a SettingTransformationAttribute, but those
            /// PowerShell binds by property name itself (the model parameters, which a row must satisfy to pick a set).
            /// </summary>
            public static RowSetting[] Of(Type command) =>
                command.GetProperties(BindingFlags.Public | BindingFlags.Instance)
                    .Where(p => p.GetCustomAttributes<ParameterAttribute>().Any() && !p.GetCustomAttributes<ParameterAttribute>().Any(a => a.ValueFromPipelineByPropertyName))
                    .Select(p => (p, converter: p.GetCustomAttribute<SettingTransformationAttribute>()))
                    .Where(s => s.converter != null)
                    .Select(s => new RowSetting(s.p, s.converter!))
                    .ToArray();
        }
    }
}
