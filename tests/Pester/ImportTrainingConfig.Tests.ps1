# Import-TrainingConfig end to end: each format's fixture (tests/data/configs) against the run derived by hand from
# the trainer's documented behaviour (cited per case), the litgpt dev-set rows, the pipeline into Get-TrainingMemory,
# and the refusals (bad file, YAML bomb, object tags, unsupported keys). Also checks that VramPS's YamlDotNet loads
# beside another YamlDotNet (its own AssemblyLoadContext on PowerShell 7).
BeforeAll {
    . (Join-Path $PSScriptRoot 'common.ps1')
    $Configs = Join-Path $RepoRoot 'tests/data/configs'
    function Import-Quiet([string] $Path) { Import-TrainingConfig $Path -WarningAction SilentlyContinue }
}

Describe 'Import-TrainingConfig' {
    It 'is exported with -Path, -LiteralPath and -Format' {
        $command = Get-Command Import-TrainingConfig -Module VramPS
        $command.Parameters.Keys | Should -Contain 'LiteralPath'
        $command.Parameters['Format'].ParameterType | Should -Be ([Nullable[VramPS.Engine.Configs.ConfigFormat]])
        $command.OutputType.Type | Should -Be ([VramPS.Engine.Configs.TrainingConfigRun])
    }

    It 'reads an axolotl QLoRA config as axolotl does (src/axolotl/utils/schemas/config.py)' {
        $run = Import-Quiet (Join-Path $Configs 'axolotl-qlora.yml')
        $run.Format | Should -Be 'Axolotl'
        $run.Model | Should -Be 'NousResearch/Llama-2-7b-hf'
        # adapter qlora + load_in_4bit: NF4 base; bf16 auto loads the base in bf16 (normalize_config's torch_dtype)
        $run.Method | Should -Be 'QLoRA'
        $run.Quantization | Should -Be 'NF4'
        $run.Precision | Should -Be 'Bf16'
        $run.Optimizer | Should -Be 'PagedAdamW'
        $run.BatchSize | Should -Be 2
        $run.GradientAccumulation | Should -Be 4
        $run.SequenceLength | Should -Be 4096
        $run.Checkpointing | Should -Be 'Full'
        $run.Attention | Should -Be 'Flash'
        $run.LoraRank | Should -Be 32
        $run.LoraTargets | Should -Be 'all-linear'
        # Liger plugin with rms_norm/glu (fused kernels) and fused linear cross-entropy
        $run.Techniques | Should -Be ([VramPS.Engine.Techniques]'FusedKernels, FusedLinearLoss')
        $run.Framework | Should -Be 'axolotl'
        $run.Source.For('BatchSize').Origin | Should -Be 'axolotl-qlora.yml: micro_batch_size'
    }

    It 'reads LLaMA-Factory with its DeepSpeed file found beside the config, "auto" keeping the YAML values' {
        Push-Location $RepoRoot
        try { $run = Import-Quiet (Join-Path $Configs 'llamafactory-lora-ds.yaml') } finally { Pop-Location }
        $run.Format | Should -Be 'LlamaFactory'
        $run.Method | Should -Be 'LoRA'
        $run.LoraRank | Should -Be 16
        $run.LoraTargets | Should -Be 'q_proj,v_proj'
        $run.SequenceLength | Should -Be 1024
        # LLaMA-Factory checkpoints unless disable_gradient_checkpointing (model_args.py)
        $run.Checkpointing | Should -Be 'Full'
        $run.Attention | Should -Be 'Flash'
        # "auto" in the DeepSpeed JSON takes the YAML's batch and accumulation (transformers integrations/deepspeed.py)
        $run.BatchSize | Should -Be 1
        $run.GradientAccumulation | Should -Be 8
        $run.Sharding | Should -Be 'Zero3'
        $run.Offload | Should -Be 'OptimizerAndParameters'
        $run.Source.For('Sharding').Origin | Should -Be 'ds_z3_offload.json: zero_optimization.stage'
    }

    It 'warns that the GPU count of a sharded run is the launcher''s, naming -GpuCount' {
        Import-TrainingConfig (Join-Path $Configs 'llamafactory-lora-ds.yaml') -WarningVariable warnings -WarningAction SilentlyContinue | Out-Null
        ($warnings -join "`n") | Should -Match 'give -GpuCount'
    }

    It 'reads a torchtune recipe config from its model component, never instantiating it' {
        $run = Import-Quiet (Join-Path $Configs 'torchtune-qlora.yaml')
        # qlora_llama3_1_8b builds Llama-3.1-8B with an NF4 base (torchtune/models/llama3_1/_model_builders.py)
        $run.Model | Should -Be 'meta-llama/Llama-3.1-8B'
        $run.Method | Should -Be 'QLoRA'
        $run.Quantization | Should -Be 'NF4'
        $run.LoraTargets | Should -Be 'q_proj,v_proj,o_proj,gate_proj,up_proj,down_proj'
        $run.LoraRank | Should -Be 8
        $run.BatchSize | Should -Be 2
        $run.GradientAccumulation | Should -Be 8
        $run.SequenceLength | Should -Be 2048
        $run.Precision | Should -Be 'Bf16'
        $run.Checkpointing | Should -Be 'Full'
        $run.Techniques | Should -Be ([VramPS.Engine.Techniques]::ChunkedLoss)
    }

    It 'warns that torchtune max_seq_len null leaves -SequenceLength to the user' {
        $file = Join-Path $TestDrive 'tt.yaml'
        (Get-Content -Raw (Join-Path $Configs 'torchtune-qlora.yaml')) -replace 'max_seq_len: 2048', 'max_seq_len: null' | Set-Content $file
        $run = Import-TrainingConfig $file -WarningVariable warnings -WarningAction SilentlyContinue
        $run.SequenceLength | Should -BeNullOrEmpty
        ($warnings -join "`n") | Should -Match 'give -SequenceLength'
    }

    It 'reads a trl grpo config: use_peft + load_in_4bit is QLoRA, GRPO keys pick the stage (trl/trainer/grpo_config.py)' {
        $run = Import-Quiet (Join-Path $Configs 'trl-grpo.yaml')
        $run.Format | Should -Be 'Trl'
        $run.Stage | Should -Be 'Grpo'
        $run.NumGenerations | Should -Be 8
        $run.PromptLength | Should -Be 256
        $run.GenerationLength | Should -Be 512
        $run.Method | Should -Be 'QLoRA'
        $run.Quantization | Should -Be 'NF4'
        $run.LoraRank | Should -Be 32
        $run.Optimizer | Should -Be 'PagedAdamW8bit'
        $run.Attention | Should -Be 'Sdpa'
        # TRL's configs default gradient checkpointing and bf16 on
        $run.Checkpointing | Should -Be 'Full'
        $run.Precision | Should -Be 'Bf16'
    }

    It 'reads a TrainingArguments JSON with transformers'' defaults and asks for the model' {
        $run = Import-TrainingConfig (Join-Path $Configs 'training_args.json') -WarningVariable warnings -WarningAction SilentlyContinue
        $run.Format | Should -Be 'Trl'
        $run.Method | Should -Be 'Full'
        $run.Precision | Should -Be 'Fp16Mixed'
        $run.Optimizer | Should -Be 'AdamW8bit'
        $run.BatchSize | Should -Be 4
        $run.Checkpointing | Should -Be 'Full'
        ($warnings -join "`n") | Should -Match 'give -Model'
    }

    It 'reads an accelerate FSDP config (FULL_SHARD shards like ZeRO-3)' {
        $run = Import-Quiet (Join-Path $Configs 'accelerate-fsdp.yaml')
        $run.Format | Should -Be 'Accelerate'
        $run.GpuCount | Should -Be 8
        $run.Sharding | Should -Be 'Zero3'
        $run.Offload | Should -Be 'OptimizerAndParameters'
        $run.Checkpointing | Should -Be 'Full'
        $run.Precision | Should -Be 'Bf16Mixed'
    }

    It 'reads a DeepSpeed JSON on its own: train_batch_size / (micro x accumulation) is the GPU count' {
        $run = Import-Quiet (Join-Path $Configs 'ds_zero2.json')
        $run.Format | Should -Be 'DeepSpeed'
        $run.Sharding | Should -Be 'Zero2'
        $run.Offload | Should -Be 'Optimizer'
        $run.BatchSize | Should -Be 4
        $run.GradientAccumulation | Should -Be 2
        $run.GpuCount | Should -Be 8
    }

    It 'imports litgpt''s <Name> to the run of the dev-set row <Id>' -ForEach @(
        @{ Name = 'phi-2-lora'; Id = 'litgpt-hub-phi-2-lora' }
        @{ Name = 'phi-2-full'; Id = 'litgpt-hub-phi-2-full' }
        @{ Name = 'gemma-2b-full'; Id = 'litgpt-hub-gemma-2b-full' }
        @{ Name = 'gemma-7b-qlora'; Id = 'litgpt-hub-gemma-7b-qlora' }
        @{ Name = 'falcon-7b-lora'; Id = 'litgpt-hub-falcon-7b-lora' }
        @{ Name = 'llama-2-7b-qlora'; Id = 'litgpt-hub-llama-2-7b-qlora' }
        @{ Name = 'phi-3-lora'; Id = 'litgpt-hub-phi-3-lora' }
        @{ Name = 'stablelm-3b-lora'; Id = 'litgpt-hub-stablelm-3b-lora' }
    ) {
        $row = Import-Csv $DevCsv | Where-Object Id -EQ $Id
        $run = Import-Quiet (Join-Path $Configs "litgpt/$Name.yaml")
        $run.Model | Should -Be $row.Model
        foreach ($column in 'Method', 'Precision', 'Optimizer', 'BatchSize', 'SequenceLength', 'GradientAccumulation', 'Checkpointing', 'GpuCount', 'Sharding') {
            "$column=$($run.$column)" | Should -Be "$column=$($row.$column)"
        }
        "$($run.LoraRank)" | Should -Be $row.LoraRank
        "$($run.LoraTargets)" | Should -Be $row.LoraTargets
        "$($run.Quantization)" | Should -Be $row.Quantization
    }
}

Describe 'Import-TrainingConfig in the pipeline' {
    It 'pipes into Get-TrainingMemory, and a parameter given there wins over the config' {
        $run = Import-Quiet (Join-Path $Configs 'axolotl-qlora.yml')
        $estimate = $run | Get-TrainingMemory
        $estimate.BatchSize | Should -Be 2
        $estimate.Method | Should -Be 'QLoRA'
        $override = $run | Get-TrainingMemory -BatchSize 8
        $override.BatchSize | Should -Be 8
        $override.Allocated | Should -BeGreaterThan $estimate.Allocated
    }

    It 'takes piped files and wildcards, one run per file' {
        $runs = Get-ChildItem (Join-Path $Configs 'litgpt') -Filter '*.yaml' | Import-TrainingConfig -WarningAction SilentlyContinue
        $runs.Count | Should -Be 8
        (Import-TrainingConfig (Join-Path $Configs 'litgpt/phi-2-*.yaml') -WarningAction SilentlyContinue).Count | Should -Be 2
    }

    It 'pipes into Compare-FinetuneMethod and Find-GpuFit' {
        $run = Import-Quiet (Join-Path $Configs 'litgpt/llama-2-7b-qlora.yaml')
        $methods = $run | Compare-FinetuneMethod -Method LoRA, QLoRA
        @($methods).Count | Should -Be 2
        $plans = @($run | Find-GpuFit -Gpu 'A10G')
        $plans | Should -Not -BeNullOrEmpty
        $plans | ForEach-Object { $_ | Should -BeOfType ([VramPS.Engine.Planning.ClusterPlan]); $_.Gpu | Should -Be 'A10G'; $_.Method | Should -Be 'QLoRA' }
    }

    It 'reads a file as the -Format given, whatever its keys suggest' {
        $file = Join-Path $TestDrive 'ambiguous.yml'
        "checkpoint_dir: checkpoints/microsoft/phi-2`ndevices: 1`ntrain:`n  micro_batch_size: 2`n  max_seq_length: 256" | Set-Content $file
        (Import-Quiet $file).Format | Should -Be 'Litgpt'
        Import-TrainingConfig -LiteralPath $file -Format DeepSpeed -WarningVariable warnings -WarningAction SilentlyContinue |
            ForEach-Object Format | Should -Be 'DeepSpeed'
        ($warnings -join "`n") | Should -Match 'checkpoint_dir'
    }

    It 'round-trips through Export-Csv into Get-TrainingMemory' {
        $csv = Join-Path $TestDrive 'runs.csv'
        Import-Quiet (Join-Path $Configs 'litgpt/phi-2-lora.yaml') | Export-Csv $csv
        $fromCsv = Import-Csv $csv | Get-TrainingMemory
        $direct = Import-Quiet (Join-Path $Configs 'litgpt/phi-2-lora.yaml') | Get-TrainingMemory
        $fromCsv.Allocated | Should -Be $direct.Allocated
    }

    It 'shows where every setting came from in Format-List' {
        $text = Import-Quiet (Join-Path $Configs 'torchtune-qlora.yaml') | Format-List | Out-String -Width 300
        $text | Should -Match 'GradientAccumulation = 8 <- torchtune-qlora.yaml: gradient_accumulation_steps'
        $text | Should -Match 'Precision = Bf16 <- torchtune-qlora.yaml: dtype'
    }
}

Describe 'Import-TrainingConfig refusals' {
    It 'lists keys nobody reads in one warning' {
        $file = Join-Path $TestDrive 'unknown.yml'
        "base_model: meta-llama/Llama-2-7b-hf`nmicro_batch_size: 1`nsequence_len: 512`nfrobnicate: 3`nwarp_drive: true" | Set-Content $file
        Import-TrainingConfig $file -WarningVariable warnings -WarningAction SilentlyContinue | Out-Null
        $unknown = @($warnings | Where-Object { "$_" -match 'frobnicate' })
        $unknown.Count | Should -Be 1
        "$($unknown[0])" | Should -Match 'frobnicate, warp_drive'
    }

    It 'reads use_dora as -Adapter DoRA, which the estimate then holds' {
        $file = Join-Path $TestDrive 'dora.yaml'
        "model_name_or_path: meta-llama/Llama-2-7b-hf`nstage: sft`nfinetuning_type: lora`nuse_dora: true`ncutoff_len: 512" | Set-Content $file
        $run = Import-TrainingConfig $file -WarningAction SilentlyContinue
        $run.Adapter | Should -Be 'DoRA'
        ($run | Get-TrainingMemory -WarningAction SilentlyContinue).Adapter | Should -Be 'DoRA'
    }

    It 'maps use_badam to -Optimizer BAdam and refuses its ratio mode rather than estimating AdamW' {
        $file = Join-Path $TestDrive 'badam.yaml'
        "model_name_or_path: meta-llama/Llama-2-7b-hf`nstage: sft`nfinetuning_type: full`nuse_badam: true`nbadam_switch_interval: 50`ncutoff_len: 512" | Set-Content $file
        $run = Import-TrainingConfig $file -WarningAction SilentlyContinue
        $run.Optimizer | Should -Be 'BAdam'
        ($run | Get-TrainingMemory -WarningAction SilentlyContinue).TrainableParameters | Should -Be 202383360
        "model_name_or_path: meta-llama/Llama-2-7b-hf`nstage: sft`nfinetuning_type: full`nuse_badam: true`nbadam_mode: ratio" | Set-Content $file
        $run = Import-TrainingConfig $file -ErrorVariable errors -ErrorAction SilentlyContinue -WarningAction SilentlyContinue
        $run | Should -BeNullOrEmpty
        $errors[0].FullyQualifiedErrorId | Should -Be 'UnsupportedSetting,VramPS.Commands.ImportTrainingConfigCommand'
        $errors[0].Exception.Message | Should -Match 'ratio mode \(badam_mode: ratio\)'
    }

    It 'refuses malformed YAML naming the file and line' {
        $file = Join-Path $TestDrive 'bad.yml'
        "base_model: [unclosed`nmicro_batch_size: 1" | Set-Content $file
        Import-TrainingConfig $file -ErrorVariable errors -ErrorAction SilentlyContinue | Out-Null
        $errors[0].FullyQualifiedErrorId | Should -Be 'InvalidConfigFile,VramPS.Commands.ImportTrainingConfigCommand'
        $errors[0].Exception.Message | Should -Match 'bad.yml.*line'
    }

    It 'refuses a YAML bomb before expanding it' {
        $file = Join-Path $TestDrive 'bomb.yml'
        $lines = @('a: &a ["x","x","x","x","x","x","x","x","x","x"]')
        $previous = 'a'
        foreach ($name in 'b', 'c', 'd', 'e', 'f', 'g', 'h', 'i') {
            $lines += "${name}: &$name [*$previous,*$previous,*$previous,*$previous,*$previous,*$previous,*$previous,*$previous,*$previous,*$previous]"
            $previous = $name
        }
        $lines | Set-Content $file
        Import-TrainingConfig $file -ErrorVariable errors -ErrorAction SilentlyContinue | Out-Null
        $errors[0].FullyQualifiedErrorId | Should -Be 'InvalidConfigFile,VramPS.Commands.ImportTrainingConfigCommand'
        $errors[0].Exception.Message | Should -Match 'YAML bomb'
    }

    It 'refuses a tag that would construct an object' {
        $file = Join-Path $TestDrive 'tag.yml'
        "base_model: !!python/object/apply:os.system ['echo hi']`nmicro_batch_size: 1" | Set-Content $file
        Import-TrainingConfig $file -ErrorVariable errors -ErrorAction SilentlyContinue | Out-Null
        $errors[0].Exception.Message | Should -Match 'tag'
    }

    It 'reports a missing file and a value of the wrong type' {
        Import-TrainingConfig (Join-Path $TestDrive 'none.yml') -ErrorVariable errors -ErrorAction SilentlyContinue | Out-Null
        $errors[0].FullyQualifiedErrorId | Should -Be 'ConfigNotFound,VramPS.Commands.ImportTrainingConfigCommand'
        $file = Join-Path $TestDrive 'type.yml'
        "base_model: meta-llama/Llama-2-7b-hf`nmicro_batch_size: lots" | Set-Content $file
        Import-TrainingConfig $file -ErrorVariable errors2 -ErrorAction SilentlyContinue | Out-Null
        $errors2[0].Exception.Message | Should -Match "micro_batch_size' is 'lots'; expected a whole number"
    }
}

Describe 'VramPS beside another YamlDotNet' {
    # Loading YamlDotNet 16 into PowerShell's default context after another YamlDotNet fails ("Assembly with same name
    # is already loaded"); VramPS must load its own in its AssemblyLoadContext and read YAML all the same.
    It 'imports and reads YAML after a YamlDotNet 11.0.0.0 has loaded' -Skip:($PSVersionTable.PSEdition -ne 'Core') {
        $stub = Join-Path $TestDrive 'YamlDotNet.dll'
        Add-Type -TypeDefinition 'public static class VramPSStubWarmup { }'
        $source = '[assembly: System.Reflection.AssemblyVersion("11.0.0.0")] namespace YamlDotNet { public static class Stub { } }'
        [Microsoft.CodeAnalysis.SyntaxTree[]] $trees = [Microsoft.CodeAnalysis.CSharp.CSharpSyntaxTree]::ParseText($source)
        [Microsoft.CodeAnalysis.MetadataReference[]] $references = [Microsoft.CodeAnalysis.MetadataReference]::CreateFromFile([object].Assembly.Location)
        $options = [Microsoft.CodeAnalysis.CSharp.CSharpCompilationOptions]::new([Microsoft.CodeAnalysis.OutputKind]::DynamicallyLinkedLibrary)
        $stream = [IO.File]::Create($stub)
        try { $emitted = [Microsoft.CodeAnalysis.CSharp.CSharpCompilation]::Create('YamlDotNet', $trees, $references, $options).Emit($stream) }
        finally { $stream.Dispose() }
        $emitted.Success | Should -BeTrue
        $manifest = Join-Path $RepoRoot 'module/VramPS.psd1'
        $config = Join-Path $Configs 'axolotl-qlora.yml'
        $script = "Add-Type -Path '$stub'; Import-Module '$manifest'; `$r = Import-TrainingConfig '$config' -WarningAction SilentlyContinue; " +
            "`$y = [AppDomain]::CurrentDomain.GetAssemblies() | Where-Object { `$_.GetName().Name -eq 'YamlDotNet' } | ForEach-Object { `$_.GetName().Version.Major } | Sort-Object; " +
            "'{0}|{1}' -f `$r.BatchSize, (`$y -join ',')"
        # Under `dotnet pwsh` the process is dotnet, which runs pwsh.dll
        $executable = [Environment]::ProcessPath
        [string[]] $hostArguments = if ((Split-Path $executable -Leaf) -like 'dotnet*') { [Environment]::GetCommandLineArgs()[0] } else { @() }
        $output = & $executable @hostArguments -NoProfile -NonInteractive -Command $script
        $output | Should -Be '2|11,16'
    }
}
