# The help is written once, in docs/en-US (platyPS markdown), and generated into module/en-US by the build. These tests
# hold the markdown to the cmdlets as compiled, the staged help to the markdown, and every example to running.
BeforeDiscovery {
    . $PSScriptRoot/common.ps1
    $CommandCases = foreach ($name in $Cmdlets) { @{ Name = $name } }
    $ExampleCases = foreach ($name in $Cmdlets) {
        $number = 0
        foreach ($example in (Get-Help $name -Examples).Examples.Example) {
            $number++
            @{ Name = $name; Number = $number; Code = $example.Code }
        }
    }
    $AboutCases = foreach ($topic in 'about_VramPS', 'about_VramPS_Accuracy', 'about_VramPS_Frameworks') { @{ Topic = $topic } }
}

BeforeAll {
    . $PSScriptRoot/common.ps1
    $Docs = Join-Path $RepoRoot 'docs/en-US'
    $Common = [System.Management.Automation.Cmdlet]::CommonParameters + [System.Management.Automation.Cmdlet]::OptionalCommonParameters

    function Get-TypeName([type] $Type) {
        $underlying = [Nullable]::GetUnderlyingType($Type)
        if ($underlying) { $underlying.Name } else { $Type.Name }
    }

    function Get-ExpectedSyntax([string] $Name, [System.Management.Automation.CommandParameterSetInfo] $Set) {
        # platyPS's syntax line: positional parameters by position, then the others in declaration order; hidden
        # parameters (DontShow) are documented but left out of the syntax.
        $parameters = @($Set.Parameters | Where-Object {
                $_.Name -notin $Common -and -not $_.Attributes.Where({ $_ -is [System.Management.Automation.ParameterAttribute] -and $_.DontShow })
            })
        $ordered = @($parameters | Where-Object Position -GE 0 | Sort-Object Position) + @($parameters | Where-Object Position -LT 0)
        $parts = foreach ($p in $ordered) {
            $type = Get-TypeName $p.ParameterType
            $named = if ($p.Position -ge 0) { "[-$($p.Name)]" } else { "-$($p.Name)" }
            $item = if ($type -eq 'SwitchParameter') { "-$($p.Name)" } else { "$named <$type>" }
            if ($p.IsMandatory) { $item } else { "[$item]" }
        }
        "$Name $((@($parts) + '[<CommonParameters>]') -join ' ')"
    }

    function Get-MarkdownParameters([string] $Text) {
        # Parameter name => its yaml blocks, each a hashtable of the fields platyPS writes.
        $section = [regex]::Match($Text, '(?ms)^## PARAMETERS\r?\n(.*?)(?=^## )').Groups[1].Value
        $result = [ordered]@{}
        foreach ($match in [regex]::Matches($section, '(?ms)^### -(\w+)\r?\n(.*?)(?=^### |\z)')) {
            $blocks = foreach ($yaml in [regex]::Matches($match.Groups[2].Value, '(?ms)^```yaml\r?\n(.*?)^```')) {
                $fields = @{}
                foreach ($line in $yaml.Groups[1].Value -split '\r?\n') {
                    if ($line -match '^([A-Za-z ]+):\s*(.*)$') { $fields[$Matches[1]] = $Matches[2].Trim() }
                }
                $fields
            }
            $result[$match.Groups[1].Value] = @($blocks)
        }
        $result
    }
}

Describe 'Help markdown of <Name>' -ForEach $CommandCases {
    BeforeAll {
        $command = Get-Command $Name
        $path = Join-Path $Docs "$Name.md"
        $text = Get-Content -Raw $path
        $documented = Get-MarkdownParameters $text
        $sets = @($command.ParameterSets)
    }

    It 'has a markdown file in platyPS layout' {
        $text | Should -Match '(?m)^schema: 2\.0\.0$'
        foreach ($section in 'SYNOPSIS', 'SYNTAX', 'DESCRIPTION', 'EXAMPLES', 'PARAMETERS', 'INPUTS', 'OUTPUTS', 'NOTES', 'RELATED LINKS') {
            $text | Should -Match "(?m)^## $section\r?$" -Because "docs/en-US/$Name.md needs a '## $section' section"
        }
    }

    It 'documents exactly the parameters the cmdlet has' {
        $actual = @($command.Parameters.Keys | Where-Object { $_ -notin $Common } | Sort-Object)
        @($documented.Keys | Sort-Object) | Should -Be $actual
    }

    It 'states each parameter''s type, sets, position, requirement and pipeline input as compiled' {
        $problems = foreach ($parameter in $documented.Keys) {
            $blocks = $documented[$parameter]
            if (-not $blocks.Count) { "-$parameter has no yaml block"; continue }
            foreach ($set in $sets) {
                $metadata = $set.Parameters | Where-Object Name -EQ $parameter
                $block = @($blocks | Where-Object { $_['Parameter Sets'] -eq '(All)' -or ($_['Parameter Sets'] -split ',\s*') -contains $set.Name })
                if (-not $metadata) {
                    if ($block) { "-$parameter is not in parameter set $($set.Name)" }
                    continue
                }
                if ($block.Count -ne 1) { "-$parameter in parameter set $($set.Name) needs exactly one yaml block"; continue }
                $pipeline = @(if ($metadata.ValueFromPipeline) { 'ByValue' }; if ($metadata.ValueFromPipelineByPropertyName) { 'ByPropertyName' })
                $expected = @{
                    'Type'                  = Get-TypeName $metadata.ParameterType
                    'Required'              = [string]$metadata.IsMandatory
                    'Position'              = if ($metadata.Position -ge 0) { "$($metadata.Position)" } else { 'Named' }
                    'Accept pipeline input' = if ($pipeline) { "True ($($pipeline -join ', '))" } else { 'False' }
                }
                foreach ($field in $expected.Keys) {
                    if ($block[0][$field] -ne $expected[$field]) {
                        "-$parameter in $($set.Name): '${field}: $($block[0][$field])', compiled '$($expected[$field])'"
                    }
                }
            }
        }
        $problems | Should -BeNullOrEmpty
    }

    It 'names every parameter set in SYNTAX with the syntax PowerShell binds' {
        $syntax = [regex]::Match($text, '(?ms)^## SYNTAX\r?\n(.*?)(?=^## )').Groups[1].Value
        $blocks = [regex]::Matches($syntax, '(?ms)^```\r?\n(.*?)\r?\n```') | ForEach-Object { $_.Groups[1].Value }
        $expected = foreach ($set in $sets | Sort-Object { -not $_.IsDefault }) { Get-ExpectedSyntax $Name $set }
        @($blocks) | Should -Be @($expected)
        if ($sets.Count -gt 1) {
            $headers = [regex]::Matches($syntax, '(?m)^### (.+?)\r?$') | ForEach-Object { $_.Groups[1].Value }
            $default = ($sets | Where-Object IsDefault).Name
            @($headers) | Should -Be @($sets | Sort-Object { -not $_.IsDefault } | ForEach-Object { if ($_.Name -eq $default) { "$($_.Name) (Default)" } else { $_.Name } })
        }
    }

    It 'gives every parameter its text through Get-Help' {
        $described = @{}
        foreach ($p in (Get-Help $Name -Full).Parameters.Parameter) { $described[$p.Name] = ($p.Description.Text -join ' ').Trim() }
        @($documented.Keys | Where-Object { -not $described[$_] }) | Should -BeNullOrEmpty
    }
}

Describe 'Generated help' {
    It 'is staged as the generator makes it from the markdown now' {
        $fresh = Join-Path $TestDrive 'help'
        & (Join-Path $RepoRoot 'tools/New-ExternalHelp.ps1') -Destination $fresh
        $staged = Join-Path $RepoRoot 'module/en-US'
        $expected = @(Get-ChildItem $fresh | Sort-Object Name)
        @(Get-ChildItem $staged | Sort-Object Name).Name | Should -Be $expected.Name
        foreach ($file in $expected) {
            $hashes = Get-FileHash $file.FullName, (Join-Path $staged $file.Name)
            $hashes[1].Hash | Should -Be $hashes[0].Hash -Because "module/en-US/$($file.Name) is older than docs/en-US: build again"
        }
    }

    It 'is not tracked as hand-edited MAML' {
        Get-ChildItem (Join-Path $RepoRoot 'src') -Recurse -Filter '*-Help.xml' | Should -BeNullOrEmpty
    }

    It 'shows <Topic> with Get-Help' -TestCases $AboutCases {
        $text = Get-Help $Topic | Out-String
        $text | Should -Match 'SHORT DESCRIPTION'
        $text | Should -Match 'LONG DESCRIPTION'
        $text.Length | Should -BeGreaterThan 1000
    }
}

Describe 'Help examples' {
    BeforeAll {
        # The examples name files (runs.csv, fleet.json, my-gpus.json, my-models.json) that a reader would have; the
        # tests run them beside copies of such files.
        $work = Join-Path $TestDrive 'examples'
        Copy-Item (Join-Path $RepoRoot 'tests/data/help-examples') $work -Recurse
        Push-Location $work
    }

    AfterAll {
        Pop-Location
    }

    It '<Name> example <Number> runs: <Code>' -TestCases $ExampleCases {
        $before = @(Get-ChildItem -File -Name)
        $records = @(& ([scriptblock]::Create($Code)) 2>&1 3>&1)
        $records | Where-Object { $_ -is [System.Management.Automation.ErrorRecord] } | Should -BeNullOrEmpty
        # An example without -Gpu is told which CUDA context was counted; any other warning is a fault of the example.
        $records | Where-Object { $_ -is [System.Management.Automation.WarningRecord] -and $_.Message -notlike 'no -Gpu given*' } | Should -BeNullOrEmpty
        $written = @(Get-ChildItem -File -Name | Where-Object { $_ -notin $before })
        # An example prints something, or (Export-VramReport without -PassThru) writes a file.
        (($records | Out-String).Trim().Length + $written.Count) | Should -BeGreaterThan 0
    }
}
