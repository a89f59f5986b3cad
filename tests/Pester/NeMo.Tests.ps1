BeforeAll {
    . $PSScriptRoot/common.ps1
}

Describe 'NeMo (Megatron-Bridge)' {
    It 'accepts NeMo and Megatron-Bridge as -Framework, applying NeMo''s LoRA dim 32' {
        # nemo/collections/llm/peft/lora.py@8cfedd7 LoRA: dim 32.
        foreach ($name in 'NeMo', 'Megatron-Bridge', 'megatron-bridge') {
            $e = Get-TrainingMemory -Model $Llama -Method LoRA -Framework $name -WarningAction SilentlyContinue
            $e.Framework | Should -Be 'NeMo' -Because $name
            $e.LoraRank | Should -Be 32 -Because $name
        }
    }

    It 'reads the name from a CSV cell and from a piped property alike' {
        $csv = "Model,Method,Framework`n$Llama,LoRA,Megatron-Bridge`n$Llama,Full,nemo" | ConvertFrom-Csv
        $fromCsv = @($csv | Get-TrainingMemory -WarningAction SilentlyContinue)
        $fromCsv.Framework | Should -Be 'NeMo', 'NeMo'
        $fromCsv[0].LoraRank | Should -Be 32
        $piped = [pscustomobject]@{ Model = $Llama; Method = 'LoRA'; Framework = 'NeMo' } | Get-TrainingMemory -WarningAction SilentlyContinue
        $piped.Framework | Should -Be 'NeMo'
    }

    It 'refuses a misspelt piped name naming -Framework and the allowed names, NeMo''s synonym with it' {
        $row = [pscustomobject]@{ Model = $Llama; Method = 'LoRA'; Framework = 'NeMo-Aligner' }
        $row | Get-TrainingMemory -ErrorVariable failure -ErrorAction SilentlyContinue -WarningAction SilentlyContinue
        # -Framework's text is read by the remark grammar where the engine resolves it (FrameworkNames.Read).
        $failure[0].FullyQualifiedErrorId | Should -Be 'InvalidWorkload,VramPS.Commands.GetTrainingMemoryCommand'
        $failure[0].Exception.Parameter | Should -Be 'Framework'
        $failure[0].Exception.Message | Should -BeLike "*'NeMo-Aligner' is not known. Allowed: *NeMo (Megatron-Bridge)*"
    }

    It 'refuses QLoRA and alignment stages with typed errors naming the parameter' {
        { Get-TrainingMemory -Model $Llama -Method QLoRA -Framework NeMo -ErrorAction Stop -WarningAction SilentlyContinue } |
            Should -Throw -ErrorId 'InvalidWorkload,VramPS.Commands.GetTrainingMemoryCommand'
        { Get-TrainingMemory -Model $Llama -Method LoRA -Framework NeMo -Stage Dpo -ErrorAction Stop -WarningAction SilentlyContinue } |
            Should -Throw '*-Stage Dpo*-Framework NeMo*'
    }

    It 'is listed by Get-VramFramework under either name with its cited defaults' {
        $nemo = Get-VramFramework Megatron-Bridge
        $nemo.Name | Should -Be 'NeMo'
        (Get-VramFramework 'megatron-b*').Name | Should -Be 'NeMo'
        $nemo.DefaultLoraRank.Value | Should -Be 32
        $nemo.DefaultLoraRank.Source | Should -BeLike 'nemo/collections/llm/peft/lora.py@8cfedd7*'
        $nemo.FullShardsOptimizer.Value | Should -BeTrue
        $nemo.LoraDropout.Value | Should -Be 0.0
        ($nemo.Behaviors | Where-Object Name -EQ 'AdaptersInComputeDtype').Source | Should -BeLike '*ParallelLinearAdapter*'
    }
}
