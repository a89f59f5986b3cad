BeforeAll {
    . (Join-Path $PSScriptRoot 'common.ps1')
}

Describe 'Get-TrainingMemory -TransformersVersion' {
    It 'holds 12, 14 or 12 bytes of logits per vocabulary entry and token by release' -ForEach @(
        @{ Version = '4.40'; Bytes = 12; Phase = 'ForwardEnd' }
        @{ Version = '4.46.3'; Bytes = 14; Phase = 'ForwardEnd' }
        @{ Version = 'v5.0'; Bytes = 12; Phase = 'BackwardStart' }
    ) {
        # Llama-2-7B, vocabulary 32000, micro-batch 1 x 2048 tokens: the peak is where the loss path holds the most, and
        # Other is its logits (transformers' LlamaForCausalLM and loss function of that release). From 4.50 forward holds
        # the 2-byte logits and two fp32 copies (10 bytes); the Trainer frees the outputs before backward, which holds
        # three fp32 buffers (12), the saved log-softmax and the two gradients.
        $e = Get-TrainingMemory -Model meta-llama/Llama-2-7b-hf -Method LoRA -Checkpointing Full -TransformersVersion $Version
        $e.PeakPhase | Should -Be $Phase
        $e.Other | Should -Be (2048L * 32000 * $Bytes)
    }

    It 'echoes the release so the estimate pipes back' {
        $e = Get-TrainingMemory -Model meta-llama/Llama-2-7b-hf -Method LoRA -TransformersVersion 4.46
        $e.TransformersVersion | Should -Be '4.46'
        ($e | Get-TrainingMemory).Other | Should -Be $e.Other
    }

    It 'rejects a value that is not a release with InvalidWorkload naming the parameter' {
        Get-TrainingMemory -Model meta-llama/Llama-2-7b-hf -TransformersVersion banana -ErrorAction SilentlyContinue -ErrorVariable err | Should -BeNullOrEmpty
        $err[0].FullyQualifiedErrorId | Should -Be 'InvalidWorkload,VramPS.Commands.GetTrainingMemoryCommand'
        $err[0].Exception.Message | Should -Match 'TransformersVersion'
    }
}
