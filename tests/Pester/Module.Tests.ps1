BeforeAll {
    . $PSScriptRoot/common.ps1
}

Describe 'Module manifest' {
    It 'passes Test-ModuleManifest' {
        $manifest = Test-ModuleManifest $ModuleManifest
        $manifest.Name | Should -Be 'VramPS'
        $manifest.CompatiblePSEditions | Should -Be @('Desktop', 'Core')
        $manifest.PowerShellVersion | Should -Be ([version]'5.1')
    }

    It 'takes its version from Directory.Build.props' {
        $version = ([xml](Get-Content -Raw (Join-Path $RepoRoot 'Directory.Build.props'))).Project.PropertyGroup.VersionPrefix
        (Test-ModuleManifest $ModuleManifest).Version | Should -Be ([version]$version)
        (Get-Module VramPS).Version | Should -Be ([version]$version)
    }

    It 'exports exactly the cmdlets the manifest lists' {
        $listed = (Import-PowerShellDataFile $ModuleManifest).CmdletsToExport
        (Get-Command -Module VramPS).Name | Sort-Object | Should -Be ($listed | Sort-Object)
        $listed | Sort-Object | Should -Be ($Cmdlets | Sort-Object)
    }

    It 'lists no wildcard and no other kind of export' {
        $data = Import-PowerShellDataFile $ModuleManifest
        $data.CmdletsToExport | Should -Not -Match '\*'
        $data.FunctionsToExport | Should -BeNullOrEmpty
        $data.AliasesToExport | Should -BeNullOrEmpty
        $data.VariablesToExport | Should -BeNullOrEmpty
    }
}

Describe '<_> metadata and help' -ForEach @('Get-TrainingMemory', 'Find-GpuFit', 'Compare-FinetuneMethod', 'Get-VramGpu', 'Get-VramModel', 'Import-TrainingConfig', 'Get-VramFramework') {
    BeforeAll {
        $name = $_
        $command = Get-Command $name
        $help = Get-Help $name -Full
        $common = [System.Management.Automation.Cmdlet]::CommonParameters + [System.Management.Automation.Cmdlet]::OptionalCommonParameters
    }

    It 'is a cmdlet that declares its output type' {
        $command.CommandType | Should -Be 'Cmdlet'
        $command.OutputType.Type | Should -Not -BeNullOrEmpty
        $command.OutputType.Type.Namespace | Should -BeLike 'VramPS.Engine*'
    }

    It 'does not declare ShouldProcess (it reads only)' {
        $command.Parameters.Keys | Should -Not -Contain 'WhatIf'
    }

    It 'has a synopsis and a description' {
        $help.Synopsis | Should -Not -BeNullOrEmpty
        $help.Synopsis | Should -Not -Match "^\s*$name\s"
        ($help.Description.Text -join ' ').Length | Should -BeGreaterThan 100
    }

    It 'has at least three examples, each with code and remarks' {
        $examples = @((Get-Help $name -Examples).Examples.Example)
        $examples.Count | Should -BeGreaterOrEqual 3
        foreach ($example in $examples) {
            $example.Code | Should -Not -BeNullOrEmpty
            ($example.Remarks.Text -join '') | Should -Not -BeNullOrEmpty
        }
    }

    It 'describes every parameter' {
        $described = @{}
        foreach ($p in $help.Parameters.Parameter) { $described[$p.Name] = ($p.Description.Text -join ' ') }
        foreach ($parameter in $command.Parameters.Keys | Where-Object { $_ -notin $common }) {
            $described[$parameter] | Should -Not -BeNullOrEmpty -Because "-$parameter needs a description"
        }
    }

    It 'names its output type in its help' {
        ($help.ReturnValues.ReturnValue.Type.Name -join ' ') | Should -Match ([regex]::Escape($command.OutputType[0].Type.FullName))
    }
}
