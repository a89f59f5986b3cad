<#
.SYNOPSIS
    Measures what VramPS costs inside pwsh: module import time over a bare start, and a 100,000-row plan file piped
    from Import-Csv through Get-TrainingMemory.
.DESCRIPTION
    Import: -Runs pairs of fresh processes, `pwsh -NoProfile -c exit` and one that imports the module first; the median
    of the pairs' differences is the import's cost (target: at most 300 ms).
    Sweep: writes a plan file of -Rows rows (varied models, methods, batch sizes, sequence lengths, GPU counts and
    sharding) into -WorkFolder, then times `Import-Csv plans.csv | Get-TrainingMemory` in a fresh pwsh (target: at
    most 20 s on 2 cores). The plan file is the only file written, in the folder named; it is removed afterwards.
    Build first (dotnet build VramPS.sln -c Release); the module is module/VramPS.psd1.
.EXAMPLE
    dotnet pwsh -NoProfile -File bench/Measure-PwshCosts.ps1
#>
[CmdletBinding()]
param(
    [ValidateRange(3, 100)] [int] $Runs = 11,
    [ValidateRange(1, 10000000)] [int] $Rows = 100000,
    [string] $WorkFolder = [System.IO.Path]::GetTempPath()
)

$ErrorActionPreference = 'Stop'
Set-StrictMode -Version Latest

$manifest = Join-Path $PSScriptRoot '../module/VramPS.psd1' | Resolve-Path | Select-Object -ExpandProperty Path

# The pwsh that runs this script: its native host where there is one, else its pwsh.dll through dotnet (the local tool).
$native = Join-Path $PSHOME ($IsWindows ? 'pwsh.exe' : 'pwsh')
$pwsh = @(if (Test-Path $native) { $native } else { (Get-Command dotnet).Source; Join-Path $PSHOME "pwsh.dll" })

# Wall time of one fresh pwsh that runs $Command, in milliseconds.
function Measure-Start {
    param([string] $Command)
    $clock = [System.Diagnostics.Stopwatch]::StartNew()
    & $pwsh[0] @($pwsh | Select-Object -Skip 1) -NoProfile -NonInteractive -Command $Command
    if ($LASTEXITCODE -ne 0) { throw "pwsh -c '$Command' exited with $LASTEXITCODE." }
    $clock.Elapsed.TotalMilliseconds
}

function Get-Median {
    param([double[]] $Values)
    $sorted = $Values | Sort-Object
    $sorted[[int][math]::Floor($sorted.Count / 2)]
}

# Bare and importing starts alternate, so a change in the machine's load falls on both alike.
$bare = [System.Collections.Generic.List[double]]::new()
$imported = [System.Collections.Generic.List[double]]::new()
for ($i = 0; $i -lt $Runs; $i++) {
    $bare.Add((Measure-Start 'exit'))
    $imported.Add((Measure-Start "Import-Module '$manifest'; exit"))
}
$extra = for ($i = 0; $i -lt $Runs; $i++) { $imported[$i] - $bare[$i] }

$plans = Join-Path $WorkFolder "vramps-plans-$([guid]::NewGuid().ToString('N')).csv"
$models = 'meta-llama/Llama-2-7b-hf', 'mistralai/Mistral-7B-v0.1', 'Qwen/Qwen2.5-7B', 'mistralai/Mixtral-8x7B-v0.1', 'meta-llama/Llama-2-13b-hf'
$methods = 'Full', 'Freeze', 'LoRA', 'QLoRA'
$lines = [System.Collections.Generic.List[string]]::new($Rows + 1)
$lines.Add('Model,Method,BatchSize,SequenceLength,GpuCount,Sharding,Checkpointing')
for ($i = 0; $i -lt $Rows; $i++) {
    $gpus = 1 -shl ($i % 4)
    $sharding = if ($gpus -gt 1) { 'Zero3' } else { '' }
    $checkpointing = if ($i % 3 -eq 0) { 'Full' } else { '' }
    $lines.Add(('{0},{1},{2},{3},{4},{5},{6}' -f $models[$i % $models.Count], $methods[($i -shr 2) % 4], (1 + $i % 8), (512 * (1 + $i % 8)), $gpus, $sharding, $checkpointing))
}
[System.IO.File]::WriteAllLines($plans, $lines)
try {
    # The plan names no GPU, so the child warns once (on the host, which would land in the captured figure); silenced.
    $sweep = "Import-Module '$manifest'; `$n = 0; `$t = Measure-Command { Import-Csv '$plans' | Get-TrainingMemory -WarningAction SilentlyContinue | ForEach-Object { `$n++ } }; " +
        "if (`$n -ne $Rows) { throw `"`$n estimates for $Rows rows`" }; `$t.TotalSeconds"
    $seconds = [double](& $pwsh[0] @($pwsh | Select-Object -Skip 1) -NoProfile -NonInteractive -Command $sweep)
    if ($LASTEXITCODE -ne 0) { throw "The sweep exited with $LASTEXITCODE." }
}
finally {
    Remove-Item $plans -ErrorAction Ignore
}

[pscustomobject]@{ Measure = 'pwsh -c exit (median)'; Value = '{0:N0} ms' -f (Get-Median $bare); Target = '' }
[pscustomobject]@{ Measure = 'pwsh -c "Import-Module VramPS; exit" (median)'; Value = '{0:N0} ms' -f (Get-Median $imported); Target = '' }
[pscustomobject]@{ Measure = 'module import over a bare start (median of pairs)'; Value = '{0:N0} ms' -f (Get-Median $extra); Target = '<= 300 ms' }
[pscustomobject]@{ Measure = "Import-Csv of $($Rows.ToString('N0')) rows | Get-TrainingMemory"; Value = '{0:N1} s' -f $seconds; Target = '<= 20 s' }
