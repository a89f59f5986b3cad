# One name lookup over the merged catalogs, by substring as well as by prefix, for every place a name is read (issue #12).
BeforeAll {
    . $PSScriptRoot/common.ps1
    function Complete([string] $Line) {
        [System.Management.Automation.CommandCompletion]::CompleteInput($Line, $Line.Length, $null).CompletionMatches.CompletionText
    }
}

Describe 'Lookup by substring' {
    It 'Get-VramModel gemma lists every Gemma of the catalog' {
        $models = Get-VramModel gemma
        $models.Count | Should -BeGreaterThan 1
        $models.Model | ForEach-Object { $_ | Should -Match 'gemma' }
        $models.Model | Should -Contain 'google/gemma-2-9b'
    }

    It 'Get-TrainingMemory -Model llama-3.1-8 takes the one catalog model it names' {
        $e = Get-TrainingMemory -Model llama-3.1-8 -Method LoRA -Gpu H100-SXM -WarningVariable warned -WarningAction SilentlyContinue
        $e.Model | Should -Be 'meta-llama/Llama-3.1-8B'
        "$warned" | Should -Be "-Model 'llama-3.1-8' was taken as meta-llama/Llama-3.1-8B, the one catalog entry whose name contains it."
        # Llama 3.1 8B has 8,030,261,248 parameters (safetensors metadata on its Hugging Face page).
        $e.Parameters | Should -Be 8030261248
    }

    It 'refuses a part that names several models, listing them' {
        Get-TrainingMemory -Model gemma -Method LoRA -ErrorVariable err -ErrorAction SilentlyContinue
        $err[0].FullyQualifiedErrorId | Should -BeLike 'UnknownModel,*'
        $err[0].Exception.Message | Should -Match "-Model 'gemma'.*gemma"
    }

    It 'Get-VramGpu 4090 and -Gpu 4090 find the RTX 4090' {
        (Get-VramGpu 4090).Name | Should -Be 'RTX-4090'
        (Get-TrainingMemory -Params 1B -Method LoRA -Gpu 4090).Gpu | Should -Be 'RTX-4090'
    }

    It 'Find-GpuFit -Gpu ''rtx 40*'' finds what Get-VramGpu ''rtx 40*'' finds' {
        $expected = (Get-VramGpu 'rtx 40*').Name
        $expected.Count | Should -BeGreaterOrEqual 2
        (Get-TrainingMemory -Params 1B -Method LoRA | Find-GpuFit -Gpu 'rtx 40*').Gpu | Sort-Object | Should -Be ($expected | Sort-Object)
    }

    It 'warns when a short GPU name fits several variants' {
        $e = Get-TrainingMemory -Params 1B -Method LoRA -Gpu A100 -WarningVariable warned -WarningAction SilentlyContinue
        $warned | Should -HaveCount 1
        "$warned" | Should -Match "-Gpu 'A100' was taken as $($e.Gpu)"
        "$warned" | Should -Match 'A100-40GB'
        $e.Warnings | Should -Contain "$warned"
        Get-TrainingMemory -Params 1B -Method LoRA -Gpu A100-40GB -WarningVariable quiet -WarningAction SilentlyContinue | Out-Null
        $quiet | Should -BeNullOrEmpty
    }

    It '-RewardModel honours -ModelCatalogPath' {
        $catalog = Join-Path $TestDrive 'models.json'
        $entry = (Get-Content -Raw (Join-Path $RepoRoot 'docs/model-catalog.md') | Select-String '(?s)```json\s*(.*?)```').Matches[0].Groups[1].Value
        Set-Content -Path $catalog -Value $entry
        $id = ((Get-VramModel -ModelCatalogPath $catalog | Select-Object -Last 1).Model)
        $e = Get-TrainingMemory -Model meta-llama/Llama-3.1-8B -Method LoRA -Stage Ppo -RewardModel $id -ModelCatalogPath $catalog
        $e.RewardModel | Should -Be $id
    }
}

Describe 'Completion' {
    It 'completes -Model llama-3.1-8 by substring' {
        Complete 'Get-TrainingMemory -Model llama-3.1-8' | Should -Contain 'meta-llama/Llama-3.1-8B'
    }

    It 'completes -RewardModel from the catalog -ModelCatalogPath names' {
        $catalog = Join-Path $TestDrive 'completion-models.json'
        $entry = (Get-Content -Raw (Join-Path $RepoRoot 'docs/model-catalog.md') | Select-String '(?s)```json\s*(.*?)```').Matches[0].Groups[1].Value
        Set-Content -Path $catalog -Value $entry
        $id = (Get-VramModel -ModelCatalogPath $catalog | Select-Object -Last 1).Model
        $part = ($id -split '/')[-1]
        Complete "Get-TrainingMemory -ModelCatalogPath '$catalog' -Model x -Stage Ppo -RewardModel $part" | Should -Contain $id
    }

    It 'completes -Gpu 4090 by substring' {
        Complete 'Get-TrainingMemory -Params 7B -Gpu 4090' | Should -Contain 'RTX-4090'
    }

    It 'does not list the hidden -InputObject and -Workload among the parameters' {
        $offered = Complete 'Get-TrainingMemory -'
        $offered | Should -Contain '-Model'
        $offered | Should -Not -Contain '-InputObject'
        $offered | Should -Not -Contain '-Workload'
    }
}
