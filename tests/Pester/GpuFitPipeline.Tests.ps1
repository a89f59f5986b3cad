BeforeAll {
    . (Join-Path $PSScriptRoot 'common.ps1')
}

Describe 'Find-GpuFit rows piped into Get-TrainingMemory' {
    It 'estimates the workload on that GPU with the layout that fits it' {
        $rows = Get-TrainingMemory -Model mistralai/Mistral-7B-v0.1 -Method LoRA -BatchSize 4 -SequenceLength 4096 -Checkpointing Full |
            Find-GpuFit -Gpu RTX-4090, H100-SXM
        $estimates = $rows | Get-TrainingMemory
        $estimates.Count | Should -Be 2
        foreach ($pair in 0..1) {
            $row = $rows[$pair]
            $e = $estimates[$pair]
            $e.Gpu | Should -Be $row.Gpu
            $e.GpuCount | Should -Be $row.GpusNeeded
            $e.Total | Should -BeLessOrEqual $row.MemoryBytes
            $e.Model | Should -Be 'mistralai/Mistral-7B-v0.1'
            $e.BatchSize | Should -Be 4
        }
    }
}
