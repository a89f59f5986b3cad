# Each kind of report, rendered by headless Chromium (installed with apt-get by tools/Invoke-Chromium.ps1 when absent):
# the screenshot has the window's size and the charts are drawn, in their colours and at their sizes.
BeforeDiscovery {
    # Each kind with a colour its chart must show (from Reports/MemoryTerm.cs and the report's style) and the least
    # height in pixels the coloured area spans.
    $Kinds = @(
        @{ Kind = 'estimate'; Colour = '#3b6fb6'; Tall = 100; Make = { Get-TrainingMemory -Model $Llama -Method QLoRA -BatchSize 4 -SequenceLength 2048 -Gpu RTX-4090 } }
        @{ Kind = 'stage'; Colour = '#3b6fb6'; Tall = 400; Make = { Get-TrainingMemory -Model 'meta-llama/Llama-3.1-8B' -Stage Dpo -Method LoRA -Gpu H100-SXM } }
        @{ Kind = 'methods'; Colour = '#2e8b57'; Tall = 50; Make = { Compare-FinetuneMethod -Model $Llama -Gpu H100-SXM } }
        @{ Kind = 'fits'; Colour = '#c0392b'; Tall = 20; Make = { Get-TrainingMemory -Model $Mistral -Method LoRA -BatchSize 4 -SequenceLength 4096 -Checkpointing Full | Find-GpuFit -Gpu 'H100-SXM', 'RTX-4090', 'L4' } }
        @{ Kind = 'plans'; Colour = '#2e8b57'; Tall = 40; Make = { Find-GpuFit -Model $Llama -Method Full -SequenceLength 2048 -MaxGpus 16 | Select-Object -First 4 } }
    )
}

BeforeAll {
    . $PSScriptRoot/common.ps1
    Add-Type -Path (Join-Path $RepoRoot 'tools/PngPixels.cs')
}

Describe 'Reports rendered in headless Chromium' {
    It 'renders the <Kind> report with its chart drawn and sized' -TestCases $Kinds {
        $html = Join-Path $TestDrive "$Kind.html"
        $png = Join-Path $TestDrive "$Kind.png"
        & $Make | Export-VramReport -Path $html
        & (Join-Path $RepoRoot 'tools/Invoke-Chromium.ps1') -Html $html -Png $png -Width 900 -Height 1800
        $image = [VramPS.Tools.PngPixels]::Read($png)
        $image.Width | Should -Be 900
        $image.Height | Should -Be 1800
        # count, x0, y0, x1, y1 of the pixels in the chart's colour.
        $found = $image.Find($Colour, 8)
        $found[0] | Should -BeGreaterThan 500 -Because "the $Kind chart's $Colour bars must be drawn"
        ($found[4] - $found[2]) | Should -BeGreaterThan $Tall -Because "the $Kind chart's bars must span more than $Tall pixels"
        ($found[3] - $found[1]) | Should -BeGreaterThan 40
    }

    It 'draws a GPU''s capacity as a red line across the estimate''s chart' {
        $html = Join-Path $TestDrive 'capacity.html'
        $png = Join-Path $TestDrive 'capacity.png'
        Get-TrainingMemory -Model $Llama -Method QLoRA -Gpu RTX-4090 | Export-VramReport -Path $html
        & (Join-Path $RepoRoot 'tools/Invoke-Chromium.ps1') -Html $html -Png $png -Width 900 -Height 1200
        $line = [VramPS.Tools.PngPixels]::Read($png).Find('#b00020', 12)
        # A 2-pixel line across the 496-pixel plot, plus its label.
        ($line[3] - $line[1]) | Should -BeGreaterThan 450
        $line[0] | Should -BeGreaterThan 450
    }
}
