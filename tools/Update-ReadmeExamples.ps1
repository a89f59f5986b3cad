<#
.SYNOPSIS
    Refreshes the rendered output of every example in the README and the about topics from the built module.
.DESCRIPTION
    In each file, for each ```powershell block whose lines start with "PS> " and which is followed by a ```text block,
    runs the commands against module/VramPS.psd1 (plain-text rendering, 200 columns) and writes what they print into the text
    block. Run it after a change that moves figures, then read the diff.
.PARAMETER Readme
    The files to refresh; README.md and docs/en-US/about_*.md by default.
.EXAMPLE
    dotnet pwsh -NoProfile -File tools/Update-ReadmeExamples.ps1
#>
[CmdletBinding()]
param(
    [string[]] $Readme = @(Join-Path $PSScriptRoot '../README.md') + @(Get-ChildItem (Join-Path $PSScriptRoot '../docs/en-US') -Filter 'about_*.md').FullName
)

$ErrorActionPreference = 'Stop'
Set-StrictMode -Version Latest
$root = Split-Path -Parent $PSScriptRoot
Import-Module (Join-Path $root 'module/VramPS.psd1') -Force
$PSStyle.OutputRendering = 'PlainText'
$Readme = @($Readme | ForEach-Object { (Resolve-Path $_).Path })
# The examples run in a temporary folder, so files they write (reports) land there, not in the repository.
$work = Join-Path ([IO.Path]::GetTempPath()) "vramps-examples-$PID"
New-Item -ItemType Directory -Force $work | Out-Null
# Beside copies of the files the examples name (the trainer configs), as the tests run them.
Copy-Item (Join-Path $root 'tests/data/help-examples/*') $work -Recurse
Push-Location $work
try {
    # A powershell block (no fence inside it) directly followed by a text block.
    $pattern = '(?ms)(^```powershell\r?\n)((?:(?!^```).)*?)(^```\r?\n\r?\n```text\r?\n)(.*?)(^```)'
    $refresh = {
        param($m)
        $commands = @($m.Groups[2].Value -split '\r?\n' | Where-Object { $_ -like 'PS> *' } | ForEach-Object { $_.Substring(4) })
        if ($commands.Count -eq 0) { return $m.Value }
        $output = foreach ($command in $commands) { Invoke-Expression $command | Out-String -Width 200 }
        $lines = ($output -join '') -split '\r?\n' | ForEach-Object { $_.TrimEnd() }
        $body = ($lines -join "`n").Trim("`n") + "`n"
        $m.Groups[1].Value + $m.Groups[2].Value + $m.Groups[3].Value + $body + $m.Groups[5].Value
    }
    foreach ($file in $Readme) {
        $refreshed = [regex]::Replace((Get-Content -Raw $file), $pattern, $refresh)
        Set-Content -Path $file -Value $refreshed -NoNewline -Encoding utf8
    }
}
finally {
    Pop-Location
    Remove-Item $work -Recurse -Force
}
