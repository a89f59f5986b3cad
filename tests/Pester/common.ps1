# Dot-sourced by every test file's BeforeAll: imports the module as built (module/), never src/.
$RepoRoot = (Resolve-Path (Join-Path $PSScriptRoot '../..')).Path
$ModuleManifest = Join-Path $RepoRoot 'module/VramPS.psd1'
if (-not (Test-Path $ModuleManifest)) {
    throw "$ModuleManifest is missing: build first (dotnet build VramPS.sln -c Release)."
}
Import-Module $ModuleManifest -Force
$DevCsv = Join-Path $RepoRoot 'tests/data/measured-dev.csv'
$Cmdlets = 'Get-TrainingMemory', 'Find-GpuFit', 'Compare-FinetuneMethod', 'Get-VramGpu', 'Get-VramModel', 'Export-VramReport', 'Import-TrainingConfig', 'Get-VramFramework'
$Llama = 'meta-llama/Llama-2-7b-hf'
$Mistral = 'mistralai/Mistral-7B-v0.1'
$WorkloadParameters = 'BatchSize', 'SequenceLength', 'GradientAccumulation', 'Checkpointing', 'Attention', 'LoraRank',
    'LoraTargets', 'Quantization', 'TrainableLayers', 'GpuCount', 'Sharding', 'Offload', 'Techniques', 'Framework',
    'TensorParallel', 'PipelineParallel', 'PipelineSchedule', 'VirtualStages', 'SequenceParallel', 'ContextParallel', 'ExpertParallel',
    'GpusPerNode', 'VirtualTokens', 'OftBlockSize', 'LokrFactor', 'AdaLoraInitialRank', 'OptimizerRank'
