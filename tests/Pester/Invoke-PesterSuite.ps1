<#
.SYNOPSIS
    Runs the Pester suite in this folder against the built module and writes its pass/fail counts as JSON.
.DESCRIPTION
    build.ps1 -Task Test starts this script in a child pwsh, so the module DLL it loads is the one just built and
    is released when the run ends.
#>
[CmdletBinding()]
param(
    [Parameter(Mandatory)] [string] $PesterManifest,
    [Parameter(Mandatory)] [string] $CountsPath
)

$ErrorActionPreference = 'Stop'
Import-Module $PesterManifest -Force

$configuration = New-PesterConfiguration
$configuration.Run.Path = $PSScriptRoot
$configuration.Run.PassThru = $true
$configuration.Output.Verbosity = 'Normal'
$result = Invoke-Pester -Configuration $configuration

$failed = $result.FailedCount + $result.FailedBlocksCount + $result.FailedContainersCount
[pscustomobject]@{ Passed = $result.PassedCount; Failed = $failed } | ConvertTo-Json | Set-Content -Path $CountsPath
