BeforeAll {
    . (Join-Path $PSScriptRoot 'common.ps1')
}

Describe 'Get-TrainingMemory -TorchVersion' {
    BeforeAll {
        # transformers' 2022 single-GPU guide: bert-large-uncased, micro-batch 4 x 512, fp16 AMP, eager attention.
        $bert = @{ Model = 'bert-large-uncased'; Method = 'Full'; Precision = 'Fp16Mixed'; BatchSize = 4; SequenceLength = 512; Attention = 'Eager'; Checkpointing = 'None' }
    }

    It 'keeps each softmax input before torch 1.11: 24 blocks x 4 x 16 heads x 512 x 512 fp32 scores more at the end of forward' {
        $now = Get-TrainingMemory @bert
        $old = Get-TrainingMemory @bert -TorchVersion '1.10'
        $forward = { param($e) ($e.Phases | Where-Object Phase -eq 'ForwardEnd').Activations }
        (& $forward $old) - (& $forward $now) | Should -Be (24L * 4 * 16 * 512 * 512 * 4)
    }

    It 'echoes the release so the estimate pipes back, and reads it from a CSV row' {
        $e = Get-TrainingMemory @bert -TorchVersion '1.10'
        $e.TorchVersion | Should -Be '1.10'
        ($e | Get-TrainingMemory).Total | Should -Be $e.Total
        $row = [pscustomobject]($bert + @{ TorchVersion = 'v1.10.1' })
        ($row | Get-TrainingMemory).Total | Should -Be $e.Total
    }

    It 'rejects a value that is not a release, naming the parameter, or a piped cell''s row and column' {
        { Get-TrainingMemory @bert -TorchVersion banana } | Should -Throw -ErrorId 'ParameterArgumentTransformationError*' -ExpectedMessage "*'TorchVersion'*'banana'*release number*"
        [pscustomobject]($bert + @{ TorchVersion = 'banana' }) | Get-TrainingMemory -ErrorAction SilentlyContinue -ErrorVariable err | Should -BeNullOrEmpty
        $err[0].FullyQualifiedErrorId | Should -Match '^InvalidPipelineValue'
        $err[0].Exception.Message | Should -Match "Row 1, column TorchVersion: 'banana'"
    }

    It 'refuses a release typed as a one-decimal number, which PowerShell has already read as 1.1 (1.10 or 1.1?), from the parameter and a piped property' {
        { Get-TrainingMemory @bert -TorchVersion 1.10 } | Should -Throw -ErrorId 'ParameterArgumentTransformationError*' -ExpectedMessage "*'TorchVersion'*apart from 1.10*"
        $row = [pscustomobject]($bert + @{ TorchVersion = 2.10 })
        $row | Get-TrainingMemory -ErrorAction SilentlyContinue -ErrorVariable err2 | Should -BeNullOrEmpty
        $err2[0].FullyQualifiedErrorId | Should -Match '^InvalidPipelineValue'
        $err2[0].Exception.Message | Should -Match "column TorchVersion"
    }

    It 'takes a two-decimal or whole number as typed: 1.13 and 2 are releases 1.13 and 2.0' {
        (Get-TrainingMemory @bert -TorchVersion 1.13).TorchVersion | Should -Be '1.13'
        (Get-TrainingMemory @bert -TorchVersion 2).TorchVersion | Should -Be '2.0'
    }
}
