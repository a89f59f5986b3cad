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

    It 'refuses an unquoted number with one decimal digit, which PowerShell read as a double that dropped a trailing zero' {
        # Unquoted, 0.10 is the double 0.1: read as text it named v0.1.0, a release the user did not give.
        { Get-TrainingMemory @falcon -FrameworkVersion 0.10 -ErrorAction Stop } | Should -Throw -ExpectedMessage '*tell apart from 0.10*'
        $row = [pscustomobject]($falcon + @{ FrameworkVersion = 0.2 })
        $row | Get-TrainingMemory -ErrorAction SilentlyContinue -ErrorVariable err | Should -BeNullOrEmpty
        $err[0].Exception.Message | Should -Match 'column FrameworkVersion.*0\.20'
        (Get-TrainingMemory @falcon -FrameworkVersion '0.4.10').FrameworkVersion | Should -Be '0.4.10'
    }

    It 'drops a piped release of another framework than the command line names, with a warning' {
        # A litgpt checkout's date says nothing of torchtitan's history: without the drop, 2025-06-11 dated torchtitan
        # after bbb1b61 and its compiled loss applied, unannounced.
        $titan = @{ Model = 'meta-llama/Llama-3.1-8B'; Method = 'Full'; Precision = 'Bf16Mixed'; BatchSize = 2; SequenceLength = 8192; GpuCount = 32; Sharding = 'Zero3'; Checkpointing = 'Full'; Attention = 'Sdpa'; Techniques = 'Compile' }
        $lit = Get-TrainingMemory @titan -Framework litgpt -FrameworkVersion 2025-06-11 -WarningAction SilentlyContinue
        $e = $lit | Get-TrainingMemory -Framework torchtitan -WarningVariable w -WarningAction SilentlyContinue
        $e.FrameworkVersion | Should -BeNullOrEmpty
        $e.Total | Should -Be (Get-TrainingMemory @titan -Framework torchtitan -WarningAction SilentlyContinue).Total
        ($w | Where-Object { "$_" -like "*FrameworkVersion 2025-06-11 is a litgpt release*" }) | Should -Not -BeNullOrEmpty
        $row = [pscustomobject]($titan + @{ Framework = 'litgpt'; FrameworkVersion = '2025-06-11' })
        ($row | Get-TrainingMemory -Framework torchtitan -WarningAction SilentlyContinue).FrameworkVersion | Should -BeNullOrEmpty
        ($lit | Get-TrainingMemory -Framework torchtitan -FrameworkVersion 2025-06-11 -WarningAction SilentlyContinue).FrameworkVersion | Should -Be '2025-06-11'
        ([pscustomobject]($titan + @{ FrameworkVersion = '2025-06-11' }) | Get-TrainingMemory -Framework torchtitan -WarningAction SilentlyContinue).FrameworkVersion | Should -Be '2025-06-11'
    }

    It 'refuses digits other than 0-9 with the allowed forms, not a parse failure' {
        { Get-TrainingMemory @falcon -FrameworkVersion ([string][char]0x0660 + '.4.0') -ErrorAction Stop } | Should -Throw -ExpectedMessage '*yyyy-MM-dd*'
    }

    It 'warns, naming -FrameworkVersion, where a later torchtitan compiles the loss' {
        # scale-dev's titan-trainy rows: FSDP over 32 GPUs, where the logits' 8 bytes per entry move the peak.
        $titan = @{ Model = 'meta-llama/Llama-3.1-8B'; Method = 'Full'; Precision = 'Bf16Mixed'; BatchSize = 2; SequenceLength = 8192; GpuCount = 32; Sharding = 'Zero3'; Checkpointing = 'Selective'; Attention = 'Sdpa'; Framework = 'torchtitan'; Techniques = 'Compile' }
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
        $h.Changes.From.Commit | Should -Be @('e10cb94', 'bbb1b61', '90567fc', '5e2033c', '0b44d4c', '83e6941', 'e99e16c', 'e5ef99a')
        $h.Changes[0].Until.Commit | Should -Be 'e8977b0'
        $h.Changes[1].Source | Should -Match 'build_cross_entropy_loss'
        $h.Changes[2].Until.Commit | Should -Be '5e2033c'
        $h.Changes[3].Source | Should -Match 'pipeline_parallel_microbatch_size'
        $h.Changes[4].Source | Should -Match 'maybe_enable_amp'
        $h.Changes[5].Source | Should -Match 'fully_shard\(model\.tok_embeddings\)'
        $h.Changes[6].Source | Should -Match 'set_default_dtype\(bfloat16\)'
        $h.Changes[7].Source | Should -Match 'return_outputs=False'
        (Get-VramFramework HF-Trainer).Releases | Should -BeNullOrEmpty
    }
}
