BeforeAll {
    . $PSScriptRoot/common.ps1
    $CommandName = 'VramPS.Commands.GetTrainingMemoryCommand'
}

Describe 'Get-TrainingMemory parameters' {
    BeforeAll {
        $command = Get-Command Get-TrainingMemory
    }

    It 'has the Model, Config and Params parameter sets, and a NoModel set by default' {
        $command.ParameterSets.Name | Sort-Object | Should -Be @('Config', 'Model', 'NoModel', 'Params')
        $command.DefaultParameterSet | Should -Be 'NoModel'
    }

    It 'makes -<Name> mandatory in its own set only' -TestCases @(
        @{ Name = 'Model'; Set = 'Model' }
        @{ Name = 'ConfigPath'; Set = 'Config' }
        @{ Name = 'Params'; Set = 'Params' }
    ) {
        $sets = $command.Parameters[$Name].ParameterSets
        $sets.Keys | Should -Be @($Set)
        $sets[$Set].IsMandatory | Should -BeTrue
    }

    It 'binds -<_> by property name from the pipeline in its set' -TestCases 'Model', 'ConfigPath', 'Params' {
        $command.Parameters[$_].ParameterSets.Values.ValueFromPipelineByPropertyName | Should -Not -Contain $false
    }

    It 'reads -<_> from a piped property through its own argument reader, not PowerShell''s lenient binding' -TestCases ($WorkloadParameters + 'Method', 'Precision', 'Optimizer', 'Gpu') {
        $parameter = $command.Parameters[$_]
        $parameter | Should -Not -BeNullOrEmpty
        @($parameter.Attributes | Where-Object { $_ -is [VramPS.Transformation.SettingTransformationAttribute] }) | Should -HaveCount 1
        $parameter.ParameterSets.Values.ValueFromPipelineByPropertyName | Should -Not -Contain $true
    }

    It 'gives -<_> a nullable type so an absent setting stays "not given"' -TestCases @(
        'BatchSize', 'SequenceLength', 'GradientAccumulation', 'Checkpointing', 'Attention', 'LoraRank', 'Quantization',
        'TrainableLayers', 'GpuCount', 'Sharding', 'Offload', 'Method', 'Precision', 'Optimizer') {
        [Nullable]::GetUnderlyingType($command.Parameters[$_].ParameterType) | Should -Not -BeNullOrEmpty
    }

    It 'takes Model at position 0 and Method at position 1' {
        $command.Parameters['Model'].ParameterSets['Model'].Position | Should -Be 0
        $command.Parameters['Method'].ParameterSets['Model'].Position | Should -Be 1
    }

    It 'tab-completes -<Parameter> from <Prefix>' -TestCases @(
        @{ Parameter = 'Model'; Prefix = 'meta-llama/Llama-2-7'; Expected = 'meta-llama/Llama-2-7b-hf' }
        @{ Parameter = 'Framework'; Prefix = 'llama-f'; Expected = 'LLaMA-Factory' }
        @{ Parameter = 'Framework'; Prefix = 'fms'; Expected = 'fms-acceleration' }
        @{ Parameter = 'Gpu'; Prefix = 'h100'; Expected = 'H100-SXM' }
        @{ Parameter = 'Method'; Prefix = 'QL'; Expected = 'QLoRA' }
    ) {
        $line = "Get-TrainingMemory -$Parameter $Prefix"
        $completions = TabExpansion2 -inputScript $line -cursorColumn $line.Length
        $completions.CompletionMatches.CompletionText | Should -Contain $Expected
    }

    It 'completes -Techniques after a comma with the techniques not yet listed, never None beside one' {
        # The Techniques flags: None, ChunkedLoss, FusedLinearLoss, FusedKernels, Compile, ActivationOffload, OptimizerInBackward.
        $line = 'Get-TrainingMemory -Params 7B -Techniques ChunkedLoss,'
        (TabExpansion2 -inputScript $line -cursorColumn $line.Length).CompletionMatches.CompletionText |
            Should -Be @('FusedLinearLoss', 'FusedKernels', 'Compile', 'ActivationOffload', 'OptimizerInBackward')
        $line = 'Find-GpuFit -Params 7B -Techniques ChunkedLoss, FusedKernels, Fu'
        (TabExpansion2 -inputScript $line -cursorColumn $line.Length).CompletionMatches.CompletionText | Should -Be 'FusedLinearLoss'
    }

    It 'takes -Techniques as a comma list, an array or a flags value, and refuses an unknown name' {
        (Get-TrainingMemory -Params 7B -Method LoRA -Techniques ChunkedLoss, FusedKernels -Gpu H100-SXM).Techniques |
            Should -Be ([VramPS.Engine.Techniques]'ChunkedLoss, FusedKernels')
        (Get-TrainingMemory -Params 7B -Method LoRA -Techniques ([VramPS.Engine.Techniques]::Compile) -Gpu H100-SXM).Techniques |
            Should -Be ([VramPS.Engine.Techniques]::Compile)
        { Get-TrainingMemory -Params 7B -Method LoRA -Techniques Bogus -Gpu H100-SXM -ErrorAction Stop } |
            Should -Throw -ExpectedMessage "*'Bogus' is not a Techniques. Allowed: None, ChunkedLoss*"
    }
}

Describe 'Get-TrainingMemory output' {
    It 'returns one estimate whose byte terms are [long]' {
        $estimate = Get-TrainingMemory -Params 7B -Method QLoRA
        $estimate | Should -HaveCount 1
        $estimate | Should -BeOfType ([VramPS.Engine.Estimation.TrainingMemoryEstimate])
        foreach ($term in 'Weights', 'Gradients', 'OptimizerStates', 'Activations', 'Other', 'Allocated', 'Reserved', 'Total') {
            $estimate.$term | Should -BeOfType ([long])
        }
        $estimate.Total | Should -BeGreaterThan 0
    }

    It 'lists the defaults it took in Assumptions' {
        $estimate = Get-TrainingMemory -Params 7B -Method QLoRA
        $estimate.Assumptions | Should -Not -BeNullOrEmpty
        ($estimate.Assumptions -join "`n") | Should -Match '2048'
        $given = Get-TrainingMemory -Params 7B -Method QLoRA -SequenceLength 4096 -BatchSize 2 -Optimizer AdamW
        $given.Assumptions.Count | Should -BeLessThan $estimate.Assumptions.Count
        ($given.Assumptions -join "`n") | Should -Not -Match '2048'
    }

    It 'echoes the workload it estimated' {
        $estimate = Get-TrainingMemory -Model $Llama -Method LoRA -BatchSize 4 -SequenceLength 1024 -LoraRank 16 -Framework peft
        $estimate.Model | Should -Be $Llama
        $estimate.Method | Should -Be 'LoRA'
        $estimate.BatchSize | Should -Be 4
        $estimate.SequenceLength | Should -Be 1024
        $estimate.LoraRank | Should -Be 16
        $estimate.Framework | Should -Be 'peft'
    }

    It 'estimates QLoRA below LoRA and LoRA below Full when the weights dominate' {
        $workload = @{ Model = $Llama; SequenceLength = 512; Checkpointing = 'Full' }
        $full = Get-TrainingMemory @workload -Method Full
        $lora = Get-TrainingMemory @workload -Method LoRA
        $qlora = Get-TrainingMemory @workload -Method QLoRA
        $qlora.Total | Should -BeLessThan $lora.Total
        $lora.Total | Should -BeLessThan $full.Total
    }

    It 'grows with the micro-batch' {
        (Get-TrainingMemory -Model $Llama -Method LoRA -BatchSize 8).Total |
            Should -BeGreaterThan (Get-TrainingMemory -Model $Llama -Method LoRA -BatchSize 1).Total
    }

    It 'counts the GPU context in Total when -Gpu is given' {
        $estimate = Get-TrainingMemory -Model $Llama -Method LoRA -Gpu H100-SXM
        $estimate.Gpu | Should -Be 'H100-SXM'
        $estimate.Total | Should -BeGreaterOrEqual $estimate.Reserved
    }

    It 'counts a model given by its config.json as the catalog counts it' {
        $folder = Join-Path $TestDrive 'llama'
        New-Item -ItemType Directory $folder | Out-Null
        @{
            model_type = 'llama'; hidden_size = 4096; intermediate_size = 11008; num_hidden_layers = 32
            num_attention_heads = 32; num_key_value_heads = 32; vocab_size = 32000; tie_word_embeddings = $false
        } | ConvertTo-Json | Set-Content (Join-Path $folder 'config.json')
        $fromFile = Get-TrainingMemory -ConfigPath (Join-Path $folder 'config.json') -Method LoRA
        $fromFolder = Get-TrainingMemory -ConfigPath $folder -Method LoRA
        $fromCatalog = Get-TrainingMemory -Model $Llama -Method LoRA
        $fromFile.Parameters | Should -Be $fromCatalog.Parameters
        $fromFolder.Total | Should -Be $fromFile.Total
        (Get-Item (Join-Path $folder 'config.json') | Get-TrainingMemory -Method LoRA).Total | Should -Be $fromFile.Total
    }
}

Describe 'Get-TrainingMemory binding' {
    It 'binds by name and by position alike' {
        $byName = Get-TrainingMemory -Model $Llama -Method LoRA
        $byPosition = Get-TrainingMemory $Llama LoRA
        $byPosition.Total | Should -Be $byName.Total
        $byPosition.Method | Should -Be 'LoRA'
    }

    It 'reads the model id case-insensitively' {
        (Get-TrainingMemory -Model $Llama.ToUpperInvariant() -Method LoRA).Total |
            Should -Be (Get-TrainingMemory -Model $Llama -Method LoRA).Total
    }

    It 'binds piped objects by property name, one estimate per object' {
        $plans = @(
            [pscustomobject]@{ Model = $Llama; Method = 'LoRA'; BatchSize = 2 }
            [pscustomobject]@{ Model = $Mistral; Method = 'QLoRA'; SequenceLength = 4096 }
            [pscustomobject]@{ Params = '13B'; Method = 'Full' }
        )
        $estimates = $plans | Get-TrainingMemory
        $estimates | Should -HaveCount 3
        $estimates[0].BatchSize | Should -Be 2
        $estimates[1].Method | Should -Be 'QLoRA'
        $estimates[1].SequenceLength | Should -Be 4096
        $estimates[2].Parameters | Should -BeGreaterThan 12e9
    }

    It 'binds objects whose properties are typed (ints, not CSV strings), with -Params as with -Model' {
        $typed = @(
            [pscustomobject]@{ Params = '7B'; Method = 'QLoRA'; BatchSize = 4; SequenceLength = 1024 }
            [pscustomobject]@{ Model = $Llama; Method = 'LoRA'; BatchSize = 2; GpuCount = 1 }
        )
        $estimates = $typed | Get-TrainingMemory
        $estimates | Should -HaveCount 2
        $estimates[0].Total | Should -Be (Get-TrainingMemory -Params 7B -Method QLoRA -BatchSize 4 -SequenceLength 1024).Total
        $estimates[1].Total | Should -Be (Get-TrainingMemory -Model $Llama -Method LoRA -BatchSize 2).Total
    }

    It 'takes a piped catalog GPU as -GpuSpec' {
        $piped = Get-VramGpu H100-SXM | Get-TrainingMemory -Model $Llama -Method LoRA
        $named = Get-TrainingMemory -Model $Llama -Method LoRA -Gpu H100-SXM
        $piped.Gpu | Should -Be 'H100-SXM'
        $piped.Total | Should -Be $named.Total
        $piped.Fits | Should -BeTrue
    }

    It 'takes an estimate back from the pipeline, with command-line settings winning' {
        $first = Get-TrainingMemory -Model $Llama -Method LoRA -LoraRank 32
        $again = $first | Get-TrainingMemory
        $again.Total | Should -Be $first.Total
        $bigger = $first | Get-TrainingMemory -BatchSize 8
        $bigger.BatchSize | Should -Be 8
        $bigger.LoraRank | Should -Be 32
        $bigger.Total | Should -BeGreaterThan $first.Total
    }

    It 'takes back an estimate made from -Params, keeping its architecture' {
        $first = Get-TrainingMemory -Params 3B -Method Full
        $again = $first | Get-TrainingMemory -SequenceLength 512
        $again.Parameters | Should -Be $first.Parameters
        $again.SequenceLength | Should -Be 512
    }

    It 'reads -LoraTargets as a comma list or an array' {
        $list = Get-TrainingMemory -Model $Llama -Method LoRA -LoraTargets 'q_proj,k_proj,v_proj'
        $array = Get-TrainingMemory -Model $Llama -Method LoRA -LoraTargets q_proj, k_proj, v_proj
        $list.LoraTargets | Should -Be @('q_proj', 'k_proj', 'v_proj')
        $array.Total | Should -Be $list.Total
    }

    It 'reads -Techniques as a comma list or an array' {
        $list = Get-TrainingMemory -Model $Llama -Techniques 'ChunkedLoss,FusedKernels'
        $array = Get-TrainingMemory -Model $Llama -Techniques ChunkedLoss, FusedKernels
        $list.Techniques | Should -Be ([VramPS.Engine.Techniques]'ChunkedLoss, FusedKernels')
        $array.Techniques | Should -Be $list.Techniques
    }

    It 'accepts every framework as the CSV spells it: <_>' -TestCases @(
        'HF-Trainer', 'torchtune', 'litgpt', 'peft', 'axolotl', 'LLaMA-Factory', 'fsdp_qlora', 'fms-acceleration', 'Unsloth') {
        (Get-TrainingMemory -Model $Llama -Method LoRA -Framework $_).Framework | Should -Be $_
    }

    It 'gives one estimate per row of the validation CSV and no error' {
        $rows = Import-Csv $DevCsv
        $estimates = $rows | Get-TrainingMemory -ErrorVariable failures -ErrorAction SilentlyContinue -WarningVariable warnings -WarningAction SilentlyContinue
        $failures | ForEach-Object { $_.Exception.Message } | Sort-Object -Unique | Should -BeNullOrEmpty
        $estimates | Should -HaveCount $rows.Count
        # The rows name no GPU: that is said once for the pipeline, not once per row; the set's descriptive columns set
        # nothing: one warning names them, and they come back on each estimate.
        @($warnings | Where-Object { "$_" -like 'no -Gpu given*' }) | Should -HaveCount 1
        $estimates | ForEach-Object { $_.Warnings | Should -BeLike 'no -Gpu given*' }
        $others = @($warnings | Where-Object { "$_" -notlike 'no -Gpu given*' })
        $others | Should -HaveCount 1
        "$others" | Should -Match 'Columns Id, MeasuredGiB, MeasureKind, Quality, Source, Notes set nothing'
        $estimates.Id | Should -Be $rows.Id
    }

    It 'reads empty CSV cells as not given, with no warning for a Full row without LoRA settings' {
        $csv = @(
            'Model,Method,Precision,Optimizer,BatchSize,SequenceLength,LoraRank,LoraTargets,Quantization,Techniques,Framework,Notes'
            "$Llama,Full,,,,,,,,,,full row"
        )
        $row = $csv | ConvertFrom-Csv
        $estimate = $row | Get-TrainingMemory -WarningVariable warnings -WarningAction SilentlyContinue
        "$($warnings | Where-Object { "$_" -notlike 'no -Gpu given*' })" | Should -Be 'Column Notes sets nothing in Get-TrainingMemory and is copied onto each result.'
        $estimate.Notes | Should -Be 'full row'
        $estimate.BatchSize | Should -Be (Get-TrainingMemory -Model $Llama).BatchSize
        $estimate.Total | Should -Be (Get-TrainingMemory -Model $Llama -Method Full).Total
    }

    It 'writes one error for a bad row and still estimates the others' {
        $csv = @(
            'Id,Model,Method,BatchSize,LoraTargets,Framework'
            "a,$Llama,LoRA,2,""q_proj,v_proj"",peft"
            'b,nobody/no-such-model,LoRA,2,,peft'
            "c,$Mistral,QLoRA,,,"
            "d,$Llama,Full,0,,"
            "e,$Llama,Full,1,,HF-Trainer"
        )
        $estimates = $csv | ConvertFrom-Csv | Get-TrainingMemory -ErrorVariable failures -ErrorAction SilentlyContinue -WarningAction SilentlyContinue
        $estimates | Should -HaveCount 3
        $estimates.Model | Should -Be @($Llama, $Mistral, $Llama)
        $failures | Should -HaveCount 2
        $failures[0].FullyQualifiedErrorId | Should -Be "UnknownModel,$CommandName"
        $failures[1].FullyQualifiedErrorId | Should -Be "InvalidWorkload,$CommandName"
    }

    It 'filters and sorts by Total with Where-Object and Sort-Object' {
        $estimates = 'Full', 'LoRA', 'QLoRA' | ForEach-Object { Get-TrainingMemory -Model $Llama -Method $_ }
        $small = $estimates | Where-Object Total -lt 24GB
        $small | ForEach-Object { $_.Total | Should -BeLessThan 24GB }
        $small.Count | Should -Be ($estimates | Where-Object { $_.Total -lt 24GB }).Count
        $sorted = $estimates | Sort-Object Total
        $sorted[0].Total | Should -BeLessOrEqual $sorted[1].Total
        $sorted[1].Total | Should -BeLessOrEqual $sorted[2].Total
        $sorted[-1].Method | Should -Be 'Full'
    }
}

Describe 'Get-TrainingMemory errors' {
    It 'refuses workload settings without a model at binding' {
        { Get-TrainingMemory -Method LoRA } | Should -Throw -ExceptionType ([System.Management.Automation.ParameterBindingException])
    }

    It 'reports a call that names no model as InvalidWorkload naming the three ways to name one' {
        Get-TrainingMemory -Gpu H100-SXM -ErrorVariable failure -ErrorAction SilentlyContinue
        $failure | Should -HaveCount 1
        $failure[0].FullyQualifiedErrorId | Should -Be "InvalidWorkload,$CommandName"
        $failure[0].Exception.Message | Should -Match '-Model .*-ConfigPath .*-Params'
    }

    It 'reports an unknown model as ObjectNotFound with the closest names' {
        Get-TrainingMemory -Model 'meta-llama/Llama-2-7b-hg' -ErrorVariable failure -ErrorAction SilentlyContinue
        $failure | Should -HaveCount 1
        $failure[0].FullyQualifiedErrorId | Should -Be "UnknownModel,$CommandName"
        $failure[0].CategoryInfo.Category | Should -Be 'ObjectNotFound'
        $failure[0].Exception.Message | Should -Match 'meta-llama/Llama-2-7b-hf'
    }

    It 'reports an unknown GPU as ObjectNotFound' {
        Get-TrainingMemory -Model $Llama -Gpu 'H1OO' -ErrorVariable failure -ErrorAction SilentlyContinue
        $failure[0].FullyQualifiedErrorId | Should -Be "UnknownGpu,$CommandName"
        $failure[0].CategoryInfo.Category | Should -Be 'ObjectNotFound'
        $failure[0].Exception.Message | Should -Match 'Closest'
    }

    It 'rejects -Params <_> as InvalidArgument naming the accepted forms' -TestCases 'seven', '0', '-3B', '1e40' {
        Get-TrainingMemory -Params $_ -ErrorVariable failure -ErrorAction SilentlyContinue | Should -BeNullOrEmpty
        $failure | Should -HaveCount 1
        $failure[0].FullyQualifiedErrorId | Should -Be "InvalidWorkload,$CommandName"
        $failure[0].CategoryInfo.Category | Should -Be 'InvalidArgument'
        $failure[0].Exception.Message | Should -Match '-Params'
        $failure[0].Exception.Message | Should -Match "'7B'"
    }

    It 'rejects an unknown framework, listing the known ones' {
        Get-TrainingMemory -Model $Llama -Framework 'colossalai' -ErrorVariable failure -ErrorAction SilentlyContinue
        $failure[0].FullyQualifiedErrorId | Should -Be "InvalidWorkload,$CommandName"
        $failure[0].Exception.Message | Should -Match 'LLaMA-Factory'
    }

    It 'rejects a non-positive <Name> as InvalidWorkload' -TestCases @(
        @{ Name = 'BatchSize' }, @{ Name = 'SequenceLength' }, @{ Name = 'GpuCount' }
    ) {
        $arguments = @{ Model = $Llama; $Name = 0 }
        Get-TrainingMemory @arguments -ErrorVariable failure -ErrorAction SilentlyContinue
        $failure[0].FullyQualifiedErrorId | Should -Be "InvalidWorkload,$CommandName"
        $failure[0].Exception.Message | Should -Match $Name
    }

    It 'rejects an enum value it does not know at binding' {
        { Get-TrainingMemory -Model $Llama -Method Adapter -ErrorAction Stop } |
            Should -Throw -ExceptionType ([System.Management.Automation.ParameterBindingException]) -ExpectedMessage '*Adapter*'
    }

    It 'reports a malformed config.json as InvalidData naming the path' {
        $file = Join-Path $TestDrive 'broken.json'
        Set-Content $file '{ "model_type": "llama", "hidden_size": 40'
        Get-TrainingMemory -ConfigPath $file -ErrorVariable failure -ErrorAction SilentlyContinue
        $failure[0].FullyQualifiedErrorId | Should -Be "InvalidModelFile,$CommandName"
        $failure[0].CategoryInfo.Category | Should -Be 'InvalidData'
        $failure[0].Exception.Message | Should -BeLike "*broken.json*"
    }

    It 'reports an unknown model_type listing the known ones' {
        $file = Join-Path $TestDrive 'mamba.json'
        Set-Content $file '{ "model_type": "mamba", "hidden_size": 768 }'
        Get-TrainingMemory -ConfigPath $file -ErrorVariable failure -ErrorAction SilentlyContinue
        $failure[0].FullyQualifiedErrorId | Should -Be "InvalidModelFile,$CommandName"
        $failure[0].Exception.Message | Should -Match 'llama'
    }

    It 'warns, without failing, when LoRA settings come with -Method <_>' -TestCases 'Full', 'Freeze' {
        $estimate = Get-TrainingMemory -Model $Llama -Method $_ -LoraRank 16 -Gpu H100-SXM -WarningVariable warnings -WarningAction SilentlyContinue
        $estimate | Should -HaveCount 1
        $warnings | Should -HaveCount 1
        "$($warnings[0])" | Should -Match '-LoraRank'
    }

    It 'warns when -TrainableLayers comes without -Method Freeze' {
        Get-TrainingMemory -Model $Llama -Method LoRA -TrainableLayers 4 -WarningVariable warnings -WarningAction SilentlyContinue | Out-Null
        "$warnings" | Should -Match '-TrainableLayers'
    }

    It 'does not warn for LoRA settings with -Method LoRA' {
        Get-TrainingMemory -Model $Llama -Method LoRA -LoraRank 16 -LoraTargets all-linear -Gpu H100-SXM -WarningVariable warnings | Out-Null
        $warnings | Should -BeNullOrEmpty
    }
}
