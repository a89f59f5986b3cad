# Export-VramReport: what the page holds, how it is escaped, and how the cmdlet behaves. The rendering in a browser is
# ReportRendering.Tests.ps1.
BeforeAll {
    . $PSScriptRoot/common.ps1
    $Version = ([xml](Get-Content -Raw (Join-Path $RepoRoot 'Directory.Build.props'))).Project.PropertyGroup.VersionPrefix
    function Export-Page([string] $Name) {
        $path = Join-Path $TestDrive $Name
        $input | Export-VramReport -Path $path
        Get-Content -Raw $path
    }
}

Describe 'Export-VramReport page' {
    BeforeAll {
        $estimate = Get-TrainingMemory -Model $Llama -Method QLoRA -BatchSize 4 -SequenceLength 2048 -Gpu RTX-4090
        $page = $estimate | Export-Page 'estimate.html'
    }

    It 'is one self-contained HTML page: no script, nothing fetched' {
        $page | Should -Match '^<!DOCTYPE html>'
        $page | Should -Not -Match '<script'
        $page | Should -Not -Match '<link|@import|url\(|\bsrc='
        ($page -replace 'xmlns="http://www\.w3\.org/2000/svg"', '') | Should -Not -Match 'https?://'
        $page | Should -Match '<style>'
    }

    It 'draws the step by phase with every phase as a bar and the peak marked once' {
        $page | Should -Match '<svg class="chart" data-kind="phases"'
        foreach ($phase in $estimate.Phases) {
            $page | Should -Match ('<text class="category[^"]*"[^>]*>' + [regex]::Escape(($phase.Phase -creplace '(?<=[a-z])(?=[A-Z])', ' ').Split(' ')[0]))
        }
        ([regex]::Matches($page, '<rect class="peak"')).Count | Should -Be 1
        $page | Should -Match ([regex]::Escape("<td>$($estimate.PeakPhase) (peak)</td>"))
    }

    It 'draws the GPU''s capacity and the headroom under it as lines' {
        # RTX-4090: nvidia-smi reports 24564 MiB = 23.99 GiB; 10% headroom leaves 0.9 x 24564 MiB = 21.59 GiB.
        $page | Should -Match 'class="ref-label capacity"[^>]*>RTX-4090 23\.99 GiB<'
        $page | Should -Match 'class="ref-label headroom"[^>]*>RTX-4090 less 10% 21\.59 GiB<'
        $twenty = Get-Content -Raw -LiteralPath ($estimate | Export-VramReport -Path (Join-Path $TestDrive 'twenty.html') -HeadroomPercent 20 -PassThru).FullName
        # 0.8 x 24564 MiB = 19651.2 MiB = 19.19 GiB.
        $twenty | Should -Match 'RTX-4090 less 20% 19\.19 GiB'
    }

    It 'writes each figure beside its chart' {
        foreach ($phase in $estimate.Phases) {
            $page | Should -Match ([regex]::Escape('{0:0.00} GiB</td></tr>' -f ($phase.Allocated / 1GB)))
        }
        $page | Should -Match ([regex]::Escape('{0:0.00} GiB' -f ($estimate.Total / 1GB)))
    }

    It 'states every assumption of the estimate' {
        foreach ($assumption in $estimate.Assumptions) {
            $page | Should -Match ([regex]::Escape('<li>' + [System.Net.WebUtility]::HtmlEncode($assumption) + '</li>'))
        }
    }

    It 'states the VramPS version from Directory.Build.props' {
        $page | Should -Match ([regex]::Escape("VramPS $Version"))
    }

    It 'states the accuracy on the dev set as the harness measures it now' {
        $summary = Join-Path $TestDrive 'accuracy.json'
        & (Join-Path $RepoRoot 'tools/Measure-Accuracy.ps1') -Csv $DevCsv -Module $ModuleManifest -SummaryPath $summary 6> $null | Out-Null
        $all = (Get-Content -Raw $summary | ConvertFrom-Json).Groups | Where-Object Group -EQ 'All'
        $staged = (Get-Content -Raw (Join-Path $RepoRoot 'module/VramPS.accuracy.json') | ConvertFrom-Json).Groups | Where-Object Group -EQ 'All'
        $staged.'MAPE%' | Should -Be $all.'MAPE%' -Because 'module/VramPS.accuracy.json must be what the engine scores now: build again'
        $staged.Worst | Should -Be $all.Worst
        $page | Should -Match ('off by <strong>{0:0.0}%</strong>' -f $all.'MAPE%')
        $page | Should -Match ('{0:0.0}% at the median' -f $all.'Median%')
        $page | Should -Match ([regex]::Escape("the worst is $($all.Worst)"))
        $page | Should -Match ('On the {0} published training runs' -f $all.Rows)
    }

    It 'escapes what it writes: <_>' -ForEach @('<script>alert(1)</script>', 'Tom & "Jerry''s" <b>') {
        $path = Join-Path $TestDrive 'escaped.html'
        $estimate | Export-VramReport -Path $path -Title $_
        $text = Get-Content -Raw $path
        $text | Should -Not -Match '<script|<b>'
        $text | Should -Match ([regex]::Escape('<h1>' + [System.Net.WebUtility]::HtmlEncode($_) + '</h1>'))
    }
}

Describe 'Export-VramReport kinds' {
    It 'draws each model an alignment stage holds' {
        $stage = Get-TrainingMemory -Model 'meta-llama/Llama-3.1-8B' -Stage Ppo -Method LoRA -Gpu H100-SXM
        $page = $stage | Export-Page 'stage.html'
        $page | Should -Match 'data-kind="models"'
        foreach ($model in $stage.Models) {
            $page | Should -Match ([regex]::Escape("<td>$($model.Role)</td><td>$($model.Model)</td><td>$($model.Method)</td>"))
        }
    }

    It 'draws compared methods side by side, one bar each' {
        $rows = Compare-FinetuneMethod -Model $Llama
        $page = $rows | Export-Page 'methods.html'
        $page | Should -Match 'data-kind="methods"'
        ([regex]::Matches($page, '<text class="total"')).Count | Should -Be $rows.Count
        foreach ($row in $rows) { $page | Should -Match ([regex]::Escape('{0:0.00}x' -f $row.RelativeToFull)) }
    }

    It 'draws every GPU tried, those that fit and those that do not' {
        $fits = Get-TrainingMemory -Model $Mistral -Method LoRA -BatchSize 4 -SequenceLength 4096 -Checkpointing Full | Find-GpuFit -Gpu 'H100-SXM', 'RTX-4090', 'L4'
        $page = $fits | Export-Page 'fits.html'
        $page | Should -Match 'data-kind="fits"'
        ([regex]::Matches($page, '<rect class="bar good"')).Count | Should -Be @($fits | Where-Object Fits).Count
        ([regex]::Matches($page, '<rect class="bar bad"')).Count | Should -Be @($fits | Where-Object { -not $_.Fits }).Count
        foreach ($fit in $fits | Where-Object { -not $_.Fits }) { $page | Should -Match ([regex]::Escape($fit.WhyNot)) }
    }

    It 'draws cluster plans with their cost and layout' {
        $plans = @(Find-GpuFit -Model $Llama -Method Full -SequenceLength 2048 -MaxGpus 16 | Select-Object -First 4)
        $plans[0] | Should -BeOfType VramPS.Engine.Planning.ClusterPlan
        $page = $plans | Export-Page 'plans.html'
        $page | Should -Match 'data-kind="plans"'
        foreach ($plan in $plans) { $page | Should -Match ([regex]::Escape('{0:N2}' -f $plan.Cost)) }
    }

    It 'puts one run''s rows in one chart and another run''s in the next' {
        $rows = @(Compare-FinetuneMethod -Params 7B -Method LoRA, QLoRA) + @(Compare-FinetuneMethod -Params 13B -Method LoRA, QLoRA)
        $page = $rows | Export-Page 'two.html'
        ([regex]::Matches($page, 'data-kind="methods"')).Count | Should -Be 2
    }
}

Describe 'Export-VramReport behaviour' {
    It 'returns the file with -PassThru and nothing without' {
        $path = Join-Path $TestDrive 'passthru.html'
        $file = Get-TrainingMemory -Params 7B -Method QLoRA | Export-VramReport -Path $path -PassThru
        $file | Should -BeOfType System.IO.FileInfo
        $file.FullName | Should -Be $path
        Get-TrainingMemory -Params 7B -Method QLoRA | Export-VramReport -Path $path | Should -BeNullOrEmpty
    }

    It 'writes nothing under -WhatIf' {
        $path = Join-Path $TestDrive 'whatif.html'
        Get-TrainingMemory -Params 7B -Method QLoRA | Export-VramReport -Path $path -WhatIf
        Test-Path $path | Should -BeFalse
    }

    It 'reports an object it cannot draw and still draws the others' {
        $path = Join-Path $TestDrive 'mixed.html'
        @(1, (Get-TrainingMemory -Params 7B -Method QLoRA)) | Export-VramReport -Path $path -ErrorVariable failures -ErrorAction SilentlyContinue
        $failures.Count | Should -Be 1
        $failures[0].FullyQualifiedErrorId | Should -Be 'UnsupportedInput,VramPS.Commands.ExportVramReportCommand'
        $failures[0].Exception.Message | Should -Match 'System.Int32.*TrainingMemoryEstimate.*MethodComparison.*GpuFit, ClusterPlan'
        Get-Content -Raw $path | Should -Match 'data-kind="phases"'
    }

    It 'writes no file when nothing can be drawn' {
        $path = Join-Path $TestDrive 'none.html'
        'x' | Export-VramReport -Path $path -ErrorVariable failures -ErrorAction SilentlyContinue
        $failures.FullyQualifiedErrorId | Should -Contain 'NoReportInput,VramPS.Commands.ExportVramReportCommand'
        Test-Path $path | Should -BeFalse
    }

    It 'stops with ReportNotWritten when the folder does not exist' {
        { Get-TrainingMemory -Params 7B -Method QLoRA | Export-VramReport -Path (Join-Path $TestDrive 'missing/report.html') } |
            Should -Throw -ErrorId 'ReportNotWritten,VramPS.Commands.ExportVramReportCommand'
    }

    It 'warns, naming the file, when -Show finds no desktop to open it in' -Skip:(-not $IsLinux) {
        $path = Join-Path $TestDrive 'show.html'
        $display, $wayland = $env:DISPLAY, $env:WAYLAND_DISPLAY
        try {
            $env:DISPLAY = $null; $env:WAYLAND_DISPLAY = $null
            Get-TrainingMemory -Params 7B -Method QLoRA | Export-VramReport -Path $path -Show -WarningVariable warned -WarningAction SilentlyContinue
        }
        finally {
            $env:DISPLAY, $env:WAYLAND_DISPLAY = $display, $wayland
        }
        $warned.Count | Should -Be 1
        $warned[0].Message | Should -Match ([regex]::Escape($path))
        Test-Path $path | Should -BeTrue
    }
}
