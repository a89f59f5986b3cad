# Combinations no trainer runs are refused with a typed error naming the parameters; what VramPS cannot know or
# suspects will not run comes as a PowerShell warning and stays on the estimate (issue #12).
BeforeAll {
    . $PSScriptRoot/common.ps1
}

Describe 'Refusals' {
    It 'refuses -Method Full -Quantization NF4: quantized weights cannot train' {
        Get-TrainingMemory -Model meta-llama/Llama-3.1-8B -Method Full -Quantization NF4 -ErrorVariable err -ErrorAction SilentlyContinue -WarningAction SilentlyContinue
        $err | Should -HaveCount 1
        $e = $err[0]
        $e.FullyQualifiedErrorId | Should -Be 'InvalidWorkload,VramPS.Commands.GetTrainingMemoryCommand'
        $e.CategoryInfo.Category | Should -Be 'InvalidArgument'
        $e.Exception.Message | Should -Match '-Method Full.*-Quantization NF4'
    }

    It 'refuses a -LoraTargets of separators alone, as a parameter and as a CSV cell, and reads a blank one as not given' {
        { Get-TrainingMemory -Model Qwen/Qwen2.5-1.5B -Method LoRA -LoraTargets ',' -ErrorAction Stop -WarningAction SilentlyContinue } |
            Should -Throw -ErrorId 'ParameterArgumentTransformationError,VramPS.Commands.GetTrainingMemoryCommand'
        [pscustomobject]@{ Model = 'Qwen/Qwen2.5-1.5B'; Method = 'LoRA'; LoraTargets = ',,' } |
            Get-TrainingMemory -ErrorVariable err -ErrorAction SilentlyContinue -WarningAction SilentlyContinue
        $err[0].FullyQualifiedErrorId | Should -BeLike 'InvalidPipelineValue,*'
        $err[0].Exception.Message | Should -Match 'column LoraTargets'
        $blank = [pscustomobject]@{ Model = 'Qwen/Qwen2.5-1.5B'; Method = 'LoRA'; LoraTargets = '' } | Get-TrainingMemory -WarningAction SilentlyContinue
        # peft's default targets for Qwen2 are q_proj and v_proj (TRANSFORMERS_MODELS_TO_LORA_TARGET_MODULES_MAPPING).
        @($blank.LoraTargets) | Should -Be @('q_proj', 'v_proj')
    }

    It 'matches -LoraTargets as peft does, case included: Q_PROJ alone is refused, beside q_proj it is skipped with a warning' {
        # peft's check_target_module_exists: re.fullmatch or key.endswith('.' + target), both case-sensitive, and
        # inject_adapter raises "Target modules ... not found" only when no target matches.
        Get-TrainingMemory -Model Qwen/Qwen2.5-1.5B -Method LoRA -LoraTargets Q_PROJ -ErrorVariable err -ErrorAction SilentlyContinue -WarningAction SilentlyContinue
        $err[0].FullyQualifiedErrorId | Should -BeLike 'InvalidWorkload,*'
        $err[0].Exception.Message | Should -Match "'Q_PROJ' is not a linear module .*did you mean 'q_proj'"
        $e = Get-TrainingMemory -Model Qwen/Qwen2.5-1.5B -Method LoRA -LoraTargets 'q_proj,V_PROJ' -WarningVariable warn -WarningAction SilentlyContinue
        @($e.LoraTargets) | Should -Be @('q_proj')
        ($warn -join "`n") | Should -Match "V_PROJ \(peft matches names exactly, case included: did you mean 'v_proj'\?\)"
    }

    It 'gives the same case hint in the warning as in the assumption, for the head too (LM_HEAD beside q_proj)' {
        $e = Get-TrainingMemory -Model Qwen/Qwen2.5-1.5B -Method LoRA -LoraTargets 'q_proj,LM_HEAD' -WarningVariable warn -WarningAction SilentlyContinue
        ($e.Assumptions -join "`n") | Should -Match "LM_HEAD \(peft matches names exactly, case included: did you mean 'lm_head'\?\)"
        ($warn -join "`n") | Should -Match "LM_HEAD \(peft matches names exactly, case included: did you mean 'lm_head'\?\)"
    }

    It 'refuses -Method Freeze with a quantized base too' {
        Get-TrainingMemory -Params 7B -Method Freeze -Quantization Int8 -ErrorVariable err -ErrorAction SilentlyContinue -WarningAction SilentlyContinue
        $err[0].Exception.Message | Should -Match '-Method Freeze.*-Quantization Int8'
    }

    It 'refuses -TrainableLayers above the model''s 32 blocks (Llama 3.1 8B: num_hidden_layers 32)' {
        Get-TrainingMemory -Model meta-llama/Llama-3.1-8B -Method Freeze -TrainableLayers 33 -ErrorVariable err -ErrorAction SilentlyContinue -WarningAction SilentlyContinue
        $err[0].FullyQualifiedErrorId | Should -BeLike 'InvalidWorkload,*'
        $err[0].Exception.Message | Should -Match '-TrainableLayers 33 .* 32 blocks'
        (Get-TrainingMemory -Model meta-llama/Llama-3.1-8B -Method Freeze -TrainableLayers 32 -WarningAction SilentlyContinue).TrainableLayers | Should -Be 32
    }

    It 'refuses -Framework Megatron-LM -Method QLoRA: Megatron-LM has no bitsandbytes base' {
        Get-TrainingMemory -Model meta-llama/Llama-3.1-8B -Method QLoRA -Framework Megatron-LM -ErrorVariable err -ErrorAction SilentlyContinue -WarningAction SilentlyContinue
        $err[0].FullyQualifiedErrorId | Should -BeLike 'InvalidWorkload,*'
        $err[0].Exception.Message | Should -Match '-Framework Megatron-LM .*-Method QLoRA'
        (Get-TrainingMemory -Model meta-llama/Llama-3.1-8B -Method LoRA -Framework Megatron-LM -WarningAction SilentlyContinue).Framework | Should -Be 'Megatron-LM'
    }

    It 'refuses torchtitan''s parameter offload without fully_shard, naming -Offload and -Sharding (parallelize_llama.py@9dec370: CPUOffloadPolicy only in apply_fsdp)' {
        Get-TrainingMemory -Model meta-llama/Llama-3.1-8B -Framework torchtitan -GpuCount 8 -Sharding None -Offload OptimizerAndParameters -ErrorVariable err -ErrorAction SilentlyContinue -WarningAction SilentlyContinue
        $err | Should -HaveCount 1
        $err[0].FullyQualifiedErrorId | Should -Be 'InvalidWorkload,VramPS.Commands.GetTrainingMemoryCommand'
        $err[0].Exception.Message | Should -Match '-Offload OptimizerAndParameters needs -Sharding Zero3.*not -Sharding None'
        (Get-TrainingMemory -Model meta-llama/Llama-3.1-8B -Framework torchtitan -GpuCount 8 -Offload OptimizerAndParameters -WarningAction SilentlyContinue).Sharding | Should -Be 'Zero3'
    }

    It 'refuses the same in a CSV row and goes on with the next' {
        $rows = "Model,Method,Quantization`nmeta-llama/Llama-3.1-8B,Full,NF4`nmeta-llama/Llama-3.1-8B,QLoRA,NF4" | ConvertFrom-Csv
        $out = $rows | Get-TrainingMemory -ErrorVariable err -ErrorAction SilentlyContinue -WarningAction SilentlyContinue
        $err | Should -HaveCount 1
        @($out).Count | Should -Be 1
        $out.Method | Should -Be 'QLoRA'
    }
}

Describe 'Warnings' {
    It 'warns about -Attention Flash on a <Gpu> (compute capability <Cc>), which FlashAttention-2 does not support' -TestCases @(
        @{ Gpu = 'T4'; Cc = '7.5' }
        @{ Gpu = 'V100-32GB'; Cc = '7.0' }
    ) {
        $e = Get-TrainingMemory -Params 7B -Method LoRA -Precision Fp16Mixed -Attention Flash -Gpu $Gpu -WarningVariable warned -WarningAction SilentlyContinue
        "$warned" | Should -Match "-Attention Flash on $Gpu \(compute capability $([regex]::Escape($Cc))\)"
        $e.Warnings | Should -Match '-Attention Flash'
    }

    It 'does not warn about Flash on an Ampere GPU' {
        $e = Get-TrainingMemory -Params 7B -Method LoRA -Attention Flash -Gpu A100-80GB -WarningVariable warned -WarningAction SilentlyContinue
        $warned | Should -BeNullOrEmpty
        $e.Warnings | Should -BeNullOrEmpty
    }

    It 'warns about -Attention Flash with -Precision Fp32' {
        $e = Get-TrainingMemory -Params 7B -Method Full -Precision Fp32 -Attention Flash -Gpu H100-SXM -WarningVariable warned -WarningAction SilentlyContinue
        "$warned" | Should -Match '-Attention Flash with -Precision Fp32'
        $e.Warnings | Should -HaveCount 1
    }

    It 'warns about a sequence longer than the model''s context (max_position_embeddings 4096)' {
        $folder = Join-Path $TestDrive 'llama2'
        New-Item -ItemType Directory $folder | Out-Null
        @{
            model_type = 'llama'; hidden_size = 4096; intermediate_size = 11008; num_hidden_layers = 32; max_position_embeddings = 4096
            num_attention_heads = 32; num_key_value_heads = 32; vocab_size = 32000; tie_word_embeddings = $false
        } | ConvertTo-Json | Set-Content (Join-Path $folder 'config.json')
        $e = Get-TrainingMemory -ConfigPath $folder -Method LoRA -SequenceLength 8192 -Gpu H100-SXM -WarningVariable warned -WarningAction SilentlyContinue
        "$warned" | Should -Match '-SequenceLength 8192 is longer than the 4096 positions'
        $e.Warnings | Should -HaveCount 1
        Get-TrainingMemory -ConfigPath $folder -Method LoRA -SequenceLength 4096 -Gpu H100-SXM -WarningVariable quiet -WarningAction SilentlyContinue | Out-Null
        $quiet | Should -BeNullOrEmpty
    }

    It 'warns about a sequence longer than a catalog model''s context (Llama-2-7b-hf config.json: max_position_embeddings 4096)' {
        $e = Get-TrainingMemory -Model meta-llama/Llama-2-7b-hf -SequenceLength 8192 -Gpu H100-SXM -WarningVariable warned -WarningAction SilentlyContinue
        @($warned) | Should -HaveCount 1
        "$warned" | Should -Match '^-SequenceLength 8192 is longer than the 4096 positions of '
        $e.Warnings | Should -Be "$warned"
        Get-TrainingMemory -Model meta-llama/Llama-2-7b-hf -SequenceLength 4096 -Gpu H100-SXM -WarningVariable quiet -WarningAction SilentlyContinue | Out-Null
        $quiet | Should -BeNullOrEmpty
    }

    It 'warns about a Llama-3.1 sequence only beyond its 131072 positions (config.json max_position_embeddings)' {
        Get-TrainingMemory -Model meta-llama/Llama-3.1-8B -Method QLoRA -SequenceLength 131072 -Gpu H100-SXM -WarningVariable quiet -WarningAction SilentlyContinue | Out-Null
        $quiet | Should -BeNullOrEmpty
        Get-TrainingMemory -Model meta-llama/Llama-3.1-8B -Method QLoRA -SequenceLength 131073 -Gpu H100-SXM -WarningVariable warned -WarningAction SilentlyContinue | Out-Null
        "$warned" | Should -Match '^-SequenceLength 131073 is longer than the 131072 positions'
    }

    It 'writes the context warning of Find-GpuFit''s plans once (Llama-2-7b-hf: 4096 positions)' {
        $plans = Find-GpuFit -Model meta-llama/Llama-2-7b-hf -Method LoRA -SequenceLength 8192 -Gpu H100-SXM -WarningVariable warned -WarningAction SilentlyContinue
        $plans | Should -Not -BeNullOrEmpty
        @($warned) | Should -HaveCount 1
        "$warned" | Should -Match '^-SequenceLength 8192 is longer than the 4096 positions'
    }

    It 'writes the warnings of Compare-FinetuneMethod''s rows once each (flash-attn README: no Turing GPU)' {
        $rows = Compare-FinetuneMethod -Params 7B -Attention Flash -Gpu T4 -WarningVariable warned -WarningAction SilentlyContinue
        @($rows).Count | Should -BeGreaterThan 1
        @($warned) | Should -HaveCount 1
        "$warned" | Should -Match '^-Attention Flash on T4 \(compute capability 7\.5\)'
    }

    It 'writes the warnings of Find-GpuFit''s estimate tried on each GPU, once per GPU that draws one' {
        $fits = Get-TrainingMemory -Params 7B -Method LoRA -Attention Flash -Gpu H100-SXM |
            Find-GpuFit -Gpu T4, V100-32GB, A100-80GB -WarningVariable warned -WarningAction SilentlyContinue
        $fits | Should -HaveCount 3
        @($warned) | Should -HaveCount 2
        "$($warned[0])" | Should -Match '^-Attention Flash on T4 '
        "$($warned[1])" | Should -Match '^-Attention Flash on V100-32GB '
    }

    It 'writes the warnings of Find-GpuFit''s plans once, however many plans share them' {
        $plans = Find-GpuFit -Params 7B -Method LoRA -Precision Fp16 -Attention Flash -Gpu T4 -MaxGpus 8 -WarningVariable warned -WarningAction SilentlyContinue
        $plans | Should -Not -BeNullOrEmpty
        @($warned) | Should -HaveCount 1
        "$warned" | Should -Match '^-Attention Flash on T4 '
    }

    It 'says which CUDA context it counted when no -Gpu is given' {
        $e = Get-TrainingMemory -Params 7B -Method LoRA -WarningVariable warned -WarningAction SilentlyContinue
        "$warned" | Should -Match 'no -Gpu given: Total counts a CUDA context of 1343 MiB'
        $e.Warnings | Should -Be "$warned"
    }

    It 'keeps the warnings in Export-Csv' {
        $row = Get-TrainingMemory -Params 7B -Method LoRA -WarningAction SilentlyContinue | ConvertTo-Csv | ConvertFrom-Csv
        $row.Warnings | Should -Match '^no -Gpu given'
    }
}
