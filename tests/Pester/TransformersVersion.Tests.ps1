BeforeAll {
    . (Join-Path $PSScriptRoot 'common.ps1')
}

Describe 'Get-TrainingMemory -TransformersVersion' {
    It 'holds 12, 14 or 10 bytes of logits per vocabulary entry and token by release' -ForEach @(
        @{ Version = '4.40'; Bytes = 12 }
        @{ Version = '4.46.3'; Bytes = 14 }
        @{ Version = 'v5.0'; Bytes = 10 }
    ) {
        # Llama-2-7B, vocabulary 32000, micro-batch 1 x 2048 tokens: the peak is the end of forward, where Other is
        # the loss path's logits (transformers' LlamaForCausalLM and loss function of that release).
        $e = Get-TrainingMemory -Model meta-llama/Llama-2-7b-hf -Method LoRA -Checkpointing Full -TransformersVersion $Version
        $e.PeakPhase | Should -Be 'ForwardEnd'
        $e.Other | Should -Be (2048L * 32000 * $Bytes)
    }

    It 'echoes the release so the estimate pipes back' {
        $e = Get-TrainingMemory -Model meta-llama/Llama-2-7b-hf -Method LoRA -TransformersVersion 4.46
        $e.TransformersVersion | Should -Be '4.46'
        ($e | Get-TrainingMemory).Other | Should -Be $e.Other
    }

    It 'rejects a value that is not a release, naming the parameter, or a piped cell''s row and column' {
        { Get-TrainingMemory -Model meta-llama/Llama-2-7b-hf -TransformersVersion banana } | Should -Throw -ErrorId 'ParameterArgumentTransformationError*' -ExpectedMessage "*'TransformersVersion'*'banana'*release number*"
        [pscustomobject]@{ Model = 'meta-llama/Llama-2-7b-hf'; TransformersVersion = 'banana' } | Get-TrainingMemory -ErrorAction SilentlyContinue -ErrorVariable err | Should -BeNullOrEmpty
        $err[0].FullyQualifiedErrorId | Should -Match '^InvalidPipelineValue'
        $err[0].Exception.Message | Should -Match "Row 1, column TransformersVersion: 'banana'"
    }

    It 'refuses 4.40 typed unquoted, which reaches the cmdlet as 4.4 and would select adamw_hf and eager attention' {
        { Get-TrainingMemory -Model meta-llama/Llama-2-7b-hf -Method LoRA -TransformersVersion 4.40 } | Should -Throw -ErrorId 'ParameterArgumentTransformationError*' -ExpectedMessage "*'TransformersVersion'*apart from 4.40*"
    }
}
