<#
.SYNOPSIS
    Regenerates src/VramPS.Engine/Catalogs/validation-errors.csv: VramPS's signed error on each validation run.
.DESCRIPTION
    Scores tests/data/measured-dev.csv with tools/Measure-Accuracy.ps1 (each row piped into Get-TrainingMemory as a
    user would) and writes one line per scored run: Id, Framework, Method, MeasureKind and ErrorPercent, the signed
    error (estimate - measured) / measured in percent, two decimals. The engine embeds the file and takes each
    estimate's Low and High from it (about_VramPS_Accuracy); ValidationErrorsTests fails when it no longer matches the
    estimates, so run this (after building) whenever an engine change moves a dev-set row, then rebuild.
.PARAMETER Module
    The module manifest to score with; module/VramPS.psd1 (the built module) by default.
.EXAMPLE
    dotnet build VramPS.sln -c Release; ./tools/Update-ValidationErrors.ps1; dotnet build VramPS.sln -c Release
#>
[CmdletBinding()]
param(
    [string] $Module = (Join-Path $PSScriptRoot '../module/VramPS.psd1')
)

$ErrorActionPreference = 'Stop'
Set-StrictMode -Version Latest
$root = (Resolve-Path (Join-Path $PSScriptRoot '..')).Path
$rows = & (Join-Path $PSScriptRoot 'Measure-Accuracy.ps1') -Csv (Join-Path $root 'tests/data/measured-dev.csv') -Module $Module -PassThru |
    Where-Object { $_ -is [pscustomobject] -and $_.PSObject.Properties['Error'] -and $_.PSObject.Properties['Id'] }
$failed = @($rows | Where-Object { $null -eq $_.Error })
if ($failed.Count -gt 0) { throw "No estimate for $($failed.Id -join ', '): fix them before regenerating the errors." }
$invariant = [cultureinfo]::InvariantCulture
$lines = @('Id,Framework,Method,MeasureKind,ErrorPercent') + @($rows | ForEach-Object {
    '{0},{1},{2},{3},{4}' -f $_.Id, $_.Framework, $_.Method, $_.MeasureKind, (100 * $_.Error).ToString('0.00', $invariant)
})
$path = Join-Path $root 'src/VramPS.Engine/Catalogs/validation-errors.csv'
[System.IO.File]::WriteAllText($path, ($lines -join "`n") + "`n", [System.Text.UTF8Encoding]::new($false))
"Wrote $($rows.Count) runs to $path"
