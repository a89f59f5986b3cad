using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Reflection;
using System.Text;
using Newtonsoft.Json.Linq;
using VramPS.Engine.Errors;
using VramPS.Engine.Estimation;
using VramPS.Engine.Gpus;
using VramPS.Engine.Models;
using VramPS.Engine.Parsing;
using VramPS.Engine.Tests.Models;

namespace VramPS.Engine.Tests.Fuzz
{
    /// <summary>
    /// Every reader of outside input, as a fuzz target: -Params sizes, framework names, config.json, model and GPU catalog
    /// files, and inventories in JSON and CSV; and the estimator over drawn workloads. File readers get each input through
    /// a file in a scratch folder, as users hand them one.
    /// </summary>
    internal static class FuzzTargets
    {
        public static IReadOnlyList<string> Names { get; } =
            new[] { "params", "framework", "config", "model-catalog", "gpu-catalog", "inventory-json", "inventory-csv", "estimate" };

        public static FuzzTarget Get(string name, string scratchFolder) => name switch
        {
            "params" => new FuzzTarget(name, TextInput.Seeds(ParamsSeeds), input => Params(TextInput.FromBytes(input)),
                typeof(InvalidWorkloadException)),
            "framework" => new FuzzTarget(name, TextInput.Seeds(FrameworkSeeds), input => Framework(TextInput.FromBytes(input)),
                typeof(InvalidWorkloadException)),
            "config" => new FuzzTarget(name, ConfigSeeds, input => Config(Scratch(scratchFolder, "config.json", input)),
                typeof(InvalidDataFileException), typeof(InvalidWorkloadException)),
            "model-catalog" => new FuzzTarget(name, ModelCatalogSeeds.Value, input => ModelCatalogFile(Scratch(scratchFolder, "models.json", input)),
                typeof(InvalidDataFileException)),
            "gpu-catalog" => new FuzzTarget(name, GpuCatalogSeeds.Value, input => GpuCatalogFile(Scratch(scratchFolder, "gpus.json", input)),
                typeof(InvalidDataFileException)),
            "inventory-json" => new FuzzTarget(name, Utf8(InventoryJsonSeeds), input => Inventory(Scratch(scratchFolder, "inventory.json", input)),
                typeof(InvalidDataFileException), typeof(UnknownNameException)),
            "inventory-csv" => new FuzzTarget(name, Utf8(InventoryCsvSeeds), input => Inventory(Scratch(scratchFolder, "inventory.csv", input)),
                typeof(InvalidDataFileException), typeof(UnknownNameException)),
            "estimate" => new FuzzTarget(name, new[] { new WorkloadSpec { Params = 7_000_000_000 }.ToBytes() },
                rng => WorkloadSpec.Draw(rng).ToBytes(), input => EstimateChecks.Verify(MemoryEstimator.Estimate(WorkloadSpec.FromBytes(input).ToWorkload())),
                typeof(InvalidWorkloadException)),
            _ => throw new ArgumentOutOfRangeException(nameof(name), name, "No such fuzz target."),
        };

        private static readonly string[] ParamsSeeds =
            { "7B", "6.7B", "125M", "1.5T", "7e9", "7000000000", " 13 b ", "1e6", "100T", "0.5 t", "70b", "1.1e+12", "3000K", "405B" };

        private static readonly string[] FrameworkSeeds =
            FrameworkNames.All.Concat(Enum.GetNames(typeof(Framework))).Concat(new[] { "hf-trainer", "LLAMA-FACTORY", " peft" }).ToArray();

        private static readonly string[] InventoryJsonSeeds =
        {
            "[{\"gpu\": \"H100-SXM\", \"count\": 16}, {\"gpu\": \"4090\", \"count\": 2}]",
            "{\"inventory\": [{\"gpu\": \"H100\", \"count\": 16}, {\"gpu\": \"RTX 4090\", \"count\": 2}]}",
            "[\n  {\n    \"Gpu\": \"NVIDIA H100 80GB HBM3\",\n    \"Count\": 16\n  },\n  {\n    \"Gpu\": \"L4\",\n    \"Count\": 1000000\n  }\n]",
        };

        private static readonly string[] InventoryCsvSeeds =
        {
            "Gpu,Count\nH100-SXM,16\n4090,2\n",
            "\uFEFFGPU , count\r\nH100,16\r\n\r\nRTX 4090 , 2",
            "Count,Gpu\n16,\"NVIDIA H100 80GB HBM3\"\n2,RTX-4090\n",
            "\"Gpu\",\"Count\"\n\"H100-SXM\",\"16\"\n\"A100 \"\"80GB\"\"\",\"2\"\n",
        };

        private static IReadOnlyList<byte[]> ConfigSeeds { get; } =
            TestFiles.AllFixtures().Select(File.ReadAllBytes).ToArray();

        /// <summary>The embedded catalog whole, and small catalogs of a few of its entries (cheaper, so more inputs per second).</summary>
        private static readonly Lazy<IReadOnlyList<byte[]>> ModelCatalogSeeds = new Lazy<IReadOnlyList<byte[]>>(() =>
            CatalogSeeds(Embedded("VramPS.Engine.Catalogs.models.json"), "models"));

        private static readonly Lazy<IReadOnlyList<byte[]>> GpuCatalogSeeds = new Lazy<IReadOnlyList<byte[]>>(() =>
            CatalogSeeds(Embedded("VramPS.Engine.Catalogs.gpus.json"), "gpus"));

        private static IReadOnlyList<byte[]> CatalogSeeds(string whole, string arrayField)
        {
            var entries = (JArray)JObject.Parse(whole)[arrayField]!;
            var seeds = new List<byte[]> { Encoding.UTF8.GetBytes(whole) };
            for (int i = 0; i + 1 < entries.Count; i += Math.Max(1, entries.Count / 12))
            {
                var subset = new JObject { [arrayField] = new JArray(entries[i], entries[i + 1]) };
                seeds.Add(Encoding.UTF8.GetBytes(subset.ToString()));
            }
            return seeds;
        }

        private static string Embedded(string resource)
        {
            using (var stream = typeof(ModelCatalog).GetTypeInfo().Assembly.GetManifestResourceStream(resource)!)
            using (var reader = new StreamReader(stream))
            {
                return reader.ReadToEnd();
            }
        }

        private static IReadOnlyList<byte[]> Utf8(IEnumerable<string> texts) => texts.Select(Encoding.UTF8.GetBytes).ToArray();

        private static string Scratch(string folder, string name, byte[] input)
        {
            string path = Path.Combine(folder, name);
            File.WriteAllBytes(path, input);
            return path;
        }

        private static void Params(string text)
        {
            long count = ParameterSize.Parse(text);
            if (count < ParameterSize.Min || count > ParameterSize.Max) throw new InvalidOperationException($"-Params '{text}' gave {count}.");
            var model = ModelArchitecture.LlamaLike(count);
            if (model.TotalParameters <= 0) throw new InvalidOperationException($"-Params '{text}' gave a model of {model.TotalParameters} parameters.");
        }

        private static void Framework(string text)
        {
            var framework = FrameworkNames.Parse(text);
            if (!string.Equals(FrameworkNames.ToName(framework), text, StringComparison.OrdinalIgnoreCase)
                && !string.Equals(framework.ToString(), text, StringComparison.OrdinalIgnoreCase))
            {
                throw new InvalidOperationException($"Framework '{text}' parsed as {framework}.");
            }
        }

        /// <summary>A config that reads must give a model the estimator handles: a figure or a clean refusal.</summary>
        private static void Config(string path)
        {
            var model = HfConfigReader.Read(path);
            Model(model);
            EstimateChecks.Verify(MemoryEstimator.Estimate(new Workload(model)));
            EstimateChecks.Verify(MemoryEstimator.Estimate(new Workload(model) { Method = FinetuneMethod.QLoRA, LoraTargets = new[] { "all-linear" } }));
        }

        private static void ModelCatalogFile(string path)
        {
            foreach (var model in ModelCatalog.Load(path).All) Model(model);
        }

        private static void Model(ModelArchitecture model)
        {
            if (model.TotalParameters <= 0 || model.ActiveParameters <= 0 || model.ActiveParameters > model.TotalParameters)
                throw new InvalidOperationException($"{model.Id}: {model.TotalParameters} parameters, {model.ActiveParameters} active.");
        }

        private static void GpuCatalogFile(string path)
        {
            var catalog = GpuCatalog.Load(path);
            foreach (var gpu in catalog.All)
            {
                if (!ReferenceEquals(catalog.Find(gpu.Name), gpu) || gpu.MemoryBytes <= gpu.ContextBytes)
                    throw new InvalidOperationException($"{gpu.Name} does not find itself or holds less than its context.");
            }
        }

        private static void Inventory(string path)
        {
            var items = GpuInventory.Load(path, GpuCatalog.Default);
            if (items.Count == 0 || items.Any(i => i.Count < 1 || i.Count > GpuInventory.MaxCount || i.Gpu is null))
                throw new InvalidOperationException("An inventory row is empty or out of range.");
        }
    }
}
