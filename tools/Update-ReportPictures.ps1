<#
.SYNOPSIS
    Renders the reports the README and the about topics make into docs/report-<name>.png.
.DESCRIPTION
    Finds every "PS> " example line that runs Export-VramReport -Path <name>.html in README.md and docs/en-US/about_*.md,
    runs it against the built module in a temporary folder, renders the page with headless Chromium
    (tools/Invoke-Chromium.ps1, 900 pixels wide) and writes docs/report-<name>.png, cut under its content. The pictures
    the README shows are thereby what its commands make. Run it after a change to the reports or the figures.
.EXAMPLE
    dotnet pwsh -NoProfile -File tools/Update-ReportPictures.ps1
#>
[CmdletBinding()]
param()

$ErrorActionPreference = 'Stop'
Set-StrictMode -Version Latest
$root = Split-Path -Parent $PSScriptRoot
Import-Module (Join-Path $root 'module/VramPS.psd1') -Force
Add-Type -Path (Join-Path $PSScriptRoot 'PngPixels.cs')

$files = @(Join-Path $root 'README.md') + @(Get-ChildItem (Join-Path $root 'docs/en-US') -Filter 'about_*.md').FullName
$lines = foreach ($file in $files) {
    Get-Content $file | Where-Object { $_ -match '^PS> .*\| Export-VramReport -Path (\w[\w-]*)\.html' } | ForEach-Object {
        [pscustomobject]@{ Code = $_.Substring(4); Name = $Matches[1] }
    }
}
if (-not $lines) { throw 'No "PS> ... | Export-VramReport -Path <name>.html" example found.' }

$work = Join-Path ([IO.Path]::GetTempPath()) "vramps-pictures-$PID"
New-Item -ItemType Directory -Force $work | Out-Null
Push-Location $work
try {
    foreach ($line in $lines) {
        Invoke-Expression $line.Code | Out-Null
        $shot = Join-Path $work "$($line.Name).png"
        & (Join-Path $PSScriptRoot 'Invoke-Chromium.ps1') -Html "$($line.Name).html" -Png $shot -Width 900 -Height 4000
        $target = Join-Path $root "docs/report-$($line.Name).png"
        [VramPS.Tools.PngPixels]::Read($shot).SaveCropped($target, 16)
        Write-Host "docs/report-$($line.Name).png"
    }
}
finally {
    Pop-Location
    Remove-Item $work -Recurse -Force
}
