BeforeAll {
    . $PSScriptRoot/common.ps1
    $CommandName = 'VramPS.Commands.FindGpuFitCommand'
    $CatalogGpus = [VramPS.Engine.Gpus.GpuCatalog]::Default.All
    $Estimate = Get-TrainingMemory -Model $Mistral -Method LoRA -BatchSize 4 -SequenceLength 4096 -Checkpointing Full
    $Small = Get-TrainingMemory -Model $Llama -Method QLoRA -SequenceLength 1024
    $Mixed = Get-TrainingMemory -Params 3B -Method Full
}

Describe 'Find-GpuFit parameters' {
    BeforeAll {
        $command = Get-Command Find-GpuFit
    }

    It 'adds an Estimate set to the workload sets of Get-TrainingMemory' {
        $command.ParameterSets.Name | Sort-Object | Should -Be @('Config', 'Estimate', 'Model', 'NoModel', 'Params')
        $command.DefaultParameterSet | Should -Be 'NoModel'
        $command.Parameters['Estimate'].ParameterSets['Estimate'].ValueFromPipeline | Should -BeTrue
    }

    It 'shares every workload parameter of Get-TrainingMemory, read from piped properties' -TestCases ($WorkloadParameters + 'Method', 'Precision', 'Optimizer') {
        $parameter = $command.Parameters[$_]
        $parameter.ParameterType | Should -Be (Get-Command Get-TrainingMemory).Parameters[$_].ParameterType
        $parameter.ParameterSets.Keys | Sort-Object | Should -Be @('Config', 'Model', 'Params')
        @($parameter.Attributes | Where-Object { $_ -is [VramPS.Transformation.SettingTransformationAttribute] }) | Should -HaveCount 1
    }

    It 'takes -Gpu as a wildcard list' {
        $command.Parameters['Gpu'].ParameterType | Should -Be ([string[]])
        $command.Parameters['Gpu'].Attributes.TypeId.Name | Should -Contain 'SupportsWildcardsAttribute'
    }
}

Describe 'Find-GpuFit' {
    It 'gives one row per catalog GPU for a piped estimate' {
        $rows = $Estimate | Find-GpuFit
        $rows | Should -HaveCount $CatalogGpus.Count
        $rows | Should -BeOfType ([VramPS.Engine.Planning.GpuFit])
        ($rows.Gpu | Sort-Object) | Should -Be ($CatalogGpus.Name | Sort-Object)
    }

    It 'lists the GPUs that fit first, then by GPUs needed and memory' {
        $rows = @($Mixed | Find-GpuFit)
        $rows.Fits | Should -Contain $true
        $rows.Fits | Should -Contain $false
        $fitCount = @($rows | Where-Object Fits).Count
        $rows[0..($fitCount - 1)].Fits | Should -Not -Contain $false
        $rows[$fitCount..($rows.Count - 1)].Fits | Should -Not -Contain $true
        for ($i = 1; $i -lt $rows.Count; $i++) {
            $before, $after = $rows[$i - 1], $rows[$i]
            if ($before.Fits -ne $after.Fits) { continue }
            $neededBefore = if ($null -eq $before.GpusNeeded) { [int]::MaxValue } else { $before.GpusNeeded }
            $neededAfter = if ($null -eq $after.GpusNeeded) { [int]::MaxValue } else { $after.GpusNeeded }
            $neededBefore | Should -BeLessOrEqual $neededAfter
            if ($neededBefore -eq $neededAfter) { $before.MemoryBytes | Should -BeLessOrEqual $after.MemoryBytes }
        }
    }

    It 'gives the fitting rows a GPU count and a micro-batch at least the estimate''s' {
        $fitting = $Small | Find-GpuFit | Where-Object Fits
        $fitting | Should -Not -BeNullOrEmpty
        foreach ($row in $fitting) {
            $row.GpusNeeded | Should -BeGreaterOrEqual 1
            $row.MaxBatchSize | Should -BeGreaterOrEqual $Small.BatchSize
            $row.Headroom | Should -BeGreaterOrEqual 0
            $row.WhyNot | Should -BeNullOrEmpty
        }
    }

    It 'compares Total with the GPU''s memory and says why a GPU does not fit' {
        foreach ($row in $Estimate | Find-GpuFit) {
            $row.Headroom | Should -Be ($row.MemoryBytes - $row.Total)
            $row.Total | Should -BeOfType ([long])
            if (-not $row.Fits) { $row.WhyNot | Should -Not -BeNullOrEmpty }
        }
    }

    It 'agrees with Get-TrainingMemory -Gpu for the same GPU' {
        $row = $Estimate | Find-GpuFit -Gpu H100-SXM
        $row.Total | Should -Be ($Estimate | Get-TrainingMemory -Gpu H100-SXM).Total
    }

    It 'filters with wildcards and plain names: <Filter>' -TestCases @(
        @{ Filter = @('H100*'); Expected = { param($n) $n -like 'H100*' } }
        @{ Filter = @('*4090', 'H100-SXM'); Expected = { param($n) $n -like '*4090' -or $n -eq 'H100-SXM' } }
    ) {
        $rows = $Estimate | Find-GpuFit -Gpu $Filter
        $wanted = $CatalogGpus | Where-Object { & $Expected $_.Name }
        $rows | Should -HaveCount @($wanted).Count
        ($rows.Gpu | Sort-Object) | Should -Be ($wanted.Name | Sort-Object)
    }

    It 'takes the same workload parameters as Get-TrainingMemory' {
        $direct = Find-GpuFit -Model $Mistral -Method LoRA -BatchSize 4 -SequenceLength 4096 -Checkpointing Full -Gpu H100-SXM
        $piped = $Estimate | Find-GpuFit -Gpu H100-SXM
        $direct.Total | Should -Be $piped.Total
        $direct.MaxBatchSize | Should -Be $piped.MaxBatchSize
    }

    It 'takes Import-Csv rows and comparison rows from the pipeline' {
        $row = "Model,Method,BatchSize`n$Llama,QLoRA,2" | ConvertFrom-Csv
        ($row | Find-GpuFit -Gpu H100-SXM).Total | Should -Be (Get-TrainingMemory -Model $Llama -Method QLoRA -BatchSize 2 -Gpu H100-SXM).Total
        $comparison = Compare-FinetuneMethod -Model $Llama -Method LoRA
        ($comparison | Find-GpuFit -Gpu H100-SXM).Total | Should -Be (Get-TrainingMemory -Model $Llama -Method LoRA -Gpu H100-SXM).Total
    }

    It 'does not fit a bf16 run on a GPU without bf16, and says so' {
        $old = $CatalogGpus | Where-Object { -not $_.SupportsBf16 } | Select-Object -First 1
        if (-not $old) { Set-ItResult -Skipped -Because 'the GPU catalog has no GPU without bf16' ; return }
        $row = Get-TrainingMemory -Model $Llama -Method LoRA -Precision Bf16 | Find-GpuFit -Gpu $old.Name
        $row.Fits | Should -BeFalse
        $row.WhyNot | Should -Be "bf16 not supported on $($old.Name)"
    }

    It 'reports a GPU name the catalog lacks as UnknownGpu, and still tries the others' {
        $rows = $Estimate | Find-GpuFit -Gpu 'H100-SXM', 'Z9000' -ErrorVariable failure -ErrorAction SilentlyContinue
        $rows | Should -HaveCount 1
        $failure[0].FullyQualifiedErrorId | Should -Be "UnknownGpu,$CommandName"
    }

    It 'reads [ in -Gpu as text (GPU names know * and ? only): an unknown GPU named -Gpu, and still tries the others' {
        $rows = $Estimate | Find-GpuFit -Gpu '[', 'H100-SXM' -ErrorVariable failure -ErrorAction SilentlyContinue
        $rows | Should -HaveCount 1
        $failure | Should -HaveCount 1
        $failure[0].FullyQualifiedErrorId | Should -Be "UnknownGpu,$CommandName"
        $failure[0].Exception.Parameter | Should -Be 'Gpu'
    }

    It 'gives nothing for a wildcard that matches no GPU' {
        $Estimate | Find-GpuFit -Gpu 'NoSuchGpu*' -ErrorVariable failure | Should -BeNullOrEmpty
        $failure | Should -BeNullOrEmpty
    }

    It 'takes a piped object with typed properties and -Params' {
        $fit = [pscustomobject]@{ Params = '7B'; Method = 'QLoRA'; BatchSize = 2 } | Find-GpuFit -Gpu H100-SXM
        $fit.Total | Should -Be (Get-TrainingMemory -Params 7B -Method QLoRA -BatchSize 2 -Gpu H100-SXM).Total
    }

    It 'reports a call that names no model as InvalidWorkload' {
        Find-GpuFit -Gpu H100-SXM -ErrorVariable failure -ErrorAction SilentlyContinue
        $failure[0].FullyQualifiedErrorId | Should -Be "InvalidWorkload,$CommandName"
        $failure[0].Exception.Message | Should -Match 'No model named'
    }

    It 'reports an unknown model with its own error id' {
        Find-GpuFit -Model nobody/nothing -ErrorVariable failure -ErrorAction SilentlyContinue
        $failure[0].FullyQualifiedErrorId | Should -Be "UnknownModel,$CommandName"
    }

    It 'rejects -MaxGpus 0 at binding' {
        { $Estimate | Find-GpuFit -MaxGpus 0 -ErrorAction Stop } | Should -Throw -ErrorId "ParameterArgumentValidationError,$CommandName"
    }
}
