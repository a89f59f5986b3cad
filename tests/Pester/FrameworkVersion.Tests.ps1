BeforeAll {
    . (Join-Path $PSScriptRoot 'common.ps1')
}

Describe 'Get-TrainingMemory -FrameworkVersion' {
    BeforeAll {
        # measured-dev's litgpt-pd-falcon7b-lora-alpacafull: Falcon-7B (32 layers, 71 query heads, one key/value head),
        # LoRA on its fused query_key_value, 1 x 1079 tokens, no checkpointing, run at lit-gpt 29de2828 (2023-09-27).
        $falcon = @{ Model = 'tiiuae/falcon-7b'; Method = 'LoRA'; Precision = 'Bf16'; BatchSize = 1; SequenceLength = 1079; Checkpointing = 'None'; Attention = 'Sdpa'; LoraRank = 8; Framework = 'litgpt' }
        $forward = { param($e) ($e.Phases | Where-Object Phase -eq 'ForwardEnd').Activations }
    }

    It 'keeps the 16-bit probabilities of SDPA''s math kernel at a lit-gpt checkout before 50b1974b' {
        # 32 layers x 71 heads x 1079 x (1079 x 2 bytes of probabilities - 4 bytes of the fused kernel's log-sum-exp).
        $now = Get-TrainingMemory @falcon
        $old = Get-TrainingMemory @falcon -FrameworkVersion 2023-09-27
        (& $forward $old) - (& $forward $now) | Should -Be (32L * 71 * 1079 * (1079 * 2 - 4))
        $old.Assumptions | Where-Object { $_ -like 'litgpt as of a checkout of 2023-09-27*50b1974b*' } | Should -Not -BeNullOrEmpty
        $now.Assumptions | Should -Contain 'litgpt as of 5895df1 (2024-04-26), the release its profile was read at (no -FrameworkVersion)'
    }

    It 'echoes the release so the estimate pipes back, and reads it from a CSV cell' {
        $e = Get-TrainingMemory @falcon -FrameworkVersion 2023-09-27
        $e.FrameworkVersion | Should -Be '2023-09-27'
        ($e | Get-TrainingMemory).Total | Should -Be $e.Total
        $csv = ([pscustomobject]($falcon + @{ FrameworkVersion = '2023-09-27' }) | ConvertTo-Csv) | ConvertFrom-Csv
        ($csv | Get-TrainingMemory).Total | Should -Be $e.Total
    }

    It 'names the row and column of a cell that is no release, with the allowed forms' {
        $row = [pscustomobject]($falcon + @{ FrameworkVersion = '2023/09/27' })
        $row | Get-TrainingMemory -ErrorAction SilentlyContinue -ErrorVariable err | Should -BeNullOrEmpty
        $err[0].FullyQualifiedErrorId | Should -Be 'InvalidPipelineValue,VramPS.Commands.GetTrainingMemoryCommand'
        $err[0].Exception.Message | Should -Match 'column FrameworkVersion'
        $err[0].Exception.Message | Should -Match 'yyyy-MM-dd'
    }

    It 'refuses a release for a framework whose profile lists none, naming the parameter' {
        Get-TrainingMemory -Model tiiuae/falcon-7b -Method LoRA -FrameworkVersion 0.4.0 -ErrorAction SilentlyContinue -ErrorVariable err | Should -BeNullOrEmpty
        $err[0].FullyQualifiedErrorId | Should -Be 'InvalidWorkload,VramPS.Commands.GetTrainingMemoryCommand'
        $err[0].Exception.Message | Should -Match '-FrameworkVersion 0.4.0: .*lists no releases'
    }

    It 'rejects an argument that is no release before estimating' {
        { Get-TrainingMemory @falcon -FrameworkVersion banana -ErrorAction Stop } | Should -Throw -ExpectedMessage '*yyyy-MM-dd*'
    }

    It 'warns, naming -FrameworkVersion, where a later torchtitan compiles the loss' {
        $titan = @{ Model = 'meta-llama/Llama-3.1-8B'; Method = 'Full'; Precision = 'Bf16Mixed'; BatchSize = 1; SequenceLength = 2048; Framework = 'torchtitan'; Techniques = 'Compile' }
        $null = Get-TrainingMemory @titan -WarningVariable w -WarningAction SilentlyContinue
        ($w | Where-Object { "$_" -like '*-FrameworkVersion*bbb1b61*' }) | Should -Not -BeNullOrEmpty
        $null = Get-TrainingMemory @titan -FrameworkVersion 0.1.0 -WarningVariable w2 -WarningAction SilentlyContinue
        ($w2 | Where-Object { "$_" -like '*-FrameworkVersion*' }) | Should -BeNullOrEmpty
    }
}

Describe 'Get-VramFramework releases' {
    It 'lists a profile''s baseline and dated changes with their commits and sources' {
        $h = (Get-VramFramework torchtitan).Releases
        $h.Baseline.Commit | Should -Be '9dec370'
        $h.Changes.From.Commit | Should -Be @('e10cb94', 'bbb1b61')
        $h.Changes[0].Until.Commit | Should -Be 'e8977b0'
        $h.Changes[1].Source | Should -Match 'build_cross_entropy_loss'
        (Get-VramFramework HF-Trainer).Releases | Should -BeNullOrEmpty
    }
}
