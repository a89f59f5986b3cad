using System;
using Xunit;

namespace VramPS.Engine.Tests.Fuzz
{
    /// <summary>
    /// Mutated inputs for every reader of outside input give a result or a clean VramException, never another exception
    /// (FuzzSettings sets how many). Each reader is its own test so a finding names it.
    /// </summary>
    public sealed class ParserFuzzTests : IDisposable
    {
        private readonly Gpus.TempFolder _scratch = new Gpus.TempFolder();

        public void Dispose() => _scratch.Dispose();

        private void Fuzz(string target) =>
            FuzzHarness.Fuzz(FuzzTargets.Get(target, _scratch.Path), FuzzSettings.Iterations, FuzzSettings.Seed);

        [Fact]
        public void Params() => Fuzz("params");

        [Fact]
        public void Framework() => Fuzz("framework");

        [Fact]
        public void Config() => Fuzz("config");

        [Fact]
        public void ModelCatalog() => Fuzz("model-catalog");

        [Fact]
        public void GpuCatalog() => Fuzz("gpu-catalog");

        [Fact]
        public void InventoryJson() => Fuzz("inventory-json");

        [Fact]
        public void InventoryCsv() => Fuzz("inventory-csv");
    }
}
