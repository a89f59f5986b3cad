BeforeAll {
    . $PSScriptRoot/common.ps1

    # 8 runspaces x 10,000 estimates, and 10,000 serially to compare with (about 15 s on 2 cores).
    $PerRunspace = 10000
    $Runspaces = 8

    # Varied workloads, as strings like Import-Csv rows: catalog models, -Params sizes, every method, sharding across
    # many GPUs, GPU contexts, trainers.
    $Specs = @(
        @{ Model = $Llama; Method = 'Full' }
        @{ Model = $Llama; Method = 'LoRA'; LoraRank = '64'; BatchSize = '4'; SequenceLength = '4096' }
        @{ Model = $Mistral; Method = 'QLoRA'; Checkpointing = 'Full'; Gpu = 'RTX-4090' }
        @{ Model = 'mistralai/Mixtral-8x7B-v0.1'; Method = 'LoRA'; GpuCount = '8'; Sharding = 'Zero3'; Gpu = 'H100-SXM' }
        @{ Params = '70B'; Method = 'Full'; GpuCount = '64'; Sharding = 'Zero3'; Offload = 'Optimizer' }
        @{ Params = '1.5T'; Method = 'Freeze'; TrainableLayers = '4'; GpuCount = '1024'; Sharding = 'Zero2' }
        @{ Params = '125M'; Method = 'Full'; Precision = 'Fp32'; Optimizer = 'SGD'; BatchSize = '512' }
        @{ Model = 'Qwen/Qwen2.5-7B'; Method = 'LoRA'; Framework = 'torchtune'; Techniques = 'ChunkedLoss,Compile' }
        @{ Model = $Llama; Method = 'QLoRA'; Framework = 'litgpt'; GradientAccumulation = '8'; Attention = 'Eager' }
    )

    # Each estimate of $Count rows cycling through $Specs, as 'Allocated|Reserved|Total|PeakPhase': the rows that name a
    # catalog model, then those that give -Params (one pipeline binds one parameter set).
    $Measure = {
        param($Specs, [int] $Count)
        $rows = for ($i = 0; $i -lt $Count; $i++) { [pscustomobject]$Specs[$i % $Specs.Count] }
        $byModel = $rows.Where({ $null -ne $_.PSObject.Properties['Model'] }, 'Split')
        foreach ($group in $byModel) {
            $group | Get-TrainingMemory | ForEach-Object { '{0}|{1}|{2}|{3}' -f $_.Allocated, $_.Reserved, $_.Total, $_.PeakPhase }
        }
    }
}

Describe 'Estimates in parallel runspaces' {
    It 'give, in each of 8 runspaces at once, exactly the serial results' {
        $serial = & $Measure $Specs $PerRunspace
        $serial | Should -HaveCount $PerRunspace

        $measure = $Measure.ToString()
        $parallel = 1..$Runspaces | ForEach-Object -ThrottleLimit $Runspaces -Parallel {
            Import-Module $using:ModuleManifest
            $results = & ([scriptblock]::Create($using:measure)) $using:Specs $using:PerRunspace
            [pscustomobject]@{ Runspace = $_; Results = $results }
        }

        $parallel | Should -HaveCount $Runspaces
        foreach ($run in $parallel) {
            $run.Results | Should -HaveCount $PerRunspace
            $differing = @(for ($i = 0; $i -lt $PerRunspace; $i++) { if ($run.Results[$i] -cne $serial[$i]) { $i } })
            $differing | Should -BeNullOrEmpty -Because "runspace $($run.Runspace) must match the serial run row for row"
        }
    }
}
