# What the result objects show and carry: default tables that never cut a value and fit 120 columns, headers that
# are property names, Export-Csv cells that read as text and ConvertTo-Json at its default depth (issue #12).
BeforeAll {
    . $PSScriptRoot/common.ps1
    function Render([object[]] $Objects) { ($Objects | Format-Table | Out-String -Width 120) -split "`r?`n" }
    function HeaderNames([string[]] $Lines) {
        $i = [array]::FindIndex($Lines, [Predicate[string]] { param($l) $l -match '^-+( +-+)*\s*$' })
        -split $Lines[$i - 1]
    }
}

Describe 'Default tables never cut a value' {
    It '<Command>: every line within 120 columns, no ellipsis, every total whole' -TestCases @(
        @{ Command = 'Compare-FinetuneMethod -Model meta-llama/Llama-3.1-405B' }
        @{ Command = 'Compare-FinetuneMethod -Model deepseek-ai/DeepSeek-V3' }
        @{ Command = 'Get-TrainingMemory -Model meta-llama/Llama-3.1-405B -Method Full' }
        @{ Command = 'Get-TrainingMemory -Model meta-llama/Llama-3.1-70B -Method Full | Find-GpuFit' }
        @{ Command = 'Find-GpuFit -Model meta-llama/Llama-3.1-70B -Method Full -MaxGpus 16' }
    ) {
        $objects = @(Invoke-Expression $Command)
        $lines = Render $objects
        $lines | Where-Object { $_.Length -gt 120 } | Should -BeNullOrEmpty
        ($lines -join "`n") | Should -Not -Match '…'
        foreach ($o in $objects) {
            # 405B Full holds about 7.5 TiB per GPU (16 bytes per parameter: 405.85e9 x 16 / 2^40 = 5.9 TiB of states
            # alone), so these totals pass 1024 GiB and must switch unit rather than lose their leading digits.
            $total = [VramPS.Formatting.Bytes]::Format($o.Total)
            ($lines -join "`n") | Should -Match ([regex]::Escape($total))
        }
    }

    It 'shows 405B Full fine-tuning in TiB: 16 bytes per parameter of model states alone are 5.9 TiB' {
        $full = Compare-FinetuneMethod -Model meta-llama/Llama-3.1-405B | Where-Object Method -eq Full
        $full.Total | Should -BeGreaterThan (405.85e9 * 16)
        (Render $full) -join "`n" | Should -Match '\d\.\d\d TiB'
    }

    It 'wraps a long WhyNot instead of cutting it' {
        $fit = Get-TrainingMemory -Params 7B -Method QLoRA | Find-GpuFit | Where-Object Gpu -eq 'V100-16GB'
        $fit.WhyNot.Length | Should -BeGreaterThan 28
        $text = (Render $fit) -join ' '
        foreach ($word in -split $fit.WhyNot) { $text | Should -Match ([regex]::Escape($word)) }
    }

    It '<Name> table fits 120 columns and its headers are property names' -TestCases @(
        @{ Name = 'estimate'; Make = { Get-TrainingMemory -Params 7B -Method LoRA } }
        @{ Name = 'GPU fit'; Make = { Get-TrainingMemory -Params 7B -Method LoRA | Find-GpuFit | Select-Object -First 3 } }
        @{ Name = 'cluster plan'; Make = { Find-GpuFit -Params 7B -Method Full -MaxGpus 8 | Select-Object -First 3 } }
        @{ Name = 'comparison'; Make = { Compare-FinetuneMethod -Params 7B } }
        @{ Name = 'suggestion'; Make = { (Get-TrainingMemory -Model meta-llama/Llama-3.1-8B -Method Full -Gpu RTX-4090).Suggestions } }
        @{ Name = 'run'; Make = { (Get-TrainingMemory -Params 7B -Method LoRA -Gpu H100-SXM).Run } }
        @{ Name = 'model memory'; Make = { (Get-TrainingMemory -Model meta-llama/Llama-3.1-8B -Method LoRA -Stage Dpo).Models } }
        @{ Name = 'GPU'; Make = { Get-VramGpu } }
        @{ Name = 'model'; Make = { Get-VramModel } }
    ) {
        $objects = @(& $Make)
        $objects | Should -Not -BeNullOrEmpty
        $lines = Render $objects
        $lines | Where-Object { $_.Length -gt 120 } | Should -BeNullOrEmpty
        $names = $objects[0].PSObject.Properties.Name
        foreach ($header in HeaderNames $lines) { $names | Should -Contain $header }
    }
}

Describe 'Run figures and prices' {
    It 'puts Hours and Cost on the estimate, equal to its Run' {
        $e = Get-TrainingMemory -Params 7B -Method LoRA -Gpu H100-SXM
        $e.Hours | Should -Be $e.Run.Hours
        $e.Cost | Should -Be $e.Run.Cost
        # Catalog price of the H100 SXM: Lambda on-demand 4.29 USD per GPU-hour.
        $e.Cost | Should -Be ($e.Run.GpuHours * 4.29)
        $e.PSObject.Properties.Name | Should -Contain 'Hours'
    }

    It 'leaves Hours and Cost $null without a GPU' {
        $e = Get-TrainingMemory -Params 7B -Method LoRA
        $e.Hours | Should -BeNullOrEmpty
        $e.Cost | Should -BeNullOrEmpty
    }

    It 'gives an unknown price as $null, not 0, with the reason and no stray text' {
        $gpu = Get-VramGpu RTX-4090
        $gpu.PricePerHour | Should -BeNullOrEmpty
        $gpu.PriceSource | Should -Match '^consumer card'
        Get-VramGpu | ForEach-Object { $_.PriceSource | Should -Not -Match '^0:' }
        (Get-TrainingMemory -Params 7B -Method QLoRA -Gpu RTX-4090).Cost | Should -BeNullOrEmpty
    }
}

Describe 'Export-Csv and ConvertTo-Json' {
    BeforeAll {
        $Estimate = Get-TrainingMemory -Model meta-llama/Llama-3.1-8B -Method LoRA -Gpu RTX-4090 -BatchSize 4 -SequenceLength 4096
        $Results = @{
            Estimate   = $Estimate
            GpuFit     = $Estimate | Find-GpuFit | Select-Object -First 1
            Plan       = Find-GpuFit -Params 7B -Method Full -MaxGpus 8 | Select-Object -First 1
            Comparison = Compare-FinetuneMethod -Params 7B | Select-Object -First 1
            Suggestion = $Estimate.Suggestions[0]
            Run        = $Estimate.Run
            Gpu        = Get-VramGpu H100-SXM
            Model      = Get-VramModel meta-llama/Llama-3.1-8B
        }
    }

    It 'writes every CSV cell of a <_> as readable text' -TestCases 'Estimate', 'GpuFit', 'Plan', 'Comparison', 'Suggestion', 'Run', 'Gpu', 'Model' {
        $row = $Results[$_] | ConvertTo-Csv | ConvertFrom-Csv
        foreach ($p in $row.PSObject.Properties) { $p.Value | Should -Not -Match '^(System|VramPS)\.|\[\[' -Because $p.Name }
    }

    It 'writes lists as their items in CSV' {
        $row = $Estimate | ConvertTo-Csv | ConvertFrom-Csv
        $row.LoraTargets | Should -Be 'q_proj, v_proj'
        $row.Phases | Should -Match '^ForwardEnd \d+\.\d\d GiB; '
        $row.Assumptions | Should -Match 'HF-Trainer'
        $row.Run | Should -Match '^\d+\.\d h on 1 x RTX-4090$'
        $row.Method | Should -Be 'LoRA'
    }

    It 'reads an exported estimate back into Get-TrainingMemory' {
        $again = $Estimate | ConvertTo-Csv | ConvertFrom-Csv | Get-TrainingMemory
        $again.Total | Should -Be $Estimate.Total
    }

    It 'serializes a <_> at the default depth without a warning, enums by name, no catalog internals' -TestCases 'Estimate', 'GpuFit', 'Plan', 'Comparison', 'Suggestion', 'Run', 'Gpu', 'Model' {
        $json = $Results[$_] | ConvertTo-Json -WarningVariable warnings -WarningAction SilentlyContinue
        $warnings | Should -BeNullOrEmpty
        $json | Should -Not -Match '"(Workload|Estimate|IntermediateSize|LinearModuleNames)"'
        $json | Should -Not -Match '"(Method|Sharding|Kind|PeakPhase|Phase)": \d'
    }

    It 'writes the estimate''s enums as names in JSON' {
        $object = $Estimate | ConvertTo-Json | ConvertFrom-Json
        $object.Method | Should -Be 'LoRA'
        $object.PeakPhase | Should -Be ([string]$Estimate.PeakPhase)
        $object.Phases[0].Phase | Should -Be ([string]$Estimate.Phases[0].Phase)
    }

    It 'still pipes what it hides: <Name>' -TestCases @(
        @{ Name = 'estimate to Find-GpuFit'; Run = { $Estimate | Find-GpuFit | Select-Object -First 1 } }
        @{ Name = 'GPU fit to Get-TrainingMemory'; Run = { $Results.GpuFit | Get-TrainingMemory } }
        @{ Name = 'model to Get-TrainingMemory'; Run = { Get-VramModel meta-llama/Llama-3.1-8B | Get-TrainingMemory -Method LoRA } }
        @{ Name = 'comparison to Get-TrainingMemory'; Run = { $Results.Comparison | Get-TrainingMemory } }
    ) {
        & $Run | Should -Not -BeNullOrEmpty
        $Estimate.Workload | Should -Not -BeNullOrEmpty
        $Estimate | Get-Member -Name Workload | Should -BeNullOrEmpty
    }
}

Describe 'License' {
    It 'ships the MIT license the manifest names' {
        $manifest = Import-PowerShellDataFile $ModuleManifest
        $manifest.PrivateData.PSData.LicenseUri | Should -Match 'MIT'
        $license = Get-Content (Join-Path $RepoRoot 'LICENSE') -Raw
        $license | Should -Match '^MIT License'
        $license | Should -Match 'Permission is hereby granted, free of charge'
        $manifest.Copyright | Should -Match 'MIT'
    }
}
