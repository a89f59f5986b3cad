BeforeAll {
    . $PSScriptRoot/common.ps1
    $Ministral = 'unsloth/Ministral-3-3B-Instruct-2512'
    # Cells as ../shared/validation/vlm-dev.csv writes them (TRL's and Unsloth's Ministral 3 notebooks).
    $TrlTargets = 'down_proj,o_proj,k_proj,q_proj,gate_proj,up_proj,v_proj (PEFT suffix match: language model and the Pixtral-style vision encoder attention/feed_forward; projector not targeted)'
    $TrlFramework = 'HF-Trainer (TRL SFTTrainer + PEFT)'
    function Import-Rows([string[]] $Lines) {
        $path = Join-Path $TestDrive "rows-$([guid]::NewGuid().ToString('n')).csv"
        Set-Content -Path $path -Value $Lines
        Import-Csv $path
    }
}

Describe 'Remarks in -Framework and -LoraTargets read the same wherever they come from' {
    BeforeAll {
        $common = @{ Method = 'QLoRA'; BatchSize = 2; SequenceLength = 1024; ImageSize = '640x480'; WarningAction = 'SilentlyContinue' }
        $byParameter = Get-TrainingMemory -Model $Ministral @common -Framework $TrlFramework -LoraTargets $TrlTargets
        $bare = Get-TrainingMemory -Model $Ministral @common -Framework HF-Trainer -LoraTargets 'down_proj,o_proj,k_proj,q_proj,gate_proj,up_proj,v_proj'
        $row = Import-Rows @(
            'Model,Method,BatchSize,SequenceLength,ImageSize,Framework,LoraTargets'
            "$Ministral,QLoRA,2,1024,640x480,""$TrlFramework"",""$TrlTargets"""
        )
        $byCell = $row | Get-TrainingMemory -WarningAction SilentlyContinue
        $byProperty = [pscustomobject]@{ Model = $Ministral; Method = 'QLoRA'; BatchSize = 2; SequenceLength = 1024; ImageSize = '640x480'; Framework = $TrlFramework; LoraTargets = $TrlTargets } |
            Get-TrainingMemory -WarningAction SilentlyContinue
    }

    It 'records each remark in Assumptions, by parameter, CSV cell and piped property alike' -TestCases @(
        @{ Source = 'parameter' }, @{ Source = 'cell' }, @{ Source = 'property' }
    ) {
        $e = @{ parameter = $byParameter; cell = $byCell; property = $byProperty }[$Source]
        $e.Assumptions | Should -Contain '-Framework remark (recorded, not read): TRL SFTTrainer + PEFT'
        $e.Assumptions | Should -Contain '-LoraTargets remark (recorded, not read): PEFT suffix match: language model and the Pixtral-style vision encoder attention/feed_forward; projector not targeted'
    }

    It 'estimates exactly what the bare values estimate' {
        foreach ($e in $byParameter, $byCell, $byProperty) {
            $e.Reserved | Should -Be $bare.Reserved
            $e.TrainableParameters | Should -Be $bare.TrainableParameters
        }
    }

    It 'reads a config key by the same grammar' {
        $config = Join-Path $TestDrive 'axolotl-remark.yml'
        Set-Content -Path $config -Value @(
            'base_model: NousResearch/Llama-2-7b-hf'
            'adapter: lora'
            'lora_r: 16'
            'lora_target_modules:'
            '  - q_proj (attention query)'
            '  - v_proj'
            'sequence_len: 1024'
            'micro_batch_size: 1'
        )
        $e = Import-TrainingConfig -Path $config -WarningAction SilentlyContinue | Get-TrainingMemory -WarningAction SilentlyContinue
        $e.Assumptions | Should -Contain '-LoraTargets remark (recorded, not read): attention query'
        @($e.LoraTargets) | Should -Be @('q_proj', 'v_proj')
        $bad = Join-Path $TestDrive 'axolotl-bad.yml'
        (Get-Content $config) -replace 'q_proj \(attention query\)', 'q_proj of the vision tower' | Set-Content $bad
        { Import-TrainingConfig -Path $bad -WarningAction SilentlyContinue | Get-TrainingMemory -ErrorAction Stop -WarningAction SilentlyContinue } |
            Should -Throw -ExpectedMessage '*-LoraTargets*Allowed: all-linear, or module names separated by commas*'
    }

    It 'reads Unsloth+HF-Trainer as Unsloth and says so' {
        $e = Get-TrainingMemory -Model $Ministral -Method LoRA -Framework 'Unsloth+HF-Trainer' -ImageSize 320x50 -WarningAction SilentlyContinue
        $e.Framework | Should -Be 'Unsloth'
        ($e.Assumptions | Where-Object { $_ -like '-Framework Unsloth+HF-Trainer is Unsloth: *' }) | Should -HaveCount 1
    }
}

Describe 'Other text in -Framework and -LoraTargets is refused naming the parameter and the allowed forms' {
    It 'refuses -LoraTargets <Value>' -TestCases @(
        @{ Value = 'all-linear of the vision tower' }
        @{ Value = 'all-linear (language' }
        @{ Value = 'q_proj v_proj' }
    ) {
        { Get-TrainingMemory -Model $Ministral -Method LoRA -LoraTargets $Value -ErrorAction Stop } |
            Should -Throw -ErrorId 'InvalidWorkload,VramPS.Commands.GetTrainingMemoryCommand' -ExpectedMessage "*-LoraTargets*"
    }

    It 'refuses -Framework <Value> listing the frameworks' -TestCases @(
        @{ Value = 'TRL SFTTrainer' }
        @{ Value = 'axolotl+HF-Trainer' }
        @{ Value = 'HF-Trainer (TRL' }
    ) {
        { Get-TrainingMemory -Model $Ministral -Method LoRA -Framework $Value -ErrorAction Stop } |
            Should -Throw -ErrorId 'InvalidWorkload,VramPS.Commands.GetTrainingMemoryCommand' -ExpectedMessage "*-Framework*"
    }

    It 'refuses a bad cell naming its row' {
        $rows = Import-Rows @('Model,Method,Framework', "$Ministral,LoRA,TRL SFTTrainer")
        $rows | Get-TrainingMemory -ErrorVariable failures -ErrorAction SilentlyContinue -WarningAction SilentlyContinue | Should -BeNullOrEmpty
        $failures | Should -HaveCount 1
        $failures[0].Exception.Message | Should -BeLike "*-Framework 'TRL SFTTrainer' is not known. Allowed: HF-Trainer*Unsloth+HF-Trainer*"
        $failures[0].TargetObject.Framework | Should -Be 'TRL SFTTrainer'
    }
}
