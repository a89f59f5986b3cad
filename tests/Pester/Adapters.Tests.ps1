# -Adapter and its settings as users give them: on the command line, in a CSV row, across Compare-FinetuneMethod.
# Trainable counts are the num_trainable_params peft printed for each run (peft method_comparison results at 5d602fd,
# quoted in ../shared/validation/peft-methods-dev.csv's Notes).
BeforeAll {
    . $PSScriptRoot/common.ps1
    $Base = @{ Model = 'meta-llama/Llama-3.2-3B'; Method = 'LoRA'; Framework = 'peft'; Precision = 'Bf16'; BatchSize = 4; SequenceLength = 768 }
}

Describe '-Adapter' {
    It 'reads -Adapter and -VirtualTokens from a row, peft''s spelling of the adapter too, and warns about no column' {
        $row = [pscustomobject]@{ Model = 'meta-llama/Llama-3.2-3B'; Method = 'LoRA'; Adapter = 'PROMPT_TUNING'; VirtualTokens = '200'; Framework = 'peft' }
        $e = $row | Get-TrainingMemory -WarningVariable warnings -WarningAction SilentlyContinue
        $e.Adapter | Should -Be 'PromptTuning'
        $e.TrainableParameters | Should -Be 614400
        $warnings -join ' ' | Should -Not -Match 'set nothing|sets nothing'
    }

    It 'refuses an adapter it does not know, naming the row and column' {
        $row = [pscustomobject]@{ Model = 'meta-llama/Llama-3.2-3B'; Method = 'LoRA'; Adapter = 'Dora2' }
        $e = $null
        $null = $row | Get-TrainingMemory -ErrorVariable e -ErrorAction SilentlyContinue
        $e[0].Exception.Message | Should -Match 'Adapter'
        $e[0].Exception.Message | Should -Match 'DoRA'
    }

    It 'reads the Adapter column of a row: DoRA rank 32 on q_proj and v_proj trains 9,289,728 parameters' {
        $row = [pscustomobject]@{ Model = 'meta-llama/Llama-3.2-3B'; Method = 'LoRA'; Adapter = 'DoRA'; LoraRank = '32'; LoraTargets = 'q_proj,v_proj'; Framework = 'peft' }
        $e = $row | Get-TrainingMemory
        $e.Adapter | Should -Be 'DoRA'
        $e.TrainableParameters | Should -Be 9289728
    }

    It 'takes an empty Adapter cell as LoRA' {
        $row = [pscustomobject]@{ Model = 'meta-llama/Llama-3.2-3B'; Method = 'LoRA'; Adapter = ''; LoraRank = '32'; LoraTargets = 'q_proj,v_proj' }
        ($row | Get-TrainingMemory).Adapter | Should -Be 'LoRA'
    }

    It 'counts prompt tuning''s 200 virtual tokens of 3072 as 614,400 parameters' {
        (Get-TrainingMemory @Base -Adapter PromptTuning -VirtualTokens 200).TrainableParameters | Should -Be 614400
    }

    It 'warns that peft has no default number of virtual tokens' {
        $null = Get-TrainingMemory @Base -Adapter PrefixTuning -WarningVariable warnings -WarningAction SilentlyContinue
        $warnings -join ' ' | Should -Match 'VirtualTokens'
    }

    It 'refuses -Adapter with -Method Full as an InvalidWorkload error naming -Adapter' {
        $e = $null
        $null = Get-TrainingMemory -Model 'meta-llama/Llama-3.2-3B' -Method Full -Adapter DoRA -ErrorVariable e -ErrorAction SilentlyContinue
        $e[0].FullyQualifiedErrorId | Should -BeLike 'InvalidWorkload,*'
        $e[0].Exception.Message | Should -Match '-Adapter'
    }

    It 'refuses a setting of another adapter' {
        $e = $null
        $null = Get-TrainingMemory @Base -Adapter DoRA -VirtualTokens 20 -ErrorVariable e -ErrorAction SilentlyContinue
        $e[0].Exception.Message | Should -Match 'VirtualTokens'
    }

    It 'is offered by Find-GpuFit too' {
        # A model with -Gpu is planned on that GPU: every plan runs the DoRA adapter.
        $plans = Find-GpuFit @Base -Adapter DoRA -LoraRank 32 -Gpu 'RTX 4090'
        $plans | Should -Not -BeNullOrEmpty
        $plans.Estimate.Adapter | Sort-Object -Unique | Should -Be 'DoRA'
    }
}

Describe 'Compare-FinetuneMethod -Adapter' {
    It 'compares LoRA, DoRA and IA3 under LoRA, one row each' {
        $rows = Compare-FinetuneMethod -Model 'meta-llama/Llama-3.2-3B' -Adapter LoRA, DoRA, IA3 -LoraRank 32 -Framework peft
        $rows.Adapter | Should -Be @('LoRA', 'DoRA', 'IA3')
        $rows.Method | Select-Object -Unique | Should -Be 'LoRA'
    }
}

Describe '-Optimizer GaLore' {
    It 'refuses -OptimizerRank with AdamW' {
        $e = $null
        $null = Get-TrainingMemory -Model 'meta-llama/Llama-3.2-3B' -Method Full -OptimizerRank 64 -ErrorVariable e -ErrorAction SilentlyContinue
        $e[0].Exception.Message | Should -Match 'OptimizerRank'
    }

    It 'keeps fewer optimizer states than AdamW on full training' {
        $galore = Get-TrainingMemory -Model 'meta-llama/Llama-3.2-3B' -Method Full -Optimizer GaLore
        $adamw = Get-TrainingMemory -Model 'meta-llama/Llama-3.2-3B' -Method Full -Optimizer AdamW
        $galore.OptimizerStates | Should -BeLessThan ($adamw.OptimizerStates / 4)
    }
}
