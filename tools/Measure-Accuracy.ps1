<#
.SYNOPSIS
    Scores VramPS's estimates against measured peak GPU memory, next to the field's rules of thumb.
.DESCRIPTION
    Reads a CSV in the validation contract (tests/data/measured-dev.csv and ../shared/validation/README.md), pipes
    each row into Get-TrainingMemory exactly as Import-Csv | Get-TrainingMemory does, and compares the estimate's
    property that matches the row's MeasureKind (Allocated, Reserved, or Total for Device) with MeasuredGiB. The error
    of a row is (estimate - measured) / measured. Rows whose Quality is Estimate are skipped.

    The same rows are scored by the rules of thumb: full fine-tuning 16 GB per billion parameters, LoRA 3.25 GB,
    QLoRA 1.1 GB (GB = 1e9 bytes, per billion of the model's total parameters, compared in GiB).

    Prints each row's error, then the MAPE, the median absolute error, the worst row and the share within 10%,
    overall, by Framework and by Method.
.PARAMETER Csv
    The CSV to score.
.PARAMETER Module
    The module manifest to import; module/VramPS.psd1 (the built module) by default.
.PARAMETER PassThru
    Emits one object per scored row.
.PARAMETER ReportPath
    Also writes the per-row results (Id, Framework, Method, MeasuredGiB, EstimatedGiB, RuleGiB ...) as CSV there.
.PARAMETER MarkdownPath
    Also writes the summary (overall, by framework, by method) as a Markdown table there.
.PARAMETER SummaryPath
    Also writes the summary (overall, by framework, by method) as JSON there: { "Csv": <file name>, "Groups": [...] },
    each group with the columns of the Markdown table. The build stages this for the dev set as
    module/VramPS.accuracy.json, which Export-VramReport shows.
.PARAMETER Strict
    Exits 1 when a row gives no estimate, the MAPE is above -MaxMape or the share within 10% is below -MinWithin10.
.PARAMETER MaxMape
    The highest MAPE, in percent, that -Strict accepts.
.PARAMETER MinWithin10
    The lowest share of rows within 10%, in percent, that -Strict accepts.
.EXAMPLE
    ./tools/Measure-Accuracy.ps1 -Csv tests/data/measured-dev.csv
.EXAMPLE
    ./tools/Measure-Accuracy.ps1 -Csv tests/data/measured-dev.csv -PassThru | Sort-Object { [math]::Abs($_.Error) } -Descending | Select-Object -First 10
#>
[CmdletBinding()]
param(
    [Parameter(Mandatory)] [string] $Csv,
    [string] $Module = (Join-Path $PSScriptRoot '../module/VramPS.psd1'),
    [switch] $PassThru,
    [string] $ReportPath,
    [string] $MarkdownPath,
    [string] $SummaryPath,
    [switch] $Strict,
    [double] $MaxMape = 15,
    [double] $MinWithin10 = 50
)

$ErrorActionPreference = 'Stop'
Set-StrictMode -Version Latest
Import-Module $Module -Force
if (Get-Variable PSStyle -ErrorAction Ignore) { $PSStyle.OutputRendering = 'PlainText' }

$BytesPerGiB = [double][math]::Pow(2, 30)
$RuleOfThumb = @{ Full = 16.0; LoRA = 3.25; QLoRA = 1.1 }
$KindProperty = @{ Allocated = 'Allocated'; Reserved = 'Reserved'; Device = 'Total' }
$Invariant = [cultureinfo]::InvariantCulture

function Measure-Group {
    param([string] $Group, [object[]] $Rows)
    $scored = @($Rows | Where-Object { $null -ne $_.Error })
    $ruled = @($Rows | Where-Object { $null -ne $_.RuleError })
    $absolute = @($scored | ForEach-Object { [math]::Abs($_.Error) } | Sort-Object)
    $ruleAbsolute = @($ruled | ForEach-Object { [math]::Abs($_.RuleError) } | Sort-Object)
    $worst = $scored | Sort-Object { [math]::Abs($_.Error) } -Descending | Select-Object -First 1
    [pscustomobject]@{
        Group          = $Group
        Rows           = $Rows.Count
        Scored         = $scored.Count
        'MAPE%'        = Get-Percent (Get-Mean $absolute)
        'Median%'      = Get-Percent (Get-Median $absolute)
        'Within10%'    = Get-Percent (Get-Share $absolute)
        Worst          = if ($worst) { '{0} {1:+0.0;-0.0}%' -f $worst.Id, (100 * $worst.Error) } else { '' }
        'RuleMAPE%'    = Get-Percent (Get-Mean $ruleAbsolute)
        'RuleMedian%'  = Get-Percent (Get-Median $ruleAbsolute)
        'RuleWithin10%' = Get-Percent (Get-Share $ruleAbsolute)
    }
}

function Get-Mean([double[]] $Values) {
    if ($Values.Count -eq 0) { return $null }
    ($Values | Measure-Object -Average).Average
}

function Get-Median([double[]] $Values) {
    if ($Values.Count -eq 0) { return $null }
    $middle = [int][math]::Floor($Values.Count / 2)
    if ($Values.Count % 2) { $Values[$middle] } else { ($Values[$middle - 1] + $Values[$middle]) / 2 }
}

function Get-Share([double[]] $Values) {
    if ($Values.Count -eq 0) { return $null }
    @($Values | Where-Object { $_ -le 0.10 }).Count / $Values.Count
}

function Get-Percent($Fraction) {
    if ($null -eq $Fraction) { return $null }
    [math]::Round(100 * $Fraction, 1)
}

$rows = @(Import-Csv $Csv | Where-Object { $_.Quality -ne 'Estimate' })
$results = foreach ($row in $rows) {
    $failure = $null
    $estimate = $row | Get-TrainingMemory -ErrorVariable failure -ErrorAction SilentlyContinue -WarningAction SilentlyContinue
    $measured = [double]::Parse($row.MeasuredGiB, $Invariant)
    $property = $KindProperty[$row.MeasureKind]
    if (-not $property) { throw "Row $($row.Id): MeasureKind '$($row.MeasureKind)' is not Allocated, Reserved or Device." }
    $estimated = if ($estimate) { $estimate.$property / $BytesPerGiB } else { $null }
    $perBillion = $RuleOfThumb[$row.Method]
    $rule = if ($estimate -and $perBillion) { $perBillion * $estimate.Parameters / $BytesPerGiB } else { $null }
    [pscustomobject]@{
        Id           = $row.Id
        Model        = $row.Model
        Framework    = $row.Framework
        Method       = $row.Method
        MeasureKind  = $row.MeasureKind
        MeasuredGiB  = $measured
        EstimatedGiB = $estimated
        Error        = if ($null -ne $estimated) { ($estimated - $measured) / $measured } else { $null }
        RuleGiB      = $rule
        RuleError    = if ($null -ne $rule) { ($rule - $measured) / $measured } else { $null }
        Failure      = if ($failure) { $failure[0].Exception.Message } else { $null }
    }
}
$results = @($results)

$results | Format-Table -AutoSize Id, Framework, Method, MeasureKind,
    @{ Name = 'Measured'; Expression = { '{0:0.00}' -f $_.MeasuredGiB }; Alignment = 'Right' },
    @{ Name = 'Estimated'; Expression = { if ($null -ne $_.EstimatedGiB) { '{0:0.00}' -f $_.EstimatedGiB } }; Alignment = 'Right' },
    @{ Name = 'Error%'; Expression = { if ($null -ne $_.Error) { '{0:+0.0;-0.0}' -f (100 * $_.Error) } }; Alignment = 'Right' },
    @{ Name = 'Rule'; Expression = { if ($null -ne $_.RuleGiB) { '{0:0.00}' -f $_.RuleGiB } }; Alignment = 'Right' },
    @{ Name = 'RuleError%'; Expression = { if ($null -ne $_.RuleError) { '{0:+0.0;-0.0}' -f (100 * $_.RuleError) } }; Alignment = 'Right' } |
    Out-String -Width 240 | Write-Host

$failed = @($results | Where-Object Failure)
foreach ($f in $failed) { Write-Host "No estimate for $($f.Id): $($f.Failure)" }

$summary = @(Measure-Group 'All' $results)
$summary += $results | Group-Object Framework | Sort-Object Name | ForEach-Object { Measure-Group "Framework $($_.Name)" $_.Group }
$summary += $results | Group-Object Method | Sort-Object Name | ForEach-Object { Measure-Group "Method $($_.Name)" $_.Group }
$summary | Format-Table -AutoSize | Out-String -Width 240 | Write-Host

$all = $summary[0]
Write-Host ("MAPE {0}% (rules of thumb {1}%), median {2}%, within 10%: {3}% of {4} scored rows; {5} rows without an estimate." -f
    $all.'MAPE%', $all.'RuleMAPE%', $all.'Median%', $all.'Within10%', $all.Scored, $failed.Count)

if ($ReportPath) { $results | Export-Csv -Path $ReportPath -NoTypeInformation -Encoding utf8 }

if ($MarkdownPath) {
    $columns = 'Group', 'Rows', 'MAPE%', 'Median%', 'Within10%', 'Worst', 'RuleMAPE%', 'RuleMedian%', 'RuleWithin10%'
    $lines = @(('| ' + ($columns -join ' | ') + ' |'), ('|' + (($columns | ForEach-Object { '---' }) -join '|') + '|'))
    $lines += $summary | ForEach-Object { $s = $_; '| ' + (($columns | ForEach-Object { $s.$_ }) -join ' | ') + ' |' }
    Set-Content -Path $MarkdownPath -Value $lines -Encoding utf8
}

if ($SummaryPath) {
    [ordered]@{ Csv = (Split-Path -Leaf $Csv); Groups = $summary } | ConvertTo-Json -Depth 3 | Set-Content -Path $SummaryPath -Encoding utf8
}

if ($PassThru) { $results }

if ($Strict) {
    $missed = $failed.Count -gt 0 -or $null -eq $all.'MAPE%' -or $all.'MAPE%' -gt $MaxMape -or $all.'Within10%' -lt $MinWithin10
    if ($missed) { Write-Host "Thresholds missed: MAPE at most $MaxMape%, within 10% at least $MinWithin10%, every row estimated." }
    exit ([int]$missed)
}
