BeforeAll {
    . $PSScriptRoot/common.ps1
    $script:DevSet = Join-Path $PSScriptRoot '../data/swift-zero3-dev.csv'
}

Describe 'ms-swift ZeRO-3 packed runs' {
    It 'estimates the published ZeRO-3 packed runs, with and without Liger, within 10% each, piped as a user pipes the CSV' {
        # tests/data/swift-zero3-dev.csv: ms-swift's memory comments and benchmark table (Source path@commit on each row);
        # its measured figures are swift's memory(GiB) log, max_memory_reserved. One is a packed DPO run (Stage Dpo).
        $rows = @(Import-Csv $script:DevSet | Where-Object { $_.Quality -eq 'Measured' -and $_.Sharding -eq 'Zero3' })
        $rows.Count | Should -Be 7
        $worst = $rows | ForEach-Object {
            $reserved = ($_ | Get-TrainingMemory -WarningAction SilentlyContinue).Reserved
            [pscustomobject]@{ Id = $_.Id; Miss = [math]::Abs($reserved / 1GB / [double]$_.MeasuredGiB - 1) }
        } | Sort-Object Miss -Descending | Select-Object -First 1
        $worst.Miss | Should -BeLessOrEqual 0.10 -Because $worst.Id
    }

    It 'reads every row of the file, the ones kept for reference included' {
        $rows = @(Import-Csv $script:DevSet)
        $e = @($rows | Get-TrainingMemory -WarningAction SilentlyContinue -ErrorAction Stop)
        $e.Count | Should -Be $rows.Count
        ($e | Where-Object Framework -ne 'ms-swift').Count | Should -Be 0
    }
}
