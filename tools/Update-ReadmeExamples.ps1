<#
.SYNOPSIS
    Refreshes the rendered output of every README example from the built module.
.DESCRIPTION
    For each ```powershell block whose lines start with "PS> " and which is followed by a ```text block, runs the
    commands against module/VramPS.psd1 (plain-text rendering, 200 columns) and writes what they print into the text
    block. Run it after a change that moves figures, then read the diff.
.PARAMETER Readme
    The file to refresh; README.md beside the repository root by default.
.EXAMPLE
    dotnet pwsh -NoProfile -File tools/Update-ReadmeExamples.ps1
#>
[CmdletBinding()]
param(
    [string] $Readme = (Join-Path $PSScriptRoot '../README.md')
)

$ErrorActionPreference = 'Stop'
Set-StrictMode -Version Latest
$root = Split-Path -Parent $PSScriptRoot
Import-Module (Join-Path $root 'module/VramPS.psd1') -Force
$PSStyle.OutputRendering = 'PlainText'
Push-Location $root
try {
    $text = Get-Content -Raw $Readme
    $pattern = '(?ms)(^```powershell\r?\n)(.*?)(^```\r?\n\r?\n```text\r?\n)(.*?)(^```)'
    $refreshed = [regex]::Replace($text, $pattern, {
            param($m)
            $commands = @($m.Groups[2].Value -split '\r?\n' | Where-Object { $_ -like 'PS> *' } | ForEach-Object { $_.Substring(4) })
            if ($commands.Count -eq 0) { return $m.Value }
            $output = foreach ($command in $commands) { Invoke-Expression $command | Out-String -Width 200 }
            $lines = ($output -join '') -split '\r?\n' | ForEach-Object { $_.TrimEnd() }
            $body = ($lines -join "`n").Trim("`n") + "`n"
            $m.Groups[1].Value + $m.Groups[2].Value + $m.Groups[3].Value + $body + $m.Groups[5].Value
        })
    Set-Content -Path $Readme -Value $refreshed -NoNewline -Encoding utf8
}
finally {
    Pop-Location
}
