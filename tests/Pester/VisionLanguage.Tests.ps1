BeforeAll {
    . (Join-Path $PSScriptRoot 'common.ps1')
    $Qwen = 'Qwen/Qwen2.5-VL-7B-Instruct'
}

Describe 'Vision-language workloads' {
    It 'takes -ImageSize, -ImagesPerSample, -VisionTokens and -VisionTower on <_>' -ForEach 'Get-TrainingMemory', 'Find-GpuFit', 'Compare-FinetuneMethod' {
        $parameters = (Get-Command $_).Parameters
        foreach ($name in 'ImageSize', 'ImagesPerSample', 'VisionTokens', 'VisionTower') { $parameters.Keys | Should -Contain $name }
    }

    It 'costs more with more and larger images' {
        # Qwen2.5-VL: 448x448 is 256 tokens, 1024x1024 is 1369 (smart_resize), two images twice that.
        $small = Get-TrainingMemory -Model $Qwen -Method LoRA -Checkpointing Full -ImageSize 448x448
        $large = Get-TrainingMemory -Model $Qwen -Method LoRA -Checkpointing Full -ImageSize 1024x1024
        $two = Get-TrainingMemory -Model $Qwen -Method LoRA -Checkpointing Full -ImageSize 1024x1024 -ImagesPerSample 2
        $large.Allocated | Should -BeGreaterThan $small.Allocated
        $two.Allocated | Should -BeGreaterThan $large.Allocated
        $large.Assumptions | Should -Contain '1369 image tokens per image in the language model''s sequence, 5476 in the vision encoder'
    }

    It 'binds the vision columns of a CSV row, and an estimate pipes back unchanged' {
        $row = [pscustomobject]@{ Model = $Qwen; Method = 'LoRA'; SequenceLength = '1024'; ImageSize = '640x480'; ImagesPerSample = '1'; VisionTower = 'Trained'; VisionTokens = '' }
        $e = $row | Get-TrainingMemory
        $e.SequenceLength | Should -Be 1024
        ($e | Get-TrainingMemory).Allocated | Should -Be $e.Allocated
    }

    It 'refuses <Parameter> with InvalidWorkload naming it' -ForEach @(
        @{ Parameter = 'ImageSize'; Splat = @{ Model = 'meta-llama/Llama-2-7b-hf'; ImageSize = '640x480' } }
        @{ Parameter = 'ImageSize'; Splat = @{ Model = 'Qwen/Qwen2.5-VL-7B-Instruct'; ImageSize = '640 by 480' } }
        @{ Parameter = 'VisionTower'; Splat = @{ Model = 'Qwen/Qwen2.5-VL-7B-Instruct'; Method = 'Freeze'; VisionTower = 'Trained' } }
    ) {
        Get-TrainingMemory @Splat -ErrorAction SilentlyContinue -ErrorVariable err | Should -BeNullOrEmpty
        $err[0].FullyQualifiedErrorId | Should -Be 'InvalidWorkload,VramPS.Commands.GetTrainingMemoryCommand'
        $err[0].Exception.Message | Should -Match $Parameter
    }
}
