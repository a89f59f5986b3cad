<#
.SYNOPSIS
    Builds, tests, packages or cleans VramPS, or scores its accuracy.
.DESCRIPTION
    Build    dotnet build of VramPS.sln; the build stages the importable module in module/.
    Test     Build, then the xUnit suite and the Pester suite (against module/, in a child pwsh), then one line
             "Tests: N passed, N failed" that counts both. Exits 1 when anything failed.
    Package  Build, then a .nupkg of the module in out/packages, checked by saving it back from a temporary
             local repository.
    Clean    Removes module/, out/ and every bin/ and obj/ folder.
    Accuracy Build, then tools/Measure-Accuracy.ps1 over tests/data/measured-dev.csv; writes the per-row report to
             out/accuracy.csv, draws docs/accuracy.png (tools/AccuracyChart) and puts the summary table into
             docs/en-US/about_VramPS_Accuracy.md between its accuracy markers.
.EXAMPLE
    dotnet tool restore; dotnet pwsh -NoProfile -File build.ps1 -Task Test
#>
[CmdletBinding()]
param(
    [ValidateSet('Build', 'Test', 'Package', 'Clean', 'Accuracy')]
    [string] $Task = 'Build',

    [ValidateSet('Release', 'Debug')]
    [string] $Configuration = 'Release'
)

$ErrorActionPreference = 'Stop'
Set-StrictMode -Version Latest

$Root = $PSScriptRoot
$ModuleDir = Join-Path $Root 'module'
$OutDir = Join-Path $Root 'out'

function Invoke-Dotnet {
    & dotnet @args | Out-Host
    if ($LASTEXITCODE -ne 0) { throw "dotnet $($args -join ' ') failed with exit code $LASTEXITCODE." }
}

function Invoke-Build {
    Invoke-Dotnet build (Join-Path $Root 'VramPS.sln') -c $Configuration --nologo -v quiet
    if (-not (Test-Path (Join-Path $ModuleDir 'VramPS.psd1'))) { throw "The build did not stage $ModuleDir." }
}

function Get-PesterModulePath {
    $project = Join-Path $Root 'tests/PesterRestore/PesterRestore.csproj'
    $version = ([xml](Get-Content -Raw $project)).Project.ItemGroup.PackageDownload.Version.Trim('[', ']')
    Invoke-Dotnet restore $project --nologo -v quiet
    $packages = (& dotnet nuget locals global-packages --list) -replace '^global-packages:\s*', ''
    $manifest = Join-Path $packages.Trim() "pester/$version/tools/Pester.psd1"
    if (-not (Test-Path $manifest)) { throw "Pester $version was restored but $manifest is missing." }
    $manifest
}

function Invoke-EngineTests {
    $results = Join-Path $OutDir 'TestResults'
    $trx = Join-Path $results 'engine.trx'
    Remove-Item $trx -ErrorAction Ignore
    & dotnet test (Join-Path $Root 'tests/VramPS.Engine.Tests') -c $Configuration --no-build --nologo `
        --logger 'trx;LogFileName=engine.trx' --logger 'console;verbosity=minimal' --results-directory $results |
        Out-Host
    $exit = $LASTEXITCODE
    if (-not (Test-Path $trx)) { return [pscustomobject]@{ Passed = 0; Failed = 1; Exit = $exit } }
    $counters = ([xml](Get-Content -Raw $trx)).TestRun.ResultSummary.Counters
    $failed = [int]$counters.failed + [int]$counters.error + [int]$counters.timeout + [int]$counters.aborted
    [pscustomobject]@{ Passed = [int]$counters.passed; Failed = $failed; Exit = $exit }
}

function Invoke-PesterTests {
    $counts = Join-Path $OutDir 'pester-counts.json'
    Remove-Item $counts -ErrorAction Ignore
    $pester = Get-PesterModulePath
    & dotnet pwsh -NoProfile -NonInteractive -File (Join-Path $Root 'tests/Pester/Invoke-PesterSuite.ps1') `
        -PesterManifest $pester -CountsPath $counts | Out-Host
    $exit = $LASTEXITCODE
    if (-not (Test-Path $counts)) { return [pscustomobject]@{ Passed = 0; Failed = 1; Exit = $exit } }
    $result = Get-Content -Raw $counts | ConvertFrom-Json
    [pscustomobject]@{ Passed = [int]$result.Passed; Failed = [int]$result.Failed; Exit = $exit }
}

function Invoke-Test {
    Invoke-Build
    New-Item -ItemType Directory -Force $OutDir | Out-Null
    $engine = Invoke-EngineTests
    $pester = Invoke-PesterTests
    $passed = $engine.Passed + $pester.Passed
    $failed = $engine.Failed + $pester.Failed
    if ($failed -eq 0 -and ($engine.Exit -ne 0 -or $pester.Exit -ne 0)) { $failed = 1 }
    [Console]::Out.WriteLine("Tests: $passed passed, $failed failed")
    if ($failed -gt 0) { exit 1 }
}

function Invoke-Package {
    Invoke-Build
    $staging = Join-Path $OutDir 'staging/VramPS'
    $packages = Join-Path $OutDir 'packages'
    Remove-Item (Join-Path $OutDir 'staging'), $packages -Recurse -Force -ErrorAction Ignore
    New-Item -ItemType Directory -Force $staging, $packages | Out-Null
    Copy-Item (Join-Path $ModuleDir '*') $staging -Recurse
    Compress-PSResource -Path $staging -DestinationPath $packages
    $nupkg = Get-ChildItem $packages -Filter 'VramPS.*.nupkg' | Select-Object -First 1
    if (-not $nupkg) { throw "Compress-PSResource left no VramPS .nupkg in $packages." }

    $repository = "VramPS-check-$([guid]::NewGuid().ToString('N'))"
    $saved = Join-Path $OutDir 'staging/saved'
    New-Item -ItemType Directory -Force $saved | Out-Null
    Register-PSResourceRepository -Name $repository -Uri $packages -Trusted
    try {
        Save-PSResource -Name VramPS -Repository $repository -Path $saved -TrustRepository -SkipDependencyCheck
    }
    finally {
        Unregister-PSResourceRepository -Name $repository
    }
    $manifest = Get-ChildItem $saved -Recurse -Filter 'VramPS.psd1' | Select-Object -First 1
    if (-not $manifest) { throw "$($nupkg.Name) did not install from a local repository." }
    Test-ModuleManifest $manifest.FullName | Out-Null
    Write-Host "Package: $($nupkg.FullName)"
}

function Invoke-Clean {
    Remove-Item $ModuleDir, $OutDir -Recurse -Force -ErrorAction Ignore
    Get-ChildItem (Join-Path $Root 'src'), (Join-Path $Root 'tests') -Directory -Recurse -Include bin, obj |
        Remove-Item -Recurse -Force
}

function Invoke-Accuracy {
    Invoke-Build
    New-Item -ItemType Directory -Force -Path $OutDir | Out-Null
    $report = Join-Path $OutDir 'accuracy.csv'
    $summary = Join-Path $OutDir 'accuracy.md'
    & dotnet pwsh -NoProfile -NonInteractive -File (Join-Path $Root 'tools/Measure-Accuracy.ps1') `
        -Csv (Join-Path $Root 'tests/data/measured-dev.csv') -Module (Join-Path $ModuleDir 'VramPS.psd1') `
        -ReportPath $report -MarkdownPath $summary | Out-Host
    if ($LASTEXITCODE -ne 0) { exit $LASTEXITCODE }
    Invoke-Dotnet run --project (Join-Path $Root 'tools/AccuracyChart/AccuracyChart.csproj') -c $Configuration -- $report (Join-Path $Root 'docs/accuracy.png')
    Update-AccuracyTopic (Get-Content -Raw $summary)
}

function Update-AccuracyTopic([string] $Table) {
    $topic = Join-Path $Root 'docs/en-US/about_VramPS_Accuracy.md'
    $text = Get-Content -Raw $topic
    $pattern = '(?s)(<!-- accuracy:start -->).*?(<!-- accuracy:end -->)'
    if ($text -notmatch $pattern) { throw "$topic has no <!-- accuracy:start --> ... <!-- accuracy:end --> markers." }
    $replacement = '$1' + "`n" + $Table.Trim().Replace('$', '$$') + "`n" + '$2'
    Set-Content -Path $topic -Value ([regex]::Replace($text, $pattern, $replacement)) -NoNewline -Encoding utf8
}

Push-Location $Root
try {
    switch ($Task) {
        'Build' { Invoke-Build }
        'Test' { Invoke-Test }
        'Package' { Invoke-Package }
        'Clean' { Invoke-Clean }
        'Accuracy' { Invoke-Accuracy }
    }
}
finally {
    Pop-Location
}
