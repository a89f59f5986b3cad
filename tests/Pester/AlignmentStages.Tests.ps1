BeforeAll {
    . $PSScriptRoot/common.ps1
    $Llama31 = 'meta-llama/Llama-3.1-8B'
    $Qwen = 'Qwen/Qwen2.5-7B'
}

Describe 'Stage parameters' {
    It '<Cmdlet> reads -<Parameter> from a piped property in every workload set' -TestCases @(
        foreach ($cmdlet in 'Get-TrainingMemory', 'Compare-FinetuneMethod', 'Find-GpuFit') {
            foreach ($parameter in 'Stage', 'RewardModel', 'NumGenerations', 'PromptLength', 'GenerationLength',
                'RolloutMemoryFraction', 'RolloutSleep', 'VllmMode', 'PrecomputeReferenceLogProbs', 'KlCoefficient') {
                @{ Cmdlet = $cmdlet; Parameter = $parameter }
            }
        }
    ) {
        $p = (Get-Command $Cmdlet).Parameters[$Parameter]
        $p | Should -Not -BeNullOrEmpty
        $p.ParameterSets.Keys | Sort-Object | Should -Be @('Config', 'Model', 'Params')
        @($p.Attributes | Where-Object { $_ -is [VramPS.Transformation.SettingTransformationAttribute] }) | Should -HaveCount 1
    }

    It 'gives -<_> a nullable type so an absent setting stays "not given"' -TestCases @(
        'Stage', 'NumGenerations', 'PromptLength', 'GenerationLength', 'RolloutMemoryFraction', 'VllmMode', 'KlCoefficient') {
        [Nullable]::GetUnderlyingType((Get-Command Get-TrainingMemory).Parameters[$_].ParameterType) | Should -Not -BeNullOrEmpty
    }

    It 'tab-completes -Stage and -RewardModel' {
        $line = 'Get-TrainingMemory -Stage Gr'
        (TabExpansion2 -inputScript $line -cursorColumn $line.Length).CompletionMatches.CompletionText | Should -Contain 'Grpo'
        $line = 'Get-TrainingMemory -RewardModel facebook/opt-3'
        (TabExpansion2 -inputScript $line -cursorColumn $line.Length).CompletionMatches.CompletionText | Should -Contain 'facebook/opt-350m'
    }
}

Describe 'DPO with LoRA' {
    BeforeAll {
        $Dpo = Get-TrainingMemory -Model $Llama31 -Stage Dpo -Method LoRA -BatchSize 2 -SequenceLength 2048
    }

    It 'runs chosen and rejected as one doubled batch' {
        $Dpo.Stage | Should -Be 'Dpo'
        $Dpo.BatchSize | Should -Be 2
        $Dpo.ForwardBatch | Should -Be 4
    }

    It 'accounts the policy and a reference that shares the base' {
        $Dpo.Models.Role | Should -Be @('Policy', 'Reference')
        $reference = $Dpo.Models | Where-Object Role -eq 'Reference'
        $reference.Method | Should -Be 'Shared'
        $reference.Weights | Should -Be 0
        # The bf16 base once: 2 bytes per parameter, plus the adapters in fp32.
        $policy = $Dpo.Models | Where-Object Role -eq 'Policy'
        $policy.Weights | Should -Be (2 * $Dpo.Parameters + 4 * $Dpo.TrainableParameters)
    }

    It 'binds in the Scoring phase, where the reference runs beside the held policy forward' {
        $Dpo.PeakPhase | Should -Be 'Scoring'
        ($Dpo.Models | Measure-Object Total -Sum).Sum | Should -BeLessOrEqual ($Dpo.Allocated + 10)
        ($Dpo.Models | Measure-Object Total -Sum).Sum | Should -BeGreaterOrEqual ($Dpo.Allocated - 10)
    }

    It 'shows the models, the stage and the doubled batch in the list view' {
        $text = $Dpo | Format-List | Out-String -Width 250
        $text | Should -Match '(?m)^Stage\s+: Dpo'
        $text | Should -Match '(?m)^ForwardBatch\s+: 4'
        $text | Should -Match 'Policy meta-llama/Llama-3.1-8B \(LoRA\)'
        $text | Should -Match 'Reference meta-llama/Llama-3.1-8B \(Shared\) \d+\.\d\d GiB: weights 0\.00'
        $text | Should -Not -Match '(?m)^KvCache'
    }

    It 'keeps a frozen copy for Full and none with precomputed reference log-probs' {
        $full = Get-TrainingMemory -Model $Llama31 -Stage Dpo -Method Full -Precision Bf16
        ($full.Models | Where-Object Role -eq 'Reference').Weights | Should -Be (2 * $full.Parameters)
        $precomputed = Get-TrainingMemory -Model $Llama31 -Stage Dpo -Method Full -Precision Bf16 -PrecomputeReferenceLogProbs
        $precomputed.Models.Role | Should -Be @('Policy')
        $precomputed.Total | Should -BeLessThan $full.Total
    }
}

Describe 'GRPO with a colocated vLLM engine' {
    BeforeAll {
        $Grpo = Get-TrainingMemory -Model $Qwen -Stage Grpo -NumGenerations 8 -PromptLength 512 -GenerationLength 1024 -RolloutMemoryFraction 0.3
    }

    It 'gives the policy and the engine and the KV cache the rollout needs' {
        $Grpo.Models.Role | Should -Be @('Policy', 'Rollout')
        $Grpo.SequenceLength | Should -Be 1536
        $Grpo.RolloutBatch | Should -Be 8
        # Qwen2.5-7B: 28 layers x 4 KV heads x 128 x (key, value) x bf16 = 57,344 B per token; vLLM's prefix cache
        # holds the group's 512-token prompt once and 8 completions of 1024 tokens.
        $Grpo.KvCache | Should -Be ((512 + 8 * 1024) * 2 * 28 * 4 * 128 * 2)
        $engine = $Grpo.Models | Where-Object Role -eq 'Rollout'
        $engine.Weights | Should -Be (2 * $Grpo.Parameters)
        ($Grpo.Assumptions -join "`n") | Should -Match 'H100-SXM \(no -Gpu given\)'
    }

    It 'is planned by Find-GpuFit on the GPU catalog' {
        $fits = @($Grpo | Find-GpuFit -Gpu H100-SXM, A100-80GB, H200)
        $fits | Should -HaveCount 3
        foreach ($fit in $fits) {
            $fit.GpusNeeded | Should -BeGreaterThan 1
            $fit.Sharding | Should -Be 'Zero3'
            $fit.Estimate.Stage | Should -Be 'Grpo'
        }
    }

    It 'shows the KV cache and the engine in the list view' {
        $text = $Grpo | Format-List | Out-String -Width 250
        $text | Should -Match "(?m)^KvCache\s+: $([regex]::Escape([VramPS.Formatting.Bytes]::Format($Grpo.KvCache)))"
        $text | Should -Match 'Rollout Qwen/Qwen2.5-7B \(vLLM\)'
        $text | Should -Match '(?m)^NumGenerations\s+: 8'
    }

    It 'warns that the share is of an assumed GPU, naming -Gpu and the GPU' {
        $warnings = Get-TrainingMemory -Model $Qwen -Stage Grpo -RolloutMemoryFraction 0.3 3>&1 | Where-Object { $_ -is [System.Management.Automation.WarningRecord] }
        @($warnings.Message) -match '^-RolloutMemoryFraction 0\.3 without -Gpu: .* H100-SXM \(79\.6 GiB\).*name the GPU with -Gpu' | Should -HaveCount 1
        $named = Get-TrainingMemory -Model $Qwen -Stage Grpo -RolloutMemoryFraction 0.3 -Gpu A100-80GB 3>&1 | Where-Object { $_ -is [System.Management.Automation.WarningRecord] }
        @($named.Message) -match 'RolloutMemoryFraction' | Should -BeNullOrEmpty
    }

    It 'reads -RolloutSleep from the command line and from a CSV cell, and keeps the framework default otherwise' {
        # Unsloth's GRPO notebooks set UNSLOTH_VLLM_STANDBY=1; standby raises a fraction below 0.9 to 0.9 (unsloth_zoo load_vllm).
        $standby = Get-TrainingMemory -Model $Qwen -Method LoRA -Framework Unsloth -Stage Grpo -RolloutMemoryFraction 0.7 -Gpu T4 -WarningAction SilentlyContinue
        $standby.RolloutSleep | Should -BeTrue
        $standby.RolloutMemoryFraction | Should -Be 0.9
        $awake = Get-TrainingMemory -Model $Qwen -Method LoRA -Framework Unsloth -Stage Grpo -RolloutMemoryFraction 0.7 -Gpu T4 -RolloutSleep:$false -WarningAction SilentlyContinue
        $awake.RolloutSleep | Should -BeFalse
        $awake.RolloutMemoryFraction | Should -Be 0.7
        $row = [pscustomobject]@{ Model = $Qwen; Method = 'LoRA'; Framework = 'Unsloth'; Stage = 'Grpo'; RolloutMemoryFraction = '0.7'; RolloutSleep = 'False'; Gpu = 'T4' }
        ($row | Get-TrainingMemory -WarningAction SilentlyContinue).RolloutSleep | Should -BeFalse
        (Get-TrainingMemory -Model $Qwen -Stage Grpo -RolloutMemoryFraction 0.3 -Gpu H100-SXM -WarningAction SilentlyContinue).RolloutSleep | Should -BeFalse
        (Get-TrainingMemory -Model $Qwen -Stage Grpo -WarningAction SilentlyContinue).RolloutSleep | Should -BeNullOrEmpty
    }

    It 'reads -VllmMode Server and keeps the engine off the training GPU' {
        $server = Get-TrainingMemory -Model $Qwen -Stage Grpo -VllmMode Server -Gpu H100-SXM -WarningAction SilentlyContinue
        $server.VllmMode | Should -Be 'Server'
        $server.Models.Role | Should -Be @('Policy')
        $server.KvCache | Should -Be 0
        $row = [pscustomobject]@{ Model = $Qwen; Stage = 'Grpo'; VllmMode = 'Colocate'; Gpu = 'H100-SXM' }
        ($row | Get-TrainingMemory -WarningAction SilentlyContinue).RolloutMemoryFraction | Should -Be 0.3
    }

    It 'pipes back in with its stage settings' {
        $again = $Grpo | Get-TrainingMemory -BatchSize 16 3>&1
        @($again | Where-Object { $_ -is [System.Management.Automation.WarningRecord] -and $_.Message -notlike 'no -Gpu given*' -and $_.Message -notlike '-RolloutMemoryFraction 0.3 without -Gpu*' }) | Should -BeNullOrEmpty
        $again.Stage | Should -Be 'Grpo'
        $again.RolloutBatch | Should -Be 16
        $again.RolloutMemoryFraction | Should -Be 0.3
    }
}

Describe 'PPO compared across methods' {
    BeforeAll {
        $Rows = Compare-FinetuneMethod -Model $Llama31 -Stage Ppo
    }

    It 'compares Full, LoRA and QLoRA policies' {
        $Rows.Method | Should -Be @('Full', 'LoRA', 'QLoRA')
        $Rows[0].RelativeToFull | Should -Be 1
        $Rows[2].Total | Should -BeLessThan $Rows[1].Total
        $Rows[1].Total | Should -BeLessThan $Rows[0].Total
    }

    It 'holds a 7.5B reward model of the policy architecture and a value model of the same' {
        $lora = $Rows[1].Estimate
        $lora.Models.Role | Should -Be @('Policy', 'Reference', 'Reward', 'Value')
        # The LM head (128256 x 4096) gives way to a 1 x 4096 score.
        $rewardParameters = $lora.Parameters - 128256 * 4096 + 4096
        $rewardParameters | Should -BeGreaterThan 7e9
        $rewardParameters | Should -BeLessThan 8e9
        ($lora.Models | Where-Object Role -eq 'Reward').Weights | Should -Be (2 * $rewardParameters)
        ($lora.Models | Where-Object Role -eq 'Value').Method | Should -Be 'LoRA'
    }

    It 'takes the reward model from -RewardModel, by id or config file' {
        $byId = Get-TrainingMemory -Model facebook/opt-1.3b -Stage Ppo -RewardModel facebook/opt-350m
        ($byId.Models | Where-Object Role -eq 'Reward').Model | Should -Be 'facebook/opt-350m'
        $config = Join-Path $RepoRoot 'tests/VramPS.Engine.Tests/Models/Fixtures/opt-350m.json'
        $byFile = Get-TrainingMemory -Model facebook/opt-1.3b -Stage Ppo -RewardModel $config
        ($byFile.Models | Where-Object Role -eq 'Value').Weights | Should -Be ($byId.Models | Where-Object Role -eq 'Value').Weights
    }
}

Describe 'Stage errors and warnings' {
    It 'reports an unknown reward model as UnknownModel' {
        Get-TrainingMemory -Model $Llama31 -Stage Ppo -RewardModel no-such/model -ErrorVariable err -ErrorAction SilentlyContinue
        $err[0].FullyQualifiedErrorId | Should -Be 'UnknownModel,VramPS.Commands.GetTrainingMemoryCommand'
        $err[0].TargetObject | Should -Be 'no-such/model'
    }

    It 'reports a rollout fraction out of range as InvalidWorkload' {
        Get-TrainingMemory -Model $Llama31 -Stage Grpo -RolloutMemoryFraction 1.5 -ErrorVariable err -ErrorAction SilentlyContinue
        $err[0].FullyQualifiedErrorId | Should -Be 'InvalidWorkload,VramPS.Commands.GetTrainingMemoryCommand'
        $err[0].Exception.Message | Should -Match '-RolloutMemoryFraction'
    }

    It 'warns about settings the stage ignores' {
        $output = Get-TrainingMemory -Model $Llama31 -Stage Dpo -Method LoRA -NumGenerations 4 -Gpu H100-SXM 3>&1
        $warning = @($output | Where-Object { $_ -is [System.Management.Automation.WarningRecord] })
        $warning | Should -HaveCount 1
        $warning[0].Message | Should -Be '-NumGenerations applies to -Stage Grpo only; -Stage Dpo ignores it.'
    }

    It 'binds CSV rows with empty stage cells as "not given"' {
        $rows = @(
            [pscustomobject]@{ Model = $Llama31; Method = 'LoRA'; Stage = 'Kto'; NumGenerations = ''; RolloutMemoryFraction = '' }
            [pscustomobject]@{ Model = $Llama31; Method = 'LoRA'; Stage = ''; NumGenerations = ''; RolloutMemoryFraction = '' }
        )
        $estimates = $rows | Get-TrainingMemory
        $estimates.Stage | Should -Be @('Kto', 'Sft')
    }
}
