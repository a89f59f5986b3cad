BeforeAll {
    . $PSScriptRoot/common.ps1
    $CommandName = 'VramPS.Commands.FindGpuFitCommand'
    $Llama70 = 'meta-llama/Llama-3.1-70B'
    # One planner call first, on another model, so the timed call below measures planning rather than JIT compilation.
    $null = Find-GpuFit -Params 7B -Method LoRA -MaxGpus 8
}

Describe 'Find-GpuFit as a planner' {
    It 'lists plans of a 70B full fine-tune on up to 64 GPUs in under two seconds' {
        $elapsed = Measure-Command {
            $script:plans = @(Find-GpuFit -Model $Llama70 -Method Full -SequenceLength 4096 -MaxGpus 64 | Select-Object -First 5)
        }
        $elapsed.TotalSeconds | Should -BeLessThan 2
        $plans | Should -HaveCount 5
        $plans | Should -BeOfType ([VramPS.Engine.Planning.ClusterPlan])
        foreach ($plan in $plans) {
            $plan.Gpu | Should -Not -BeNullOrEmpty
            $plan.GpuCount | Should -BeLessOrEqual 64
            $plan.Nodes | Should -Be ([math]::Ceiling($plan.GpuCount / 8))
            $plan.GpuCount % ($plan.TensorParallel * $plan.PipelineParallel) | Should -Be 0
            $plan.BatchSize | Should -BeGreaterOrEqual 1
            $plan.Total | Should -BeLessOrEqual $plan.MemoryBytes
            $plan.Tokens | Should -Be 1e9
            $plan.Hours | Should -BeGreaterThan 0
            $plan.Cost | Should -BeGreaterThan 0
        }
    }

    It 'sorts by cost, or by time with -SortBy Time' {
        $byCost = @(Find-GpuFit -Params 13B -Method Full -MaxGpus 16 | Where-Object Cost)
        $costs = $byCost | ForEach-Object { [math]::Round($_.Cost, 2) }
        $costs | Should -Be ($costs | Sort-Object)
        $byTime = @(Find-GpuFit -Params 13B -Method Full -MaxGpus 16 -SortBy Time)
        $byTime.Hours | Should -Be ($byTime.Hours | Sort-Object)
    }

    It 'says what each plan changed from the workload as given' {
        $plan = Find-GpuFit -Model $Llama70 -Method Full -SequenceLength 4096 -MaxGpus 64 | Select-Object -First 1
        $plan.Changes | Should -Contain "GpuCount 1 -> $($plan.GpuCount)"
        $plan.Changes | Should -Contain "Gpu (none) -> $($plan.Gpu)"
    }

    It 'keeps the settings the workload gives' {
        $plans = Find-GpuFit -Params 13B -Method Full -Sharding Zero3 -Checkpointing Full -MaxGpus 16
        $plans | Should -Not -BeNullOrEmpty
        $plans.Sharding | Sort-Object -Unique | Should -Be 'Zero3'
        $plans.Checkpointing | Sort-Object -Unique | Should -Be 'Full'
    }

    It 'plans only on piped GPU types' {
        $plans = Get-VramGpu 'H100*' | Find-GpuFit -Params 13B -Method Full -MaxGpus 16
        $plans | Should -Not -BeNullOrEmpty
        $plans.Gpu | ForEach-Object { $_ | Should -BeLike 'H100*' }
    }

    It 'drops plans over -Budget' {
        $plans = Find-GpuFit -Params 13B -Method Full -MaxGpus 16 -Budget 150 -Tokens 1e8
        $plans | Should -Not -BeNullOrEmpty
        $plans.Cost | ForEach-Object { $_ | Should -BeLessOrEqual 150 }
    }

    It 'times the run with -Tokens, -Mfu and -PricePerGpuHour' {
        $base = Find-GpuFit -Params 13B -Method Full -MaxGpus 8 -SortBy Time -Gpu 'H100-SXM' -ErrorAction Stop | Select-Object -First 1
        $base | Should -BeOfType ([VramPS.Engine.Planning.GpuFit])
        $plan = Get-VramGpu H100-SXM | Find-GpuFit -Params 13B -Method Full -MaxGpus 8 -Tokens 2e9 -Mfu 0.5 -PricePerGpuHour 2 | Select-Object -First 1
        $plan.Tokens | Should -Be 2e9
        $plan.PricePerGpuHour | Should -Be 2
        $plan.PriceSource | Should -Be '-PricePerGpuHour'
        $plan.Cost | Should -Be ($plan.GpuHours * 2)
    }

    It 'gives a plan that pipes back into Get-TrainingMemory' {
        $plan = Find-GpuFit -Params 13B -Method Full -MaxGpus 16 | Select-Object -First 1
        ($plan | Get-TrainingMemory).Total | Should -Be $plan.Total
    }

    It 'shows plans as a table with GPUs, layout, Total, hours and cost' {
        $text = Find-GpuFit -Params 13B -Method Full -MaxGpus 16 | Select-Object -First 3 | Format-Table | Out-String -Width 200
        $text | Should -Match 'Gpu\s+GpuCount\s+Sharding\s+TensorParallel\s+PipelineParallel\s+Checkpointing\s+BatchSize\s+Total\s+Hours\s+Cost'
        $text | Should -Match '\d+\.\d\d GiB'
    }
}

Describe 'Find-GpuFit against an inventory' {
    BeforeAll {
        $fleet = Join-Path $TestDrive 'fleet.json'
        '[{"gpu":"H100-SXM","count":16},{"gpu":"A100-80GB","count":32},{"gpu":"RTX-4090","count":8},{"gpu":"L40S","count":24}]' |
            Set-Content $fleet
        $allowed = @{ 'H100-SXM' = 16; 'A100-80GB' = 32; 'RTX-4090' = 8; 'L40S' = 24 }
    }

    It 'plans a 70B full fine-tune and gets only plans that fit in a fleet of mixed GPUs' {
        $plans = Find-GpuFit -Model $Llama70 -Method Full -SequenceLength 4096 -Inventory $fleet
        $plans | Should -Not -BeNullOrEmpty
        foreach ($plan in $plans) {
            $allowed.Keys | Should -Contain $plan.Gpu
            $plan.GpuCount | Should -BeLessOrEqual $allowed[$plan.Gpu]
            $plan.Total | Should -BeLessOrEqual $plan.MemoryBytes
        }
        $plans.Gpu | Should -Contain 'A100-80GB'
    }

    It 'takes a CSV inventory and inventory objects too' {
        $csv = Join-Path $TestDrive 'fleet.csv'
        "Gpu,Count`nH100-SXM,8`nH100-SXM,8" | Set-Content $csv
        $fromCsv = Find-GpuFit -Params 13B -Method Full -Inventory $csv
        $fromCsv.Gpu | Sort-Object -Unique | Should -Be 'H100-SXM'
        ($fromCsv.GpuCount | Measure-Object -Maximum).Maximum | Should -BeLessOrEqual 16

        $fromObjects = Find-GpuFit -Params 13B -Method Full -Inventory @{ Gpu = 'L40S'; Count = 4 }, ([pscustomobject]@{ Gpu = 'A40'; Count = '2' })
        $fromObjects | ForEach-Object { @('L40S', 'A40') | Should -Contain $_.Gpu }
    }

    It 'reports a malformed inventory file as InvalidInventoryFile' {
        $bad = Join-Path $TestDrive 'bad.json'
        '[{"gpu":"H100-SXM","count":0}]' | Set-Content $bad
        Find-GpuFit -Params 13B -Method Full -Inventory $bad -ErrorVariable failure -ErrorAction SilentlyContinue | Should -BeNullOrEmpty
        $failure[0].FullyQualifiedErrorId | Should -Be "InvalidInventoryFile,$CommandName"
        $failure[0].CategoryInfo.Category | Should -Be 'InvalidData'
        $failure[0].Exception.Message | Should -Match "row 1.*'count'"
    }
}

Describe 'Get-TrainingMemory on clusters' {
    It 'reports the most loaded rank of a Megatron-LM layout' {
        $e = Get-TrainingMemory -Model meta-llama/Llama-2-70b-hf -Method Full -Framework Megatron-LM -TensorParallel 8 -PipelineParallel 4 `
            -SequenceParallel -GpuCount 64 -Sharding Zero1 -GradientAccumulation 8
        $e.DataParallel | Should -Be 2
        $e.TensorParallel | Should -Be 8
        $e.SequenceParallel | Should -BeTrue
        $e.PipelineStage | Should -Be 0
        $e.Rank | Should -Match 'stage 1 of 4'
        $e.Nodes | Should -Be 8
    }

    It 'rejects a GPU count that is not a whole number of replicas, naming the parameters' {
        Get-TrainingMemory -Params 70B -TensorParallel 8 -GpuCount 12 -ErrorVariable failure -ErrorAction SilentlyContinue
        $failure[0].FullyQualifiedErrorId | Should -Be 'InvalidWorkload,VramPS.Commands.GetTrainingMemoryCommand'
        $failure[0].CategoryInfo.Category | Should -Be 'InvalidArgument'
        $failure[0].Exception.Message | Should -Match '-GpuCount 12.*-TensorParallel 8.*-PipelineParallel 1.*-ContextParallel 1'
    }

    It 'suggests what to change when the run does not fit its GPU' {
        $e = Get-TrainingMemory -Model $Llama -Method Full -BatchSize 4 -SequenceLength 4096 -Gpu H100-SXM
        $e.Fits | Should -BeFalse
        $e.Suggestions | Should -Not -BeNullOrEmpty
        $e.Suggestions | Should -BeOfType ([VramPS.Engine.Planning.Suggestion])
        $e.Suggestions[-1].Kind | Should -Be 'Method'
        foreach ($s in $e.Suggestions) { ($s | Get-TrainingMemory -Gpu H100-SXM).Total | Should -Be $s.Total }
        $e.Run.Hours | Should -BeGreaterThan 0
    }

    It 'says nothing to change when it fits' {
        $e = Get-TrainingMemory -Model $Llama -Method QLoRA -Gpu H100-SXM
        $e.Fits | Should -BeTrue
        $e.Suggestions | Should -BeNullOrEmpty
    }

    It 'lists Suggestions in the list view and as a table' {
        $e = Get-TrainingMemory -Model $Llama -Method Full -BatchSize 4 -SequenceLength 4096 -Gpu H100-SXM
        ($e | Format-List | Out-String -Width 250) | Should -Match "(?m)^Suggestions\s+: $([regex]::Escape($e.Suggestions[0].Change))"
        ($e.Suggestions | Format-Table | Out-String -Width 250) | Should -Match 'Kind\s+Change\s+Saves\s+Total\s+Fits\s+Slowdown'
    }
}
