using System.Collections.Generic;
using System.IO;
using System.Linq;
using Newtonsoft.Json.Linq;

namespace VramPS.Reports
{
    /// <summary>
    /// The dev set's accuracy figures the build computed for this module (VramPS.accuracy.json beside the assembly, made
    /// by tools/Measure-Accuracy.ps1 from tests/data/measured-dev.csv): never typed in, so they cannot drift from the engine.
    /// </summary>
    internal sealed class AccuracySummary
    {
        public const string FileName = "VramPS.accuracy.json";

        private AccuracySummary(string csv, IReadOnlyList<Group> groups)
        {
            Csv = csv;
            Groups = groups;
        }

        public string Csv { get; }

        /// <summary>"All" first, then by framework and by method.</summary>
        public IReadOnlyList<Group> Groups { get; }

        /// <summary>The figures staged beside <paramref name="assemblyPath"/>, or null where the build left none.</summary>
        public static AccuracySummary? Load(string assemblyPath)
        {
            string path = Path.Combine(Path.GetDirectoryName(assemblyPath) ?? ".", FileName);
            if (!File.Exists(path)) return null;
            var json = JObject.Parse(File.ReadAllText(path));
            var groups = json["Groups"]!.Select(g => new Group(
                (string)g["Group"]!, (int)g["Rows"]!, (double)g["MAPE%"]!, (double)g["Median%"]!, (double)g["Within10%"]!, (string)g["Worst"]!)).ToList();
            return new AccuracySummary((string)json["Csv"]!, groups);
        }

        internal sealed class Group
        {
            public Group(string name, int rows, double mape, double median, double within10, string worst)
            {
                Name = name;
                Rows = rows;
                Mape = mape;
                Median = median;
                Within10 = within10;
                Worst = worst;
            }

            public string Name { get; }
            public int Rows { get; }
            public double Mape { get; }
            public double Median { get; }
            public double Within10 { get; }
            public string Worst { get; }
        }
    }
}
