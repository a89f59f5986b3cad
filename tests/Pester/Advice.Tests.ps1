# Issue 12, "Advice and planning": each case runs the user's own command. Expected values come from separate
# estimates of the changed run (Get-TrainingMemory with the one setting changed) and the GPU's capacity from the
# catalog, never from the advice itself.
BeforeAll {
    . $PSScriptRoot/common.ps1
    $Llama8 = 'meta-llama/Llama-3.1-8B'
    $Rtx = Get-VramGpu RTX-4090
}

Describe 'Advice on a run that does not fit one GPU' {
    It 'plans LoRA on one RTX 4090 with checkpointing, not on more GPUs' {
        $plans = @(Get-VramModel $Llama8 | Find-GpuFit -Method LoRA -Gpu RTX-4090)
        $plans | Should -BeOfType ([VramPS.Engine.Planning.ClusterPlan])
        $one = $plans | Where-Object GpuCount -eq 1
        $one | Should -Not -BeNullOrEmpty
        $one.Checkpointing | Should -Not -Be 'None'
        $one.Changes | Should -Contain "Checkpointing None -> $($one.Checkpointing)"
        $one.Total | Should -Be (Get-TrainingMemory -Model $Llama8 -Method LoRA -Checkpointing $one.Checkpointing -Gpu RTX-4090).Total
        $one.Total | Should -BeLessOrEqual $Rtx.MemoryBytes
    }

    It 'names the cheapest change that fits before more GPUs' {
        # Without checkpointing the run holds more than the card's 24 GiB; with it, less.
        $asGiven = Get-TrainingMemory -Model $Llama8 -Method LoRA -Gpu RTX-4090
        $asGiven.Total | Should -BeGreaterThan $Rtx.MemoryBytes
        (Get-TrainingMemory -Model $Llama8 -Method LoRA -Checkpointing Full -Gpu RTX-4090).Total | Should -BeLessOrEqual $Rtx.MemoryBytes
        $fit = Get-TrainingMemory -Model $Llama8 -Method LoRA | Find-GpuFit -Gpu RTX-4090
        $fit.Fits | Should -BeFalse
        $fit.FitsWith | Should -Be 'Checkpointing None -> Full'
        $fit.WhyNot | Should -BeLike ('needs {0:0.0} GiB, has {1:0.0} GiB; fits with Checkpointing None -> Full*' -f ($asGiven.Total / 1GB), ($Rtx.MemoryBytes / 1GB))
    }
}

Describe 'Advice for Llama-3.1-8B QLoRA at 4 x 4096 on an RTX 4090' {
    BeforeAll {
        $Run = @{ Model = $Llama8; Method = 'QLoRA'; BatchSize = 4; SequenceLength = 4096; Gpu = 'RTX-4090' }
        $Estimate = Get-TrainingMemory @Run
        $Suggestions = @($Estimate.Suggestions)
    }

    It 'offers the loss techniques and Unsloth, each its own estimate' {
        foreach ($case in @(
                @{ Change = 'Techniques None -> FusedLinearLoss'; Setting = @{ Techniques = 'FusedLinearLoss' } },
                @{ Change = 'Techniques None -> ChunkedLoss'; Setting = @{ Techniques = 'ChunkedLoss' } },
                @{ Change = 'Framework HF-Trainer -> Unsloth'; Setting = @{ Framework = 'Unsloth' } })) {
            $setting = $case.Setting
            $expected = (Get-TrainingMemory @Run @setting).Total
            $suggestion = $Suggestions | Where-Object Change -eq $case.Change
            $suggestion | Should -Not -BeNullOrEmpty -Because $case.Change
            $suggestion.Total | Should -Be $expected
            $suggestion.Saves | Should -Be ($Estimate.Total - $expected)
            $suggestion.Fits | Should -Be ($expected -le $Rtx.MemoryBytes)
        }
    }

    It 'offers the longest halving of the sequence that fits' {
        # 4096 and its halving, 2048, do not fit the card; 1024 does.
        (Get-TrainingMemory @Run -SequenceLength 2048).Total | Should -BeGreaterThan $Rtx.MemoryBytes
        (Get-TrainingMemory @Run -SequenceLength 1024).Total | Should -BeLessOrEqual $Rtx.MemoryBytes
        $sequence = $Suggestions | Where-Object Kind -eq 'SequenceLength'
        $sequence.Change | Should -Be 'SequenceLength 4096 -> 1024'
        $sequence.Total | Should -Be (Get-TrainingMemory @Run -SequenceLength 1024).Total
    }

    It 'ranks by what each saves and drops what saves under 1%' {
        $saves = @($Suggestions.Saves)
        $saves | Should -Be ($saves | Sort-Object -Descending)
        foreach ($s in $Suggestions) { $s.Saves | Should -BeGreaterOrEqual ($Estimate.Total / 100) }
        # An 8-bit optimizer saves only the adapters' states here: 3.4M trainable parameters x 6 bytes.
        $eightBit = (Get-TrainingMemory @Run -Optimizer AdamW8bit).Total
        ($Estimate.Total - $eightBit) | Should -BeLessThan ($Estimate.Total / 100)
        $Suggestions.Change | Should -Not -Contain 'Optimizer AdamW -> AdamW8bit'
    }

    It 'states the loss path each technique runs' {
        (Get-TrainingMemory @Run).Assumptions | Should -Contain 'transformers 4.46-4.49 loss path (bf16 logits kept, fp32 copy, shifted copy)'
        $fused = (Get-TrainingMemory @Run -Techniques FusedLinearLoss).Assumptions
        $fused | Should -Not -Contain 'transformers 4.46-4.49 loss path (bf16 logits kept, fp32 copy, shifted copy)'
        $fused | Should -Contain 'transformers 4.46 (its loss path unused: the fused linear cross-entropy never materializes the logits)'
        (Get-TrainingMemory @Run -Techniques ChunkedLoss).Assumptions | Should -Contain 'transformers 4.46 loss path (bf16 logits kept; the fast cross-entropy keeps no fp32 log-softmax copies)'
    }
}

Describe 'Planning with -Gpu' {
    BeforeAll {
        $Plan = @{ Model = 'meta-llama/Llama-3.1-70B'; Method = 'Full'; SequenceLength = 4096; MaxGpus = 64 }
    }

    It 'plans as Get-VramGpu piped does, within -Budget' {
        $named = @(Find-GpuFit @Plan -Gpu H100-SXM -Budget 5000)
        $piped = @(Get-VramGpu H100-SXM | Find-GpuFit @Plan -Budget 5000)
        $named | Should -Not -BeNullOrEmpty
        $named.GpuCount | Should -Be $piped.GpuCount
        $named.Cost | Should -Be $piped.Cost
        foreach ($p in $named) {
            $p.Cost | Should -BeLessOrEqual 5000
            $p.Total | Should -BeLessOrEqual (Get-VramGpu H100-SXM).MemoryBytes
        }
    }

    It 'says why a budget leaves no plan' {
        $cheapest = (Find-GpuFit @Plan -Gpu H100-SXM | Measure-Object Cost -Minimum).Minimum
        $plans = Find-GpuFit @Plan -Gpu H100-SXM -Budget 50 -WarningVariable warned -WarningAction SilentlyContinue
        $plans | Should -BeNullOrEmpty
        $warned | Should -HaveCount 1
        "$warned" | Should -BeLike ('*H100-SXM: the cheapest plan that fits costs {0:0.00} USD, over -Budget 50.00*' -f $cheapest)
    }

    It 'sums up in one warning why a sweep of the catalog finds no plan' {
        $cheapest = (Find-GpuFit @Plan | Where-Object Cost | Measure-Object Cost -Minimum).Minimum
        Find-GpuFit @Plan -Budget 50 -WarningVariable warned -WarningAction SilentlyContinue | Should -BeNullOrEmpty
        $warned | Should -HaveCount 1
        "$warned" | Should -BeLike ('No plan for meta-llama/Llama-3.1-70B: on *, the cheapest plan that fits costs {0:0.00} USD, over -Budget 50.00; *' -f $cheapest)
        "$warned" | Should -BeLike '*; T4, V100-16GB, V100-32GB: has no bf16 (-Precision Bf16Mixed): use -Precision Fp16Mixed or Fp32*'
    }

    It 'says why -MaxGpus leaves no plan' {
        Find-GpuFit @Plan -Gpu H100-SXM -MaxGpus 1 -WarningVariable warned -WarningAction SilentlyContinue | Should -BeNullOrEmpty
        "$warned" | Should -BeLike '*H100-SXM: no layout fits on up to 1 GPUs (-MaxGpus 1)*'
    }

    It 'honours the Gpu column of a plan file' {
        $rows = "Model,Method,Gpu`nmeta-llama/Llama-3.2-1B,LoRA,L4`nmeta-llama/Llama-3.2-1B,LoRA,A100-80GB" | ConvertFrom-Csv
        $plans = @($rows | Find-GpuFit -MaxGpus 1 -WarningVariable warned -WarningAction SilentlyContinue)
        ($plans.Gpu | Sort-Object -Unique) | Should -Be @('A100-80GB', 'L4')
        "$warned" | Should -Not -Match 'sets nothing'
    }

    It 'names the row of a Gpu cell the catalog lacks and still plans the other rows' {
        $rows = "Model,Method,Gpu`nmeta-llama/Llama-3.2-1B,LoRA,NoSuchGpu`nmeta-llama/Llama-3.2-1B,LoRA,L4" | ConvertFrom-Csv
        $plans = @($rows | Find-GpuFit -MaxGpus 1 -ErrorVariable failed -ErrorAction SilentlyContinue)
        ($plans.Gpu | Sort-Object -Unique) | Should -Be 'L4'
        $failed | Should -HaveCount 1
        $failed[0].FullyQualifiedErrorId | Should -BeLike 'UnknownGpu,*'
        "$failed" | Should -BeLike 'Row 1: *NoSuchGpu*'
    }

    It 'plans a row with an empty Gpu cell on the catalog, as any other empty cell means not given' {
        $rows = "Model,Method,Gpu`nmeta-llama/Llama-3.2-1B,LoRA," | ConvertFrom-Csv
        $plans = @($rows | Find-GpuFit -MaxGpus 1 -ErrorVariable failed)
        $failed | Should -BeNullOrEmpty
        $catalog = @(Find-GpuFit -Model meta-llama/Llama-3.2-1B -Method LoRA -MaxGpus 1)
        $plans.Count | Should -Be $catalog.Count
        ($plans.Gpu | Sort-Object -Unique) | Should -Be ($catalog.Gpu | Sort-Object -Unique)
    }

    It 'warns when -Gpu wildcards match no GPU' {
        Find-GpuFit -Model meta-llama/Llama-3.2-1B -Method LoRA -Gpu 'NoSuchGpu*' -WarningVariable warned -WarningAction SilentlyContinue | Should -BeNullOrEmpty
        "$warned" | Should -Be 'No plan: -Gpu NoSuchGpu* matches no GPU of the catalog.'
    }
}

Describe 'One rule for bf16 on a GPU without it' {
    BeforeAll {
        $T4 = Get-VramGpu T4
        $Small = @{ Model = 'meta-llama/Llama-3.2-1B'; Method = 'LoRA'; Precision = 'Bf16' }
    }

    It 'gives the same answer from Get-TrainingMemory and Find-GpuFit' {
        $T4.SupportsBf16 | Should -BeFalse
        # Memory is not the reason: the run is far below the card's 15 GiB.
        (Get-TrainingMemory @Small).Total | Should -BeLessThan $T4.MemoryBytes
        $estimate = Get-TrainingMemory @Small -Gpu T4
        $fit = Get-TrainingMemory @Small | Find-GpuFit -Gpu T4
        $estimate.Fits | Should -BeFalse
        $fit.Fits | Should -BeFalse
        $fit.WhyNot | Should -Be 'T4 has no bf16 (-Precision Bf16): use -Precision Fp16 or Fp32'
        $estimate.Suggestions.Change | Should -Be 'Precision Bf16 -> Fp16'
        $fit.Suggestions.Change | Should -Be 'Precision Bf16 -> Fp16'
        (Get-TrainingMemory @Small -Gpu T4 -Precision Fp16).Fits | Should -BeTrue
    }

    It 'says why a plan on it is empty' {
        Find-GpuFit @Small -Gpu T4 -WarningVariable warned -WarningAction SilentlyContinue | Should -BeNullOrEmpty
        "$warned" | Should -BeLike '*T4: T4 has no bf16 (-Precision Bf16)*'
    }
}

Describe 'Compare-FinetuneMethod like with like' {
    It 'runs every method with the same checkpointing and says whether each fits' {
        $rows = Compare-FinetuneMethod -Model $Llama8 -Gpu RTX-4090
        $rows.Checkpointing | Sort-Object -Unique | Should -Be 'Full'
        foreach ($row in $rows) {
            $expected = (Get-TrainingMemory -Model $Llama8 -Method $row.Method -Checkpointing Full -Gpu RTX-4090).Total
            $row.Total | Should -Be $expected
            $row.Fits | Should -Be ($expected -le $Rtx.MemoryBytes)
        }
    }

    It 'keeps each method''s framework default with -FrameworkDefaults' {
        $rows = Compare-FinetuneMethod -Model $Llama8 -Method LoRA, QLoRA -Gpu RTX-4090 -FrameworkDefaults
        ($rows | Where-Object Method -eq 'LoRA').Checkpointing | Should -Be 'None'
        ($rows | Where-Object Method -eq 'QLoRA').Checkpointing | Should -Be 'Full'
        ($rows | Where-Object Method -eq 'LoRA').Total | Should -Be (Get-TrainingMemory -Model $Llama8 -Method LoRA -Gpu RTX-4090).Total
    }

    It 'keeps Method and Checkpointing when piped to Find-GpuFit' {
        $plans = @(Compare-FinetuneMethod -Model $Llama8 -Method LoRA, QLoRA | Find-GpuFit -Gpu RTX-4090 -MaxGpus 1)
        ($plans.Method | Sort-Object -Unique) | Should -Be @('LoRA', 'QLoRA')
        $plans.Checkpointing | Sort-Object -Unique | Should -Be 'Full'
    }
}

Describe 'Planning an alignment stage' {
    It 'plans GRPO with a colocated engine on each GPU''s own memory' {
        # The engine reserves 30% of the GPU it runs on, so each plan must be the estimate on that GPU.
        $plans = @(Find-GpuFit -Model Qwen/Qwen2.5-1.5B-Instruct -Stage Grpo -Method LoRA -RolloutMemoryFraction 0.3 -Gpu RTX-4090, H100-SXM -MaxGpus 1)
        ($plans.Gpu | Sort-Object -Unique) | Should -Be @('H100-SXM', 'RTX-4090')
        foreach ($p in $plans) {
            $p.Total | Should -Be ($p | Get-TrainingMemory -Gpu $p.Gpu).Total
            $p.Total | Should -BeLessOrEqual $p.MemoryBytes
        }
    }
}
