BeforeAll {
    . $PSScriptRoot/common.ps1

    # A valid config.json (Llama 3.2 1B) to break one way or another.
    $ValidConfig = Get-Content -Raw (Join-Path $RepoRoot 'tests/VramPS.Engine.Tests/Models/Fixtures/Llama-3.2-1B.json')

    function New-BadFile {
        param([string] $Name, [string] $Text)
        $path = Join-Path $TestDrive $Name
        New-Item -ItemType Directory -Force (Split-Path $path) | Out-Null
        [System.IO.File]::WriteAllText($path, $Text)
        $path
    }

    # The one error a cmdlet writes for -ConfigPath $Path, with -ErrorAction SilentlyContinue so the test reads it.
    function Get-FileError {
        param([string] $Command, [string] $Path)
        $failure = $null
        $output = & $Command -ConfigPath $Path -ErrorVariable failure -ErrorAction SilentlyContinue
        $output | Should -BeNullOrEmpty
        $failure | Should -HaveCount 1
        $failure[0]
    }
}

Describe 'A bad file given as -ConfigPath' {
    BeforeAll {
        $Cases = @{
            Missing   = { Join-Path $TestDrive 'absent/config.json' }
            Directory = { $folder = Join-Path $TestDrive 'no-config'; New-Item -ItemType Directory -Force $folder | Out-Null; $folder }
            TooLarge  = {
                $path = Join-Path $TestDrive 'huge/config.json'
                New-Item -ItemType Directory -Force (Split-Path $path) | Out-Null
                $stream = [System.IO.File]::Create($path)
                try { $stream.SetLength(16MB + 1) } finally { $stream.Dispose() }
                $path
            }
            Truncated = { New-BadFile 'truncated/config.json' $ValidConfig.Substring(0, $ValidConfig.Length / 2) }
            Nested    = { New-BadFile 'nested/config.json' ($ValidConfig.TrimEnd().TrimEnd('}') + ', "quantization_config": ' + ('[' * 40) + (']' * 40) + '}') }
            WrongType = { New-BadFile 'wrong-type/config.json' ($ValidConfig -replace '"num_hidden_layers": 16', '"num_hidden_layers": "16"') }
            ModelType = { New-BadFile 'mamba/config.json' ($ValidConfig -replace '"model_type": "llama"', '"model_type": "mamba"') }
            Url       = { 'https://huggingface.co/meta-llama/Llama-3.2-1B/resolve/main/config.json' }
        }
    }

    It 'reports <Case> as InvalidModelFile of <Command>, naming the file: <Fragment>' -ForEach @(
        @{ Case = 'Missing'; Command = 'Get-TrainingMemory'; Fragment = 'file not found' }
        @{ Case = 'Directory'; Command = 'Get-TrainingMemory'; Fragment = 'folder without a config.json' }
        @{ Case = 'TooLarge'; Command = 'Get-TrainingMemory'; Fragment = 'larger than 16 MiB' }
        @{ Case = 'Truncated'; Command = 'Get-TrainingMemory'; Fragment = 'not valid JSON' }
        @{ Case = 'Nested'; Command = 'Get-TrainingMemory'; Fragment = 'MaxDepth of 16' }
        @{ Case = 'WrongType'; Command = 'Get-TrainingMemory'; Fragment = "field 'num_hidden_layers'" }
        @{ Case = 'ModelType'; Command = 'Get-TrainingMemory'; Fragment = "'mamba' is not a model type" }
        @{ Case = 'Url'; Command = 'Get-TrainingMemory'; Fragment = "URL scheme 'https:'" }
        @{ Case = 'Url'; Command = 'Find-GpuFit'; Fragment = "URL scheme 'https:'" }
        @{ Case = 'Truncated'; Command = 'Compare-FinetuneMethod'; Fragment = 'not valid JSON' }
    ) {
        $path = & $Cases[$Case]
        $failure = Get-FileError $Command $path
        $class = (Get-Command $Command).ImplementingType.FullName
        $failure.FullyQualifiedErrorId | Should -Be "InvalidModelFile,$class"
        $failure.CategoryInfo.Category | Should -Be 'InvalidData'
        $failure.TargetObject | Should -Not -BeNullOrEmpty
        $failure.Exception.Message.Contains($failure.TargetObject) | Should -BeTrue
        $failure.Exception.Message.Contains((Split-Path $path -Leaf)) | Should -BeTrue
        $failure.Exception.Message | Should -BeLike "*$Fragment*"
    }

    It 'refuses a path on another provider without reading it' {
        $failure = Get-FileError 'Get-TrainingMemory' 'Env:PATH'
        $failure.FullyQualifiedErrorId | Should -Be 'InvalidModelFile,VramPS.Commands.GetTrainingMemoryCommand'
        $failure.Exception.Message | Should -BeLike '*Env:PATH*Environment provider*'
    }

    It 'goes on with the next piped row after a bad file' {
        $good = New-BadFile 'good/config.json' $ValidConfig
        $bad = New-BadFile 'bad/config.json' '{ "model_type": "llama"'
        $estimates = [pscustomobject]@{ ConfigPath = $bad }, [pscustomobject]@{ ConfigPath = $good } |
            Get-TrainingMemory -ErrorVariable failure -ErrorAction SilentlyContinue
        $estimates | Should -HaveCount 1
        $failure | Should -HaveCount 1
        $failure[0].Exception.Message | Should -BeLike "*$(Split-Path (Split-Path $bad) -Leaf)*"
    }
}
