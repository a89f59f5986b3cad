BeforeAll {
    . $PSScriptRoot/common.ps1
    $Harness = Join-Path $RepoRoot 'tools/Measure-Accuracy.ps1'
    $Csv = Join-Path $TestDrive 'runs.csv'
    @(
        'Id,Model,Method,Precision,Optimizer,BatchSize,SequenceLength,GradientAccumulation,Checkpointing,Attention,LoraRank,LoraTargets,Quantization,GpuCount,Sharding,Offload,Techniques,Framework,MeasuredGiB,MeasureKind,Quality,Source,Notes'
        "a-full,$Llama,Full,Bf16,AdamW,1,1024,1,Full,Flash,,,,1,None,None,,HF-Trainer,60.5,Allocated,Measured,here,"
        "b-lora,$Llama,LoRA,Bf16,AdamW,2,2048,1,None,Sdpa,16,""q_proj,v_proj"",,1,None,None,,peft,20.25,Reserved,Measured,here,"
        "c-qlora,$Mistral,QLoRA,Bf16,PagedAdamW8bit,1,4096,4,Full,Flash,64,all-linear,NF4,1,None,None,""ChunkedLoss,FusedKernels"",torchtune,9.75,Device,Measured,here,"
        "d-guess,$Llama,LoRA,Bf16,AdamW,1,512,1,,,,,,,,,,peft,99,Allocated,Estimate,a calculator,"
    ) | Set-Content $Csv
    $Rows = & $Harness -Csv $Csv -Module $ModuleManifest -PassThru 6>$null
}

Describe 'Measure-Accuracy' {
    It 'scores every measured row and skips the estimates' {
        $Rows.Id | Should -Be @('a-full', 'b-lora', 'c-qlora')
    }

    It 'compares the estimate property that matches MeasureKind: <Id>' -TestCases @(
        @{ Id = 'a-full'; Property = 'Allocated' }
        @{ Id = 'b-lora'; Property = 'Reserved' }
        @{ Id = 'c-qlora'; Property = 'Total' }
    ) {
        $row = $Rows | Where-Object Id -eq $Id
        $source = Import-Csv $Csv | Where-Object Id -eq $Id
        $estimate = $source | Get-TrainingMemory
        $row.EstimatedGiB | Should -Be ($estimate.$Property / 1GB)
        $row.Error | Should -Be (($row.EstimatedGiB - $row.MeasuredGiB) / $row.MeasuredGiB)
    }

    It 'scores the rule of thumb per billion parameters: <Id> at <PerBillion> GB' -TestCases @(
        @{ Id = 'a-full'; PerBillion = 16 }
        @{ Id = 'b-lora'; PerBillion = 3.25 }
        @{ Id = 'c-qlora'; PerBillion = 1.1 }
    ) {
        $row = $Rows | Where-Object Id -eq $Id
        $parameters = (Import-Csv $Csv | Where-Object Id -eq $Id | Get-TrainingMemory -WarningAction SilentlyContinue).Parameters
        $row.RuleGiB | Should -BeGreaterThan 0
        [math]::Abs($row.RuleGiB - $PerBillion * $parameters / 1GB) | Should -BeLessThan 1e-9
        $row.RuleError | Should -Be (($row.RuleGiB - $row.MeasuredGiB) / $row.MeasuredGiB)
    }

    It 'prints the MAPE overall and by framework and method' {
        $text = & $Harness -Csv $Csv -Module $ModuleManifest 6>&1 | Out-String
        $mape = 100 * ($Rows | ForEach-Object { [math]::Abs($_.Error) } | Measure-Object -Average).Average
        $text | Should -Match ('MAPE {0}%' -f [math]::Round($mape, 1))
        $text | Should -Match 'Framework peft'
        $text | Should -Match 'Method QLoRA'
    }

    It 'exits 1 under -Strict when the thresholds are missed, 0 when they are met' {
        & $Harness -Csv $Csv -Module $ModuleManifest -Strict -MaxMape 0 6>$null | Out-Null
        $LASTEXITCODE | Should -Be 1
        & $Harness -Csv $Csv -Module $ModuleManifest -Strict -MaxMape 1e9 -MinWithin10 0 6>$null | Out-Null
        $LASTEXITCODE | Should -Be 0
    }
}
