BeforeAll {
    . $PSScriptRoot/common.ps1
    $GpuEntry = @{
        name = 'Lab-Accel'; vendor = 'Lab'; architecture = 'Test'; memoryBytes = 64GB; supportsBf16 = $true
        denseTflops16 = 500; memoryBandwidthGBps = 2000; contextBytes = 512MB; pricePerHour = 1.5; priceSource = 'our own, 2026-01-01'
    }
    $H100Override = @{
        name = 'H100-SXM'; vendor = 'NVIDIA'; architecture = 'Hopper'; memoryBytes = 100GB; supportsBf16 = $true
        denseTflops16 = 989; memoryBandwidthGBps = 3350; contextBytes = 512MB; pricePerHour = 1
    }
    $ModelEntry = @{
        id = 'lab/tiny-llama'; modelType = 'llama'; hiddenSize = 1024; intermediateSize = 2816; numLayers = 8; numHeads = 16
        numKvHeads = 4; headDim = 64; vocabSize = 32000
    }
    function Write-Catalog([string] $Name, [string] $Key, [object[]] $Entries) {
        $path = Join-Path $TestDrive $Name
        @{ $Key = $Entries } | ConvertTo-Json -Depth 5 | Set-Content $path
        $path
    }
}

Describe 'Get-VramGpu' {
    It 'lists every catalog GPU as a GpuSpec' {
        $gpus = Get-VramGpu
        $gpus.Count | Should -Be ([VramPS.Engine.Gpus.GpuCatalog]::Default.All.Count)
        $gpus | Should -BeOfType ([VramPS.Engine.Gpus.GpuSpec])
    }

    It 'gives entries no script can change, so every runspace shares the same catalog' {
        $gpu = Get-VramGpu H100-SXM
        { $gpu.MemoryBytes = 1 } | Should -Throw
        (Get-VramGpu H100-SXM).MemoryBytes | Should -BeGreaterThan 80e9
        $model = Get-VramModel meta-llama/Llama-2-7b-hf
        { $model.HiddenSize = 1 } | Should -Throw
        (Get-VramModel meta-llama/Llama-2-7b-hf).HiddenSize | Should -Be 4096
    }

    It 'filters names and aliases with wildcards, by position and from the pipeline' {
        (Get-VramGpu 'H100*').Name | ForEach-Object { $_ | Should -BeLike 'H100*' }
        ('rtx 4090' | Get-VramGpu).Name | Should -Be 'RTX-4090'
        Get-VramGpu 'NoSuch*' -ErrorVariable failure | Should -BeNullOrEmpty
        $failure | Should -BeNullOrEmpty
    }

    It 'reports a plain name the catalog lacks as UnknownGpu' {
        Get-VramGpu Z9000 -ErrorVariable failure -ErrorAction SilentlyContinue
        $failure[0].FullyQualifiedErrorId | Should -Be 'UnknownGpu,VramPS.Commands.GetVramGpuCommand'
        $failure[0].CategoryInfo.Category | Should -Be 'ObjectNotFound'
    }

    It 'shows GPUs as a table with memory in GiB' {
        (Get-VramGpu H100-SXM | Out-String -Width 200) | Should -Match 'Name\s+Vendor\s+Architecture\s+MemoryBytes\s+DenseTflops16\s+MemoryBandwidthGBps\s+PricePerHour'
    }
}

Describe 'Get-VramModel' {
    It 'lists models by wildcard as ModelInfo rows' {
        $models = Get-VramModel '*Llama-3.1*'
        $models | Should -Not -BeNullOrEmpty
        $models | Should -BeOfType ([VramPS.Engine.Models.ModelInfo])
        $models.Model | ForEach-Object { $_ | Should -BeLike '*Llama-3.1*' }
        (Get-VramModel meta-llama/Llama-2-7b-hf).Parameters | Should -Be 6738415616
    }

    It 'pipes into Compare-FinetuneMethod and Get-TrainingMemory' {
        $rows = Get-VramModel '*Llama-3.1-8B' | Compare-FinetuneMethod -Method LoRA
        $rows.Total | Should -Be (Compare-FinetuneMethod -Model meta-llama/Llama-3.1-8B -Method LoRA).Total
        (Get-VramModel $Llama | Get-TrainingMemory -Method QLoRA).Total | Should -Be (Get-TrainingMemory -Model $Llama -Method QLoRA).Total
    }

    It 'reports an id the catalog lacks as UnknownModel' {
        Get-VramModel nobody/nothing -ErrorVariable failure -ErrorAction SilentlyContinue
        $failure[0].FullyQualifiedErrorId | Should -Be 'UnknownModel,VramPS.Commands.GetVramModelCommand'
    }

    It 'reports a pattern with an unclosed bracket as InvalidPattern naming -Name, and goes on with the next name' {
        $models = Get-VramModel '[', meta-llama/Llama-2-7b-hf -ErrorVariable failure -ErrorAction SilentlyContinue
        $failure.Count | Should -Be 1
        $failure[0].FullyQualifiedErrorId | Should -Be 'InvalidPattern,VramPS.Commands.GetVramModelCommand'
        $failure[0].Exception | Should -BeOfType ([VramPS.Engine.Errors.InvalidWorkloadException])
        $failure[0].Exception.Parameter | Should -Be 'Name'
        $failure[0].Exception.Message | Should -BeLike "-Name '``[' is not a valid wildcard pattern*"
        $models.Model | Should -Be 'meta-llama/Llama-2-7b-hf'
    }
}

Describe 'Catalogs of your own' {
    It 'adds GPUs and overrides embedded ones with -GpuCatalogPath' {
        $path = Write-Catalog 'gpus.json' 'gpus' @($GpuEntry, $H100Override)
        (Get-VramGpu Lab-Accel -GpuCatalogPath $path).MemoryBytes | Should -Be 64GB
        $h100 = Get-VramGpu H100-SXM -GpuCatalogPath $path
        $h100.MemoryBytes | Should -Be 100GB
        $h100.Aliases | Should -Contain 'H100'
        (Get-VramGpu -GpuCatalogPath $path).Count | Should -Be ([VramPS.Engine.Gpus.GpuCatalog]::Default.All.Count + 1)

        $e = Get-TrainingMemory -Model $Llama -Method LoRA -Gpu Lab-Accel -GpuCatalogPath $path
        $e.Gpu | Should -Be 'Lab-Accel'
        $e.Run.PricePerGpuHour | Should -Be 1.5
        (Find-GpuFit -Model $Llama -Method LoRA -Gpu H100-SXM -GpuCatalogPath $path).MemoryBytes | Should -Be 100GB
        $plans = Get-VramGpu Lab-Accel -GpuCatalogPath $path | Find-GpuFit -Params 13B -Method Full -MaxGpus 8
        $plans.Gpu | Sort-Object -Unique | Should -Be 'Lab-Accel'
    }

    It 'adds models and overrides embedded ones with -ModelCatalogPath' {
        $override = @{ id = $Llama; modelType = 'llama'; hiddenSize = 4096; intermediateSize = 11008; numLayers = 16; numHeads = 32; vocabSize = 32000 }
        $path = Write-Catalog 'models.json' 'models' @($ModelEntry, $override)
        $tiny = Get-TrainingMemory -Model lab/tiny-llama -Method Full -ModelCatalogPath $path
        $tiny.Parameters | Should -Be (Get-VramModel lab/tiny-llama -ModelCatalogPath $path).Parameters
        $tiny.Parameters | Should -BeGreaterThan 0
        (Get-VramModel $Llama -ModelCatalogPath $path).Layers | Should -Be 16
        (Get-TrainingMemory -Model $Llama -ModelCatalogPath $path).Parameters | Should -BeLessThan (Get-TrainingMemory -Model $Llama).Parameters
        (Get-VramModel lab/tiny-llama -ModelCatalogPath $path | Get-TrainingMemory -Method LoRA).Model | Should -Be 'lab/tiny-llama'
    }

    It 'rejects a bad GPU field as InvalidCatalogFile naming the file, the entry and the field' {
        $bad = $GpuEntry.Clone()
        $bad.memoryBytes = -1
        $path = Write-Catalog 'bad-gpus.json' 'gpus' @($bad)
        { Get-VramGpu -GpuCatalogPath $path -ErrorAction Stop } | Should -Throw -ErrorId 'InvalidCatalogFile,VramPS.Commands.GetVramGpuCommand'
        try { Get-TrainingMemory -Params 7B -GpuCatalogPath $path -ErrorAction Stop } catch { $record = $_ }
        $record.FullyQualifiedErrorId | Should -Be 'InvalidCatalogFile,VramPS.Commands.GetTrainingMemoryCommand'
        $record.CategoryInfo.Category | Should -Be 'InvalidData'
        $record.Exception.Message | Should -Match ([regex]::Escape($path))
        $record.Exception.Message | Should -Match "gpus\[0\] \(Lab-Accel\): field 'memoryBytes'"
    }

    It 'rejects a bad model field as InvalidCatalogFile naming the file, the entry and the field' {
        $bad = $ModelEntry.Clone()
        $bad.hiddenSize = 'wide'
        $path = Write-Catalog 'bad-models.json' 'models' @($bad)
        try { Find-GpuFit -Model lab/tiny-llama -ModelCatalogPath $path -ErrorAction Stop } catch { $record = $_ }
        $record.FullyQualifiedErrorId | Should -Be 'InvalidCatalogFile,VramPS.Commands.FindGpuFitCommand'
        $record.CategoryInfo.Category | Should -Be 'InvalidData'
        $record.Exception.Message | Should -Match ([regex]::Escape($path))
        $record.Exception.Message | Should -Match "entry 'lab/tiny-llama', field 'hiddenSize'"
    }
}
