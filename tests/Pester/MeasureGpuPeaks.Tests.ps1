BeforeDiscovery {
    $NoPython = -not (Get-Command python3 -ErrorAction Ignore)
}

BeforeAll {
    . $PSScriptRoot/common.ps1
    $Tool = Join-Path $RepoRoot 'tools/Measure-GpuPeaks.py'
    $Python = Get-Command python3
}

Describe 'tools/Measure-GpuPeaks.py' {
    It 'plans rows in the validation contract that Get-TrainingMemory takes as they are' -Skip:$NoPython {
        $planned = @(& $Python.Source $Tool --list | ConvertFrom-Csv)
        $LASTEXITCODE | Should -Be 0
        $planned | Should -HaveCount 12
        $planned[0].PSObject.Properties.Name | Should -Be @('Id', 'Model', 'Method', 'Precision', 'Optimizer', 'BatchSize',
            'SequenceLength', 'GradientAccumulation', 'Checkpointing', 'Attention', 'LoraRank', 'LoraTargets', 'Quantization',
            'GpuCount', 'Sharding', 'Offload', 'Techniques', 'Framework', 'MeasuredGiB', 'MeasureKind', 'Quality', 'Source', 'Notes')
        ($planned.Method | Sort-Object -Unique) | Should -Be @('Full', 'LoRA', 'QLoRA')
        $estimates = @($planned | Get-TrainingMemory -ErrorAction Stop)
        $estimates | Should -HaveCount 12
        ($estimates | Where-Object Method -eq QLoRA).Quantization | Should -Be @('NF4', 'NF4', 'NF4', 'NF4')
    }
}
