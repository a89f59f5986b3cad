BeforeAll {
    . $PSScriptRoot/common.ps1
    $Llama31 = 'meta-llama/Llama-3.1-8B'
    # Writes a plan file as a user would and reads it back the way the user's command does.
    function Import-Plan([string[]] $Lines) {
        $path = Join-Path $TestDrive "plan-$([guid]::NewGuid().ToString('n')).csv"
        Set-Content -Path $path -Value $Lines
        Import-Csv $path
    }
}

Describe 'A plan row is read as strictly as a typed parameter' {
    BeforeAll {
        $plan = Import-Plan @(
            'Name,Model,Method,BatchSize,SequenceLength,Checkpointing,Sharding,Precision,GpuCount'
            "typo,$Llama31,QLoar,4,4k,,,,"
            "dashed,$Llama31,Q-LoRA,4,4k,,,,"
            "letters,$Llama31,QLoRA,abc,4096,,,,"
            "suffix,$Llama31,QLoRA,4x,4096,,,,"
            "huge,$Llama31,QLoRA,99999999999,4096,,,,"
            "gradient,$Llama31,QLoRA,4,4096,gradient,,,"
            "fsdp,$Llama31,Full,1,2048,Full,FSDP,,8"
            "precision,$Llama31,Full,1,2048,,,99,"
            "twice,$Llama31,Full,abc,4x,,,99,"
        )
        $estimates = $plan | Get-TrainingMemory -ErrorVariable failures -ErrorAction SilentlyContinue -WarningAction SilentlyContinue
        $byName = @{}
        $estimates | ForEach-Object { $byName[$_.Name] = $_ }
        $failed = @{}
        $failures | ForEach-Object { $failed[$_.TargetObject.Name] = $_ }
    }

    It 'estimates the good rows and writes one error for each bad one' {
        $estimates.Name | Should -Be @('dashed', 'gradient', 'fsdp')
        $failures | Should -HaveCount 6
        $failed.Keys | Sort-Object | Should -Be @('huge', 'letters', 'precision', 'suffix', 'twice', 'typo')
    }

    It 'refuses Method=QLoar naming the row, the column, the value and the methods' {
        $e = $failed['typo']
        $e.FullyQualifiedErrorId | Should -Be 'InvalidPipelineValue,VramPS.Commands.GetTrainingMemoryCommand'
        $e.CategoryInfo.Category | Should -Be 'InvalidArgument'
        $e.Exception.Message | Should -Be "Row 1, column Method: 'QLoar' is not a FinetuneMethod. Allowed: Full, Freeze, LoRA, QLoRA."
    }

    It 'refuses BatchSize=<Value>, which PowerShell''s binding turned into the default of 1' -TestCases @(
        @{ Row = 'letters'; Number = 3; Value = 'abc' }
        @{ Row = 'suffix'; Number = 4; Value = '4x' }
        @{ Row = 'huge'; Number = 5; Value = '99999999999' }
    ) {
        $failed[$Row].Exception.Message | Should -Be "Row $Number, column BatchSize: '$Value' is not a whole number. Allowed: a whole number up to 2147483647."
    }

    It 'refuses Precision=99, an enum number no member has, listing the precisions' {
        $failed['precision'].Exception.Message |
            Should -BeLike "Row 8, column Precision: '99' is not a Precision. Allowed: Fp32 (32-true), Bf16Mixed, Fp16Mixed (16-mixed), Bf16 (bf16-true), Fp16 (16-true)."
    }

    It 'names every bad cell of a row in its one error' {
        $message = $failed['twice'].Exception.Message
        $message | Should -Match "^Row 9, column BatchSize: 'abc' "
        $message | Should -Match "Row 9, column SequenceLength: '4x' is not a token length"
        $message | Should -Match "Row 9, column Precision: '99' "
    }

    It 'reads Q-LoRA as QLoRA and 4k as 4096 tokens (k = 1024: a "4k context" is 4096 tokens)' {
        $typed = Get-TrainingMemory -Model $Llama31 -Method QLoRA -BatchSize 4 -SequenceLength 4096
        $byName['dashed'].Method | Should -Be 'QLoRA'
        $byName['dashed'].SequenceLength | Should -Be 4096
        $byName['dashed'].Total | Should -Be $typed.Total
    }

    It 'reads Checkpointing=gradient as Full (transformers gradient_checkpointing=True recomputes every block)' {
        $byName['gradient'].Checkpointing | Should -Be 'Full'
        $byName['gradient'].Total | Should -Be (Get-TrainingMemory -Model $Llama31 -Method QLoRA -BatchSize 4 -SequenceLength 4096 -Checkpointing Full).Total
    }

    It 'reads Sharding=FSDP as Zero3 (FSDP''s default FULL_SHARD shards weights, gradients and states)' {
        $byName['fsdp'].Sharding | Should -Be 'Zero3'
        $byName['fsdp'].Total | Should -Be (Get-TrainingMemory -Model $Llama31 -Method Full -BatchSize 1 -SequenceLength 2048 -Checkpointing Full -Sharding Zero3 -GpuCount 8).Total
    }
}

Describe 'Switches in a plan row' {
    It 'reads SequenceParallel=<Cell> as <Expected>, and an empty cell as not given' -TestCases @(
        @{ Cell = 'True'; Expected = $true }
        @{ Cell = 'False'; Expected = $false }
        @{ Cell = ''; Expected = $false }
    ) {
        $row = Import-Plan @('Model,Method,Framework,GpuCount,TensorParallel,SequenceParallel', "$Llama31,Full,Megatron-LM,2,2,$Cell")
        $estimate = $row | Get-TrainingMemory
        $estimate.SequenceParallel | Should -Be $Expected
    }

    It 'refuses SequenceParallel=maybe listing what a switch takes' {
        $row = Import-Plan @('Model,Method,Framework,GpuCount,TensorParallel,SequenceParallel', "$Llama31,Full,Megatron-LM,2,2,maybe")
        $row | Get-TrainingMemory -ErrorVariable failure -ErrorAction SilentlyContinue | Should -BeNullOrEmpty
        $failure[0].Exception.Message | Should -Be "Row 1, column SequenceParallel: 'maybe' is not True or False. Allowed: True, False, yes, no, 1, 0."
    }
}

Describe 'Columns that set nothing' {
    BeforeAll {
        $plan = Import-Plan @(
            'Name,Owner,Model,Method,Batch_Size,Adapter,BatchSize'
            "small,ana,$Llama31,LoRA,8,IA3,1"
            "large,bo,$Llama31,Full,8,,2"
            "broken,cy,$Llama31,Lora2,8,,2"
        )
        $estimates = $plan | Get-TrainingMemory -WarningVariable warnings -WarningAction SilentlyContinue -ErrorVariable failures -ErrorAction SilentlyContinue
        # The plan names no GPU: that warning is the Names tests' concern.
        $warnings = @($warnings | Where-Object { "$_" -notlike 'no -Gpu given*' })
    }

    It 'warns once per pipeline naming them, with the parameter a near-miss was meant for' {
        $warnings | Should -HaveCount 1
        "$warnings" | Should -Be 'Columns Name, Owner, Batch_Size, Adapter set nothing in Get-TrainingMemory and are copied onto each result (Batch_Size is not BatchSize).'
    }

    It 'ignores Batch_Size: the estimate takes BatchSize only' {
        $estimates[0].BatchSize | Should -Be 1
    }

    It 'brings a row''s own columns back on its result, so results join back after Sort-Object and Where-Object' {
        $sorted = $estimates | Sort-Object Total -Descending
        $sorted[0].Name | Should -Be 'large'
        $sorted[0].Owner | Should -Be 'bo'
        ($estimates | Where-Object Owner -eq 'ana').Method | Should -Be 'LoRA'
        ($estimates | Where-Object Owner -eq 'ana').Adapter | Should -Be 'IA3'
    }

    It 'makes the failed row the target of its error' {
        $failures | Should -HaveCount 1
        $failures[0].TargetObject.Name | Should -Be 'broken'
        $failures[0].TargetObject.Owner | Should -Be 'cy'
    }

    It 'keeps the columns through a second cmdlet' {
        $fits = $estimates | Where-Object Name -eq 'small' | Find-GpuFit -Gpu H100-SXM
        $fits.Name | Should -Be 'small'
        $fits.Owner | Should -Be 'ana'
    }

    It 'warns for an Adapter column the module cannot honour (peft-methods-dev.csv''s layout) and still estimates the row' {
        $rows = Import-Plan @(
            'Id,Model,Method,Adapter,Precision,BatchSize,SequenceLength,LoraRank,MeasuredGiB'
            "peft-ia3,$Llama31,LoRA,IA3,Bf16,4,768,,21.6"
        )
        $out = $rows | Get-TrainingMemory -WarningVariable w -WarningAction SilentlyContinue -ErrorAction Stop
        $out | Should -HaveCount 1
        "$($w | Where-Object { "$_" -notlike 'no -Gpu given*' })" | Should -Be 'Columns Id, Adapter, MeasuredGiB set nothing in Get-TrainingMemory and are copied onto each result.'
        $out.Adapter | Should -Be 'IA3'
    }
}

Describe 'A piped estimate hands on what its user gave' {
    It 'lets -Method LoRA choose its own precision after Full (Full''s Bf16Mixed is not kept)' {
        $again = Get-TrainingMemory -Params 7B -Method Full | Get-TrainingMemory -Method LoRA
        $direct = Get-TrainingMemory -Params 7B -Method LoRA
        $again.Precision | Should -Be $direct.Precision
        $again.Total | Should -Be $direct.Total
        $again.Total | Should -BeLessThan (Get-TrainingMemory -Params 7B -Method LoRA -Precision Bf16Mixed).Total
    }

    It 'lets -Method QLoRA choose its quantization after LoRA (no Quantization=None is bound)' {
        $again = Get-TrainingMemory -Params 7B -Method LoRA | Get-TrainingMemory -Method QLoRA -ErrorAction Stop
        $again.Quantization | Should -Be (Get-TrainingMemory -Params 7B -Method QLoRA).Quantization
        $again.Total | Should -Be (Get-TrainingMemory -Params 7B -Method QLoRA).Total
    }

    It 'compares the methods of a piped estimate' {
        $rows = Get-TrainingMemory -Model $Llama31 | Compare-FinetuneMethod -ErrorAction Stop
        $rows.Method | Should -Be @('Full', 'Freeze', 'LoRA', 'QLoRA')
        $rows.Total | Should -Be (Compare-FinetuneMethod -Model $Llama31).Total
    }

    It 'keeps what the user did give, under the command line''s changes' {
        $again = Get-TrainingMemory -Params 7B -Method LoRA -LoraRank 64 -BatchSize 2 | Get-TrainingMemory -Method QLoRA
        $again.LoraRank | Should -Be 64
        $again.BatchSize | Should -Be 2
    }
}

Describe 'Find-GpuFit and Compare-FinetuneMethod read rows as strictly' {
    It '<Cmdlet> refuses Method=QLoar and Sharding=FDSP and reads the good row' -TestCases @(
        @{ Cmdlet = 'Find-GpuFit'; Arguments = @{ Gpu = 'H100-SXM' }; Class = 'FindGpuFitCommand' }
        @{ Cmdlet = 'Compare-FinetuneMethod'; Arguments = @{}; Class = 'CompareFinetuneMethodCommand' }
    ) {
        $plan = Import-Plan @(
            'Name,Model,Method,Sharding,SequenceLength'
            "bad,$Llama31,QLoar,FDSP,1k"
            "good,$Llama31,LoRA,,1k"
        )
        $out = $plan | & $Cmdlet @Arguments -ErrorVariable failures -ErrorAction SilentlyContinue -WarningAction SilentlyContinue
        $failures | Should -HaveCount 1
        $failures[0].FullyQualifiedErrorId | Should -Be "InvalidPipelineValue,VramPS.Commands.$Class"
        $failures[0].TargetObject.Name | Should -Be 'bad'
        $failures[0].Exception.Message | Should -Match "Row 1, column Sharding: 'FDSP' is not a Sharding. Allowed: None \(NO_SHARD, DDP\), Zero1, Zero2 \(SHARD_GRAD_OP\), Zero3 \(FSDP, FULL_SHARD\)\."
        @($out).Count | Should -BeGreaterThan 0
        $out.Name | Sort-Object -Unique | Should -Be 'good'
        $out[0].Estimate.SequenceLength | Should -Be 1024
    }

    It 'Compare-FinetuneMethod reads Optimizer and Precision cells as lists, strictly' {
        $plan = Import-Plan @('Model,Optimizer,Precision', "$Llama31,""AdamW,adamw_bnb_8bit"",Bf16", "$Llama31,AdamW,99")
        $rows = $plan | Compare-FinetuneMethod -Method Full -ErrorVariable failures -ErrorAction SilentlyContinue
        $rows.Optimizer | Should -Be @('AdamW', 'AdamW8bit')
        $failures[0].Exception.Message | Should -BeLike "Row 2, column Precision: '99' is not a Precision.*"
    }
}

Describe 'One reader for the command line and the pipeline' {
    It 'reads -SequenceLength <Text> as <Tokens> tokens' -TestCases @(
        @{ Text = '4k'; Tokens = 4096 }
        @{ Text = '32k'; Tokens = 32768 }
        @{ Text = '128K'; Tokens = 131072 }
    ) {
        (Get-TrainingMemory -Model $Llama31 -Method QLoRA -SequenceLength $Text).SequenceLength | Should -Be $Tokens
    }

    It 'reads -<Parameter> <Text> as <Expected>' -TestCases @(
        @{ Parameter = 'Sharding'; Text = 'FSDP'; Expected = 'Zero3' }
        @{ Parameter = 'Checkpointing'; Text = 'gradient'; Expected = 'Full' }
        @{ Parameter = 'Method'; Text = 'qlora'; Expected = 'QLoRA' }
        @{ Parameter = 'Optimizer'; Text = 'paged_adamw_8bit'; Expected = 'PagedAdamW8bit' }
    ) {
        $arguments = @{ Model = $Llama31; $Parameter = $Text }
        if ($Parameter -eq 'Sharding') { $arguments.GpuCount = 2 }
        (Get-TrainingMemory @arguments).$Parameter | Should -Be $Expected
    }

    It 'refuses -SequenceLength 4x at binding, listing the lengths it takes' {
        { Get-TrainingMemory -Model $Llama31 -SequenceLength 4x } |
            Should -Throw -ExceptionType ([System.Management.Automation.ParameterBindingException]) -ExpectedMessage '*4x*4k, 32k, 128k (k = 1024)*'
    }

    It 'refuses -Method QLoar at binding, listing the methods' {
        { Get-TrainingMemory -Model $Llama31 -Method QLoar } | Should -Throw -ExpectedMessage "*'QLoar' is not a FinetuneMethod. Allowed: Full, Freeze, LoRA, QLoRA.*"
    }

    It 'reads a typed piped property as strictly: BatchSize=<Value> is refused' -TestCases @(
        @{ Value = 4.5 }
        @{ Value = [long]99999999999 }
    ) {
        [pscustomobject]@{ Model = $Llama31; BatchSize = $Value } |
            Get-TrainingMemory -ErrorVariable failure -ErrorAction SilentlyContinue | Should -BeNullOrEmpty
        $failure[0].FullyQualifiedErrorId | Should -Be 'InvalidPipelineValue,VramPS.Commands.GetTrainingMemoryCommand'
    }

    It 'takes a row that names its model by Params with an empty Model cell, and refuses one that names two' {
        $plan = Import-Plan @('Name,Model,Params,Method', 'one,,7B,LoRA', "two,$Llama31,7B,LoRA")
        $out = $plan | Get-TrainingMemory -ErrorVariable failures -ErrorAction SilentlyContinue -WarningAction SilentlyContinue
        $out.Model | Should -Be '7B'
        $out.Total | Should -Be (Get-TrainingMemory -Params 7B -Method LoRA).Total
        $failures | Should -HaveCount 1
        $failures[0].FullyQualifiedErrorId | Should -Be 'AmbiguousParameterSet,VramPS.Commands.GetTrainingMemoryCommand'
        $failures[0].TargetObject.Name | Should -Be 'two'
    }
}

Describe 'Inventory objects are read as strictly' {
    It 'refuses Count=4.5 instead of rounding it' {
        Find-GpuFit -Model $Llama31 -Method LoRA -Inventory ([pscustomobject]@{ Gpu = 'H100-SXM'; Count = '4.5' }) -ErrorVariable failure -ErrorAction SilentlyContinue |
            Should -BeNullOrEmpty
        $failure[0].FullyQualifiedErrorId | Should -Be 'InvalidWorkload,VramPS.Commands.FindGpuFitCommand'
        $failure[0].Exception.Message | Should -Match "Count '4\.5' is not a whole number"
    }
}

Describe 'Vision settings in a plan row' {
    It 'reads ImagesPerSample and VisionTower as strictly as the other settings' {
        $plan = Import-Plan @(
            'Name,Model,Method,Checkpointing,ImageSize,ImagesPerSample,VisionTower'
            'good,Qwen/Qwen2.5-VL-7B-Instruct,LoRA,Full,448x448,2,Frozen'
            'bad,Qwen/Qwen2.5-VL-7B-Instruct,LoRA,Full,448x448,two,Frozn'
        )
        $out = $plan | Get-TrainingMemory -ErrorVariable failures -ErrorAction SilentlyContinue -WarningAction SilentlyContinue
        $out.Name | Should -Be 'good'
        $out.Total | Should -Be (Get-TrainingMemory -Model Qwen/Qwen2.5-VL-7B-Instruct -Method LoRA -Checkpointing Full -ImageSize 448x448 -ImagesPerSample 2 -VisionTower Frozen).Total
        $failures | Should -HaveCount 1
        $failures[0].Exception.Message | Should -BeLike "Row 2, column ImagesPerSample: 'two' is not a whole number.* Row 2, column VisionTower: 'Frozn' is not a VisionTraining. Allowed: *"
    }
}
