BeforeAll {
    . $PSScriptRoot/common.ps1
}

Describe 'Get-VramFramework' {
    It 'lists one profile per -Framework name, in the order -Framework lists them' {
        $profiles = Get-VramFramework
        $profiles | Should -BeOfType ([VramPS.Engine.Frameworks.FrameworkProfile])
        $profiles.Name | Should -Be @([VramPS.Engine.FrameworkNames]::All)
        $profiles.Name | Should -Contain 'Megatron-LM'
    }

    It 'gives every behaviour of every profile a source' {
        foreach ($profile in Get-VramFramework) {
            $profile.Behaviors.Count | Should -BeGreaterOrEqual 30
            foreach ($behavior in $profile.Behaviors) {
                $behavior.Source | Should -Not -BeNullOrEmpty -Because "$($profile.Name).$($behavior.Name)"
            }
        }
    }

    It 'finds a profile by name, enum name or wildcard, ignoring case, each once' {
        (Get-VramFramework llama-factory).Name | Should -Be 'LLaMA-Factory'
        (Get-VramFramework HfTrainer).Name | Should -Be 'HF-Trainer'
        (Get-VramFramework 'fsdp*', 'FSDP_QLORA').Name | Should -Be 'fsdp_qlora'
        'litgpt' | Get-VramFramework | ForEach-Object Name | Should -Be 'litgpt'
    }

    It 'holds the values read from each framework''s source' {
        # litgpt/finetune/lora.py setup: lora_dropout 0.05; deepspeed/runtime/zero/config.py: reduce_bucket_size 5e8.
        (Get-VramFramework litgpt).LoraDropout.Value | Should -Be 0.05
        (Get-VramFramework DeepSpeed).ReduceBucketElements.Value | Should -Be 500000000
        (Get-VramFramework | Where-Object { $_.SelectiveRecompute.Value -eq 'CoreAttention' }).Name | Should -Be 'Megatron-LM', 'Megatron-SWIFT', 'NeMo'
    }

    It 'records a profile default in the estimate''s Assumptions in the profile''s words' {
        $assumed = (Get-VramFramework LLaMA-Factory).DefaultCheckpointing.Assumption
        (Get-TrainingMemory -Model $Llama -Method LoRA -Framework LLaMA-Factory).Assumptions | Should -Contain $assumed
    }

    It 'shows each behaviour with its value and source, grouped by framework' {
        $text = Get-VramFramework torchtune | Select-Object -ExpandProperty Behaviors | Out-String -Width 200
        $text | Should -Match 'Framework: torchtune'
        $text | Should -Match 'Nf4OnlyAdaptedLinears\s+True\s+docs/source/tutorials/qlora_finetune.rst'
        $text | Should -Match 'TransformersRelease\s+-\s+torchtune/models'
        (Get-VramFramework | Out-String -Width 200) | Should -Match 'Megatron-LM\s+Megatron-Core'
    }

    It 'lists every behaviour of a profile with its source, a default left to the general rule as -' {
        # torchtitan/models/llama3/model.py is its own model code: no transformers release (null, shown as -).
        $text = Get-VramFramework torchtitan | Format-List | Out-String -Width 400
        $text | Should -Match 'TransformersRelease\s+: - \(torchtitan/models/llama3/model\.py'
        $text | Should -Match 'DefaultSharding\s+: Zero3 \(torchtitan/config_manager\.py@9dec370'
    }

    It 'writes every list as its items through Export-Csv, never a type name' {
        # NeMo's other name (Synonyms), its adapters (nemo/collections/llm/peft: LoRA, DoRA) and the behaviour rows.
        $row = Get-VramFramework NeMo | ConvertTo-Csv | ConvertFrom-Csv
        $row.Synonyms | Should -Be 'Megatron-Bridge'
        $row.Adapters | Should -BeLike 'LoRA, DoRA (*'
        $row.Behaviors | Should -BeLike 'TransformersRelease = *; *'
        ($row.PSObject.Properties.Value -match 'System\.|\[\]') | Should -BeNullOrEmpty
    }

    It 'shows the profile an estimate was made with when the estimate is piped in' {
        $estimate = Get-TrainingMemory -Model $Llama -Method LoRA -Framework ms-swift -WarningAction SilentlyContinue
        ($estimate | Get-VramFramework).Name | Should -Be 'ms-swift'
    }

    It 'is read as -Framework alone when a profile is piped to the workload cmdlets' {
        # A profile's PromptLength, EmaCopy ... are what the framework does, not columns of the run: none is read.
        $estimates = Get-VramFramework verl, OpenRLHF | Get-TrainingMemory -Model $Llama -Method LoRA -Stage Grpo -Gpu H100-SXM -ErrorVariable failure -WarningAction SilentlyContinue
        $failure | Should -BeNullOrEmpty
        $estimates.Framework | Should -Be 'verl', 'OpenRLHF'
        $direct = Get-TrainingMemory -Model $Llama -Method LoRA -Stage Grpo -Gpu H100-SXM -Framework verl -WarningAction SilentlyContinue
        $estimates[0].Total | Should -Be $direct.Total
        # The command line wins over the piped profile, as for every piped setting.
        (Get-VramFramework verl | Get-TrainingMemory -Model $Llama -Method LoRA -Framework peft -WarningAction SilentlyContinue).Framework | Should -Be 'peft'
    }

    It 'is named, in -Framework''s order, wherever the help lists -Framework''s values' {
        # A framework added as docs/architecture.md says (enum, profile, FrameworkProfiles.All) shows up in every list.
        $names = [VramPS.Engine.FrameworkNames]::All -join ', '
        foreach ($page in 'Get-TrainingMemory', 'Find-GpuFit', 'Compare-FinetuneMethod', 'about_VramPS', 'about_VramPS_Frameworks') {
            $text = (Get-Content -Raw (Join-Path $RepoRoot "docs/en-US/$page.md")) -replace '\s+', ' '
            $text.Contains("$names (") | Should -BeTrue -Because "$page.md lists -Framework's values as $names"
        }
    }

    It 'reports a name VramPS does not know as UnknownFramework listing the known names' {
        Get-VramFramework nobody -ErrorVariable failure -ErrorAction SilentlyContinue
        $failure[0].FullyQualifiedErrorId | Should -Be 'UnknownFramework,VramPS.Commands.GetVramFrameworkCommand'
        $failure[0].CategoryInfo.Category | Should -Be 'ObjectNotFound'
        $failure[0].Exception.Message | Should -BeLike "*'nobody' is not known. Allowed: HF-Trainer, torchtune*"
    }

    It 'reports a pattern with an unclosed bracket as InvalidPattern naming -Name, and goes on with the next name' {
        $found = Get-VramFramework '[', peft -ErrorVariable failure -ErrorAction SilentlyContinue
        $failure.Count | Should -Be 1
        $failure[0].FullyQualifiedErrorId | Should -Be 'InvalidPattern,VramPS.Commands.GetVramFrameworkCommand'
        $failure[0].Exception.Parameter | Should -Be 'Name'
        $found.Name | Should -Be 'peft'
    }
}
