<#
.SYNOPSIS
    Renders a local HTML file to PNG with headless Chromium, installing Debian's chromium package when it is absent.
.DESCRIPTION
    Looks for chromium (or chromium-browser, google-chrome) on PATH. When none is found and apt-get is there, runs
    apt-get install -y chromium (after apt-get update when the package list does not know it), as the Debian package
    is what CI uses (through sudo -n when not run as root). Then takes a screenshot of the page at the given window size and scale 1, offline (the page is
    self-contained; nothing is fetched).
.PARAMETER Html
    The HTML file to render.
.PARAMETER Png
    The PNG file to write.
.PARAMETER Width
    Window width in CSS pixels.
.PARAMETER Height
    Window height in CSS pixels; the PNG is Width x Height.
.EXAMPLE
    ./tools/Invoke-Chromium.ps1 -Html report.html -Png report.png -Width 900 -Height 1200
#>
[CmdletBinding()]
param(
    [Parameter(Mandatory)] [string] $Html,
    [Parameter(Mandatory)] [string] $Png,
    [int] $Width = 900,
    [int] $Height = 1200
)

$ErrorActionPreference = 'Stop'
Set-StrictMode -Version Latest

function Find-Chromium {
    foreach ($name in 'chromium', 'chromium-browser', 'google-chrome') {
        $command = Get-Command $name -CommandType Application -ErrorAction Ignore | Select-Object -First 1
        if ($command) { return $command.Source }
    }
}

function Invoke-Apt([string[]] $Arguments) {
    $root = (& id -u) -eq '0'
    if ($root) { & apt-get @Arguments *> $null } else { & sudo -n apt-get @Arguments *> $null }
    $LASTEXITCODE -eq 0
}

$browser = Find-Chromium
if (-not $browser -and (Get-Command apt-get -CommandType Application -ErrorAction Ignore)) {
    $env:DEBIAN_FRONTEND = 'noninteractive'
    if (-not (Invoke-Apt 'install', '-y', '--no-install-recommends', 'chromium')) {
        Invoke-Apt 'update' | Out-Null
        Invoke-Apt 'install', '-y', '--no-install-recommends', 'chromium' | Out-Null
    }
    $browser = Find-Chromium
}
if (-not $browser) { throw 'Headless Chromium is needed to render the reports: install it (Debian: apt-get install -y chromium).' }

$source = (Resolve-Path $Html).Path
$url = [uri]::new($source).AbsoluteUri
$target = [IO.Path]::GetFullPath($Png)
$userData = Join-Path ([IO.Path]::GetTempPath()) "vramps-chromium-$PID"
$arguments = @(
    '--headless', '--no-sandbox', '--disable-gpu', '--hide-scrollbars', '--force-device-scale-factor=1', '--no-first-run',
    '--disable-extensions', '--disable-background-networking', "--user-data-dir=$userData",
    "--window-size=$Width,$Height", "--screenshot=$target", $url
)
try {
    & $browser @arguments 2>&1 | Write-Verbose
    if (-not (Test-Path $target)) { throw "$browser wrote no screenshot of $source (exit code $LASTEXITCODE)." }
}
finally {
    Remove-Item $userData -Recurse -Force -ErrorAction Ignore
}
