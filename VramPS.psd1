@{
    RootModule             = 'VramPS.dll'
    # The build writes Directory.Build.props's VersionPrefix here in the staged manifest (module/VramPS.psd1).
    ModuleVersion          = '0.0.0'
    GUID                   = '5b0f7c5e-3f7e-4f3a-9a52-6a0c2c1d8e41'
    Author                 = 'VramPS contributors'
    Copyright              = '(c) VramPS contributors. MIT License.'
    Description            = 'Estimates the GPU memory an LLM fine-tuning run needs at its peak, explains it, and finds the GPUs it fits.'
    PowerShellVersion      = '5.1'
    CompatiblePSEditions   = @('Desktop', 'Core')
    DotNetFrameworkVersion = '4.7.2'
    RequiredAssemblies     = @('VramPS.Engine.dll', 'Newtonsoft.Json.dll')
    FormatsToProcess       = @('VramPS.format.ps1xml')
    TypesToProcess         = @('VramPS.types.ps1xml')
    CmdletsToExport        = @('Get-TrainingMemory', 'Find-GpuFit', 'Compare-FinetuneMethod', 'Get-VramGpu', 'Get-VramModel', 'Export-VramReport', 'Import-TrainingConfig', 'Get-VramFramework')
    FunctionsToExport      = @()
    VariablesToExport      = @()
    AliasesToExport        = @()
    PrivateData            = @{
        PSData = @{
            Tags         = @('GPU', 'VRAM', 'LLM', 'FineTuning', 'LoRA', 'QLoRA', 'MachineLearning', 'PSEdition_Core', 'PSEdition_Desktop')
            LicenseUri   = 'https://opensource.org/licenses/MIT'
            ProjectUri   = 'https://github.com/vramps/VramPS'
            ReleaseNotes = 'See CHANGELOG.md in the project repository.'
        }
    }
}
