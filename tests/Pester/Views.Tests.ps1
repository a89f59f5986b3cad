BeforeAll {
    . $PSScriptRoot/common.ps1
    function Show([Parameter(ValueFromPipeline)] $InputObject, [string] $As = 'Table') {
        begin { $items = [System.Collections.Generic.List[object]]::new() }
        process { $items.Add($InputObject) }
        end {
            if ($As -eq 'Table') { $items | Format-Table | Out-String -Width 250 } else { $items | Format-List | Out-String -Width 250 }
        }
    }
    $Estimate = Get-TrainingMemory -Params 7B -Method QLoRA
}

Describe 'Estimate views' {
    It 'shows an estimate as a table by default, in GiB with two decimals' {
        $text = $Estimate | Out-String -Width 250
        $text | Should -Match 'Model\s+Method\s+BatchSize\s+Total\s+Weights\s+Gradients\s+OptimizerStates\s+Activations\s+Other'
        $total = [VramPS.Formatting.Bytes]::Format($Estimate.Total)
        $total | Should -Match '^\d+\.\d\d GiB$'
        $text | Should -Match ([regex]::Escape($total))
        $text | Should -Not -Match ([regex]::Escape("$($Estimate.Total)"))
    }

    It 'shows the range of Total under it in the table (percent of Total) and in bytes in the list' {
        $Estimate.Low | Should -BeLessThan $Estimate.Total
        $Estimate.High | Should -BeGreaterThan $Estimate.Total
        $percent = '{0:+0;-0}%/{1:+0;-0}%' -f [math]::Round(100.0 * ($Estimate.Low - $Estimate.Total) / $Estimate.Total),
            [math]::Round(100.0 * ($Estimate.High - $Estimate.Total) / $Estimate.Total)
        ($Estimate | Out-String -Width 250) | Should -Match ([regex]::Escape($percent))
        $range = '{0:0.00}-{1:0.00} GiB' -f ($Estimate.Low / 1GB), ($Estimate.High / 1GB)
        ($Estimate | Show -As List) | Should -Match ('(?m)^Range\s+: ' + [regex]::Escape($range) + ' at 90\s?%')
        [VramPS.Formatting.Bytes]::Range(900GB, 1.1TB) | Should -Be '900.00 GiB-1.10 TiB'
    }

    It 'renders one table row per estimate' {
        $text = Get-TrainingMemory -Params 7B -Method QLoRA | Show
        ($text -split "`n" | Where-Object { $_ -match 'GiB' }) | Should -HaveCount 1
        $text = 'LoRA', 'QLoRA' | ForEach-Object { Get-TrainingMemory -Model $Llama -Method $_ } | Show
        ($text -split "`n" | Where-Object { $_ -match 'GiB' }) | Should -HaveCount 2
    }

    It 'right-aligns the numbers under their headers' {
        $lines = (Show -InputObject $Estimate) -split "`n" | Where-Object { $_.Trim() }
        $header = $lines | Where-Object { $_ -match 'OptimizerStates' }
        $row = $lines | Where-Object { $_ -match 'GiB' }
        $end = $header.IndexOf('Total') + 'Total'.Length
        $row.Substring(0, $end) | Should -Match 'GiB$'
    }

    It 'lists everything in the list view: <_>' -TestCases @(
        'Model', 'Method', 'Precision', 'Optimizer', 'BatchSize', 'SequenceLength', 'Checkpointing', 'Attention', 'LoraRank',
        'LoraTargets', 'Quantization', 'GpuCount', 'Sharding', 'Offload', 'Techniques', 'Framework', 'Parameters',
        'TrainableParameters', 'Weights', 'Gradients', 'OptimizerStates', 'Activations', 'Other', 'Allocated', 'Reserved',
        'Total', 'HostMemory', 'PeakPhase', 'Phases', 'Assumptions') {
        $Estimate | Show -As List | Should -Match "(?m)^$_\s+:"
    }

    It 'shows byte terms in GiB, phases by name and one assumption per line in the list view' {
        $text = $Estimate | Show -As List
        $text | Should -Match "(?m)^Total\s+: $([regex]::Escape([VramPS.Formatting.Bytes]::Format($Estimate.Total)))"
        foreach ($phase in $Estimate.Phases) {
            $text | Should -Match "$($phase.Phase) $([regex]::Escape([VramPS.Formatting.Bytes]::Format($phase.Allocated)))"
        }
        foreach ($assumption in $Estimate.Assumptions) {
            $text | Should -Match "(?m)^(Assumptions\s+: |\s+)$([regex]::Escape($assumption))\s*$"
        }
    }

    It 'keeps the byte properties [long] on the object' {
        $Estimate.Total | Should -BeOfType ([long])
        $Estimate.Weights | Should -BeOfType ([long])
    }
}

Describe 'GpuFit and comparison views' {
    It 'shows GPU fits as a table with memory and headroom in GiB' {
        $text = $Estimate | Find-GpuFit | Show
        $text | Should -Match 'Gpu\s+MemoryBytes\s+Fits\s+GpusNeeded\s+Sharding\s+MaxBatchSize\s+Headroom\s+Total\s+WhyNot'
        $text | Should -Match 'H100-SXM\s+\d+\.\d\d GiB'
    }

    It 'shows comparisons as a table with totals in GiB and the ratio to Full' {
        $text = Compare-FinetuneMethod -Model $Llama | Show
        $text | Should -Match 'Model\s+Method\s+Precision\s+Optimizer\s+Checkpointing\s+Total\s+RelativeToFull\s+TrainableParameters\s+Fits'
        $text | Should -Match 'Full\s+\w+\s+\w+\s+\w+\s+\d+\.\d\d GiB\s+1\.00\s+6\.74B'
        (Compare-FinetuneMethod -Model $Llama -Method QLoRA -Gpu RTX-4090 | Show) | Should -Match 'QLoRA\s+\w+\s+\w+\s+Full\s+\d+\.\d\d GiB\s+\d\.\d\d\s+4\.19M\s+True'
    }

    It 'names the adapter beneath the method when a comparison varies adapters' {
        $rows = Compare-FinetuneMethod -Model $Llama -Method LoRA -Adapter LoRA, DoRA, IA3
        $lines = @((($rows | Show) -split "`r?`n") | Where-Object { $_ -match '\S' })
        $methodStart = $lines[0].IndexOf('Method')
        $cells = @($lines | ForEach-Object { if ($_.Length -gt $methodStart) { $_.Substring($methodStart).Split(' ')[0] } })
        # Header, rule, then LoRA; LoRA with DoRA beneath; LoRA with IA3 beneath (plain LoRA gets no second line).
        $cells[2..6] | Should -Be @('LoRA', 'LoRA', 'DoRA', 'LoRA', 'IA3')
    }
}

Describe 'Byte formatter' {
    It 'formats <Bytes> bytes as <Text>' -TestCases @(
        @{ Bytes = 0; Text = '0.00 GiB' }
        @{ Bytes = 1GB; Text = '1.00 GiB' }
        @{ Bytes = 1610612736; Text = '1.50 GiB' }
        @{ Bytes = -2GB; Text = '-2.00 GiB' }
        # 1023.995 GiB and up rounds to 1024.00: shown as 1.00 TiB instead; 2^40 bytes is 1 TiB, 2^50 1 PiB.
        @{ Bytes = 1099507000000; Text = '1.00 TiB' }
        @{ Bytes = 1099511627776 * 7.53; Text = '7.53 TiB' }
        @{ Bytes = [long]::MaxValue; Text = '8192.00 PiB' }
    ) {
        [VramPS.Formatting.Bytes]::Format($Bytes) | Should -Be $Text
    }

    It 'formats counts as <Text>' -TestCases @(
        @{ Count = 6738415616; Text = '6.74B' }
        @{ Count = 4194304; Text = '4.19M' }
        @{ Count = 999; Text = '999' }
    ) {
        [VramPS.Formatting.Count]::Short($Count) | Should -Be $Text
    }
}
