BeforeDiscovery {
    $readme = Get-Content -Raw (Join-Path $PSScriptRoot '../../README.md')
    $blocks = [regex]::Matches($readme, '(?ms)^```powershell\r?\n(.*?)^```')
    $Examples = foreach ($block in $blocks) {
        foreach ($line in $block.Groups[1].Value -split '\r?\n' | Where-Object { $_ -like 'PS> *' }) {
            @{ Code = $line.Substring(4) }
        }
    }
}

BeforeAll {
    . $PSScriptRoot/common.ps1
    Push-Location $RepoRoot
}

AfterAll {
    Pop-Location
}

Describe 'README examples' {
    It 'has examples to run' -TestCases @{ Count = @($Examples).Count } {
        $Count | Should -BeGreaterOrEqual 5
    }

    It 'runs: <Code>' -TestCases $Examples {
        $Error.Clear()
        $output = Invoke-Expression $Code -ErrorVariable failures 3>&1 | Out-String
        $failures | Should -BeNullOrEmpty
        $output.Trim() | Should -Not -BeNullOrEmpty
    }
}
