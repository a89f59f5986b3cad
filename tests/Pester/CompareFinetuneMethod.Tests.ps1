BeforeAll {
    . $PSScriptRoot/common.ps1
    $CommandName = 'VramPS.Commands.CompareFinetuneMethodCommand'
}

Describe 'Compare-FinetuneMethod parameters' {
    BeforeAll {
        $command = Get-Command Compare-FinetuneMethod
    }

    It 'has the workload sets of Get-TrainingMemory' {
        $command.ParameterSets.Name | Sort-Object | Should -Be @('Config', 'Model', 'NoModel', 'Params')
        $command.DefaultParameterSet | Should -Be 'NoModel'
    }

    It 'takes lists of methods, optimizers and precisions' {
        $command.Parameters['Method'].ParameterType | Should -Be ([VramPS.Engine.FinetuneMethod[]])
        $command.Parameters['Optimizer'].ParameterType | Should -Be ([VramPS.Engine.OptimizerKind[]])
        $command.Parameters['Precision'].ParameterType | Should -Be ([VramPS.Engine.Precision[]])
    }

    It 'reads -<_> from a piped property' -TestCases ($WorkloadParameters + 'Optimizer', 'Precision', 'Gpu') {
        @($command.Parameters[$_].Attributes | Where-Object { $_ -is [VramPS.Transformation.SettingTransformationAttribute] }) | Should -HaveCount 1
    }
}

Describe 'Compare-FinetuneMethod' {
    It 'compares Full, Freeze, LoRA and QLoRA by default' {
        $rows = Compare-FinetuneMethod -Model $Llama
        $rows | Should -BeOfType ([VramPS.Engine.Planning.MethodComparison])
        $rows.Method | Should -Be @('Full', 'Freeze', 'LoRA', 'QLoRA')
    }

    It 'compares by default only the methods the framework runs, and names the others in a warning' {
        # torchtune's recipes freeze no decoder block (recipes/full_finetune_*.py); torchtitan trains every parameter.
        $rows = Compare-FinetuneMethod -Model $Llama -Framework torchtune -WarningVariable warned -WarningAction SilentlyContinue
        $rows.Method | Should -Be @('Full', 'LoRA', 'QLoRA')
        ($warned -join "`n") | Should -Match '-Framework torchtune does not run -Method Freeze: compared Full, LoRA, QLoRA'
        (Compare-FinetuneMethod -Model $Llama -Framework torchtitan -GpuCount 8 -WarningAction SilentlyContinue).Method | Should -Be 'Full'
        Compare-FinetuneMethod -Model $Llama -Framework torchtune -Method Freeze -ErrorVariable failure -ErrorAction SilentlyContinue -WarningAction SilentlyContinue
        $failure[0].FullyQualifiedErrorId | Should -BeLike 'InvalidWorkload,*'
    }

    It 'gives each row the Total of the same estimate from Get-TrainingMemory' {
        foreach ($row in Compare-FinetuneMethod -Model $Llama -SequenceLength 1024) {
            $row.Total | Should -BeOfType ([long])
            # Like with like: the Trainer turns checkpointing on for QLoRA, so every method runs with it.
            $row.Total | Should -Be (Get-TrainingMemory -Model $Llama -Method $row.Method -SequenceLength 1024 -Checkpointing Full).Total
        }
    }

    It 'relates each row to Full' {
        $rows = Compare-FinetuneMethod -Model $Llama
        $full = $rows | Where-Object Method -eq Full
        $full.RelativeToFull | Should -Be 1
        foreach ($row in $rows) { $row.RelativeToFull | Should -BeExactly ($row.Total / $full.Total) }
    }

    It 'trains fewer parameters with adapters than with Full' {
        $rows = Compare-FinetuneMethod -Model $Llama
        $full = $rows | Where-Object Method -eq Full
        $full.TrainableParameters | Should -Be $full.Parameters
        ($rows | Where-Object Method -eq LoRA).TrainableParameters | Should -BeLessThan $full.TrainableParameters
    }

    It 'returns only the methods under 24 GiB through Where-Object, sorted by Sort-Object' {
        $rows = Compare-FinetuneMethod -Model $Llama
        $small = @(Compare-FinetuneMethod -Model $Llama | Where-Object Total -lt 24GB | Sort-Object Total)
        $small.Count | Should -Be @($rows | Where-Object { $_.Total -lt 24GB }).Count
        $small | ForEach-Object { $_.Total | Should -BeLessThan 24GB }
        for ($i = 1; $i -lt $small.Count; $i++) { $small[$i - 1].Total | Should -BeLessOrEqual $small[$i].Total }
        $rows | Where-Object Method -eq Full | ForEach-Object { $_.Total | Should -BeGreaterThan 24GB }
    }

    It 'crosses methods with optimizers and precisions' {
        $rows = Compare-FinetuneMethod -Model $Llama -Method Full, LoRA -Optimizer AdamW, SGD -Precision Bf16, Fp32
        $rows | Should -HaveCount 8
        @($rows | ForEach-Object { "$($_.Method)/$($_.Optimizer)/$($_.Precision)" } | Sort-Object -Unique) | Should -HaveCount 8
    }

    It 'binds the method list by position' {
        (Compare-FinetuneMethod $Llama LoRA, QLoRA).Method | Should -Be @('LoRA', 'QLoRA')
    }

    It 'takes piped rows, one comparison per row' {
        $plans = "Model,SequenceLength`n$Llama,1024`n$Mistral,4096" | ConvertFrom-Csv
        $rows = $plans | Compare-FinetuneMethod -Method LoRA
        $rows.Model | Should -Be @($Llama, $Mistral)
        $rows.SequenceLength | Should -Be @(1024, 4096)
    }

    It 'takes a piped object with typed properties and -Params' {
        $rows = [pscustomobject]@{ Params = '7B'; BatchSize = 2; SequenceLength = 1024 } | Compare-FinetuneMethod
        $rows | Should -HaveCount 4
        ($rows | Where-Object Method -eq 'LoRA').Total | Should -Be (Get-TrainingMemory -Params 7B -Method LoRA -BatchSize 2 -SequenceLength 1024 -Checkpointing Full).Total
    }

    It 'reports a call that names no model as InvalidWorkload' {
        Compare-FinetuneMethod -Method LoRA -ErrorVariable failure -ErrorAction SilentlyContinue
        $failure[0].FullyQualifiedErrorId | Should -Be "InvalidWorkload,$CommandName"
        $failure[0].Exception.Message | Should -Match 'No model named'
    }

    It 'reports an unknown model with its own error id' {
        Compare-FinetuneMethod -Model nobody/nothing -ErrorVariable failure -ErrorAction SilentlyContinue
        $failure[0].FullyQualifiedErrorId | Should -Be "UnknownModel,$CommandName"
    }
}
