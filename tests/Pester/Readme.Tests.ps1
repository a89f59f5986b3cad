# Every "PS> " line of the README and of the about topics' markdown runs against the built module and prints something.
BeforeDiscovery {
    $root = Join-Path $PSScriptRoot '../..'
    $files = @(Get-Item (Join-Path $root 'README.md')) + @(Get-ChildItem (Join-Path $root 'docs/en-US') -Filter 'about_*.md')
    $Examples = foreach ($file in $files) {
        $text = Get-Content -Raw $file.FullName
        foreach ($block in [regex]::Matches($text, '(?ms)^```powershell\r?\n(.*?)^```')) {
            foreach ($line in $block.Groups[1].Value -split '\r?\n' | Where-Object { $_ -like 'PS> *' }) {
                @{ File = $file.Name; Code = $line.Substring(4) }
            }
        }
    }
}

BeforeAll {
    . $PSScriptRoot/common.ps1
    # Beside copies of the files the examples name (the trainer configs of the README), as the help examples run
    Copy-Item (Join-Path $RepoRoot 'tests/data/help-examples/*') $TestDrive -Recurse
    Push-Location $TestDrive
}

AfterAll {
    Pop-Location
}

Describe 'README and about-topic examples' {
    It 'has examples to run in <File>' -TestCases @(
        @{ File = 'README.md'; Least = 3; Count = @($Examples | Where-Object { $_.File -eq 'README.md' }).Count }
        @{ File = 'about_VramPS.md'; Least = 10; Count = @($Examples | Where-Object { $_.File -eq 'about_VramPS.md' }).Count }
    ) {
        $Count | Should -BeGreaterOrEqual $Least
    }

    It '<File> runs: <Code>' -TestCases $Examples {
        $Error.Clear()
        $output = Invoke-Expression $Code -ErrorVariable failures 3>&1 | Out-String
        $failures | Should -BeNullOrEmpty
        $output.Trim() | Should -Not -BeNullOrEmpty
    }
}
