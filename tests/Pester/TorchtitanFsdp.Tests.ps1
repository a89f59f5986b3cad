BeforeAll {
    . $PSScriptRoot/common.ps1
    $script:DevSet = Join-Path $PSScriptRoot '../data/torchtitan-fsdp-dev.csv'
}

Describe 'torchtitan FSDP runs' {
    It 'estimates the published FSDP2 runs of Llama 3.1 8B within their bounds, piped as a user pipes the CSV' {
        # tests/data/torchtitan-fsdp-dev.csv: torchtitan's Dec 2024 benchmark tables 1 and 3 (FSDP and FSDP + compile, 8
        # and 128 H100s: max_memory_reserved), Trainy's June 2025 community runs (32 and 64 H200s, its kind unstated:
        # scored as Total) and TorchAO's Aug 2025 runs on 8 B200s (bf16, float8 tensorwise and rowwise), each row citing
        # its file@commit. The B200 rows are 7-8% above (83e6941's units and the reduce-scatter input on the default
        # stream explain 5.9 GiB of their former miss; the rest is not yet explained). Bounds just above today's figures.
        $rows = @(Import-Csv $script:DevSet | Where-Object Quality -eq 'Measured')
        $rows.Count | Should -Be 9
        $misses = foreach ($row in $rows) {
            $e = $row | Get-TrainingMemory -WarningAction SilentlyContinue
            $estimated = if ($row.MeasureKind -eq 'Reserved') { $e.Reserved } else { $e.Total }
            $miss = [math]::Abs($estimated / 1GB / [double]$row.MeasuredGiB - 1)
            $miss | Should -BeLessOrEqual 0.09 -Because $row.Id
            $miss
        }
        ($misses | Measure-Object -Average).Average | Should -BeLessOrEqual 0.05
    }

    It 'reads the checkout date a row names: the compiled loss of June 2025 holds less than the baseline of December 2024' {
        $row = Import-Csv $script:DevSet | Where-Object Id -eq 'titan-trainy-8b-h200-32g'
        $dated = $row | Get-TrainingMemory -WarningAction SilentlyContinue
        $row.FrameworkVersion = ''
        $baseline = $row | Get-TrainingMemory -WarningAction SilentlyContinue
        # Two 8192-token sequences over a 128256-entry vocabulary. When backward starts, the eager loss holds 12 bytes per
        # entry (bf16 logits 2, their fp32 upcast 4, the fp32 gradient of that copy 4, the bf16 gradient 2); compiled
        # (torchtitan/components/loss.py@bbb1b61), the upcast and log-softmax fuse away: bf16 logits and their gradient, 4.
        $saved = 2 * 8192 * 128256 * (12 - 4)
        ($baseline.Allocated - $dated.Allocated) | Should -Be $saved
    }
}
