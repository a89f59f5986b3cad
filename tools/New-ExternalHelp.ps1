<#
.SYNOPSIS
    Builds the module's help from its markdown: MAML for the cmdlets, text for the about_ topics.
.DESCRIPTION
    Reads docs/en-US in platyPS's markdown layout (one <Verb-Noun>.md per cmdlet, one about_<Topic>.md per topic) and
    writes <Destination>/VramPS.dll-Help.xml and <Destination>/about_<Topic>.help.txt. The build of src/VramPS runs it
    and stages its output in module/en-US; the generated files are build outputs, never edited or tracked.

    Each cmdlet's syntax is taken from the parameters' yaml blocks (Parameter Sets, Required, Position), in the order
    of the SYNTAX section's set headers, so every parameter's text is written once however many sets hold it.
.PARAMETER Source
    The folder of markdown files; docs/en-US beside the repository root by default.
.PARAMETER Destination
    The folder to write the help into; created when absent.
.EXAMPLE
    dotnet pwsh -NoProfile -File tools/New-ExternalHelp.ps1 -Destination module/en-US
#>
[CmdletBinding()]
param(
    [string] $Source = (Join-Path $PSScriptRoot '../docs/en-US'),
    [Parameter(Mandatory)] [string] $Destination
)

$ErrorActionPreference = 'Stop'
Set-StrictMode -Version Latest

$MamlNs = 'http://schemas.microsoft.com/maml/2004/10'
$CommandNs = 'http://schemas.microsoft.com/maml/dev/command/2004/10'
$DevNs = 'http://schemas.microsoft.com/maml/dev/2004/10'

function Split-Section([string[]] $Lines, [string] $Prefix) {
    # Splits lines at headings that start with $Prefix (outside code fences) into ordered title => body lines.
    $sections = [ordered]@{}
    $current = $null
    $inFence = $false
    foreach ($line in $Lines) {
        if ($line -match '^```') { $inFence = -not $inFence }
        if (-not $inFence -and $line.StartsWith($Prefix)) {
            $current = $line.Substring($Prefix.Length).Trim()
            if ($sections.Contains($current)) { throw "Heading '$Prefix$current' appears twice." }
            $sections[$current] = [System.Collections.Generic.List[string]]::new()
        }
        elseif ($null -ne $current) { $sections[$current].Add($line) }
    }
    $sections
}

function Get-Paragraphs([string[]] $Lines) {
    # Prose paragraphs outside code fences; lines of a paragraph join with a space, list items keep their own line.
    $paragraphs = [System.Collections.Generic.List[string]]::new()
    $buffer = [System.Collections.Generic.List[string]]::new()
    $inFence = $false
    foreach ($line in @($Lines) + '') {
        if ($line -match '^```') { $inFence = -not $inFence; continue }
        if ($inFence) { continue }
        if ($line.Trim() -eq '') {
            if ($buffer.Count) { $paragraphs.Add(($buffer -join "`n")); $buffer.Clear() }
        }
        elseif ($buffer.Count -and $line -notmatch '^\s*[-*] ') { $buffer[$buffer.Count - 1] += ' ' + $line.Trim() }
        else { $buffer.Add($line.Trim()) }
    }
    , $paragraphs
}

function Get-Fences([string[]] $Lines) {
    # The code fences of a section: language and body.
    $fences = [System.Collections.Generic.List[object]]::new()
    $body = $null
    foreach ($line in $Lines) {
        if ($line -match '^```(.*)$') {
            if ($null -eq $body) { $language = $Matches[1].Trim(); $body = [System.Collections.Generic.List[string]]::new() }
            else { $fences.Add([pscustomobject]@{ Language = $language; Text = ($body -join "`n") }); $body = $null }
        }
        elseif ($null -ne $body) { $body.Add($line) }
    }
    if ($null -ne $body) { throw 'A code fence is not closed.' }
    $fences
}

function Read-ParameterMetadata([string] $Yaml, [string] $Name) {
    $fields = @{}
    foreach ($line in $Yaml -split "`n") {
        if ($line -match '^([A-Za-z ]+):\s*(.*)$') { $fields[$Matches[1]] = $Matches[2].Trim() }
    }
    foreach ($key in 'Type', 'Parameter Sets', 'Required', 'Position', 'Default value', 'Accept pipeline input', 'Accept wildcard characters') {
        if (-not $fields.ContainsKey($key)) { throw "Parameter -$Name has a yaml block without '$key'." }
    }
    [pscustomobject]@{
        Type     = $fields['Type']
        Sets     = @($fields['Parameter Sets'] -split ',\s*')
        Aliases  = if ($fields['Aliases']) { $fields['Aliases'] } else { 'none' }
        Accepted = @(if ($fields['Accepted values']) { $fields['Accepted values'] -split ',\s*' })
        Required = $fields['Required'] -eq 'True'
        Position = if ($fields['Position'] -eq 'Named') { 'named' } else { $fields['Position'] }
        Default  = $fields['Default value']
        Pipeline = $fields['Accept pipeline input']
        Globbing = $fields['Accept wildcard characters'] -eq 'True'
    }
}

function Read-CommandMarkdown([string] $Path) {
    $lines = @(Get-Content -LiteralPath $Path -Encoding utf8)
    if ($lines[0] -eq '---') {
        $end = [Array]::IndexOf($lines, '---', 1)
        $lines = $lines[($end + 1)..($lines.Count - 1)]
    }
    $title = $lines | Where-Object { $_ -match '^# ' } | Select-Object -First 1
    $name = $title.Substring(2).Trim()
    $sections = Split-Section $lines '## '
    foreach ($required in 'SYNOPSIS', 'SYNTAX', 'DESCRIPTION', 'EXAMPLES', 'PARAMETERS', 'INPUTS', 'OUTPUTS', 'NOTES', 'RELATED LINKS') {
        if (-not $sections.Contains($required)) { throw "$Path has no '## $required' section." }
    }

    $setHeaders = @((Split-Section $sections['SYNTAX'] '### ').Keys)
    $sets = if ($setHeaders.Count) { @($setHeaders | ForEach-Object { $_ -replace '\s*\(Default\)$', '' }) } else { @('__AllParameterSets') }

    $examples = foreach ($entry in (Split-Section $sections['EXAMPLES'] '### ').GetEnumerator()) {
        $code = @(Get-Fences $entry.Value)
        if ($code.Count -ne 1) { throw "$Path, example '$($entry.Key)': one code fence expected, found $($code.Count)." }
        [pscustomobject]@{ Title = $entry.Key; Code = $code[0].Text; Remarks = Get-Paragraphs $entry.Value }
    }

    $parameters = foreach ($entry in (Split-Section $sections['PARAMETERS'] '### ').GetEnumerator()) {
        if ($entry.Key -eq 'CommonParameters') { continue }
        $parameterName = $entry.Key.TrimStart('-')
        $blocks = @(Get-Fences $entry.Value | Where-Object Language -eq 'yaml' | ForEach-Object { Read-ParameterMetadata $_.Text $parameterName })
        if (-not $blocks) { throw "$Path, parameter -${parameterName}: no yaml block." }
        $text = Get-Paragraphs $entry.Value
        if (-not $text.Count) { throw "$Path, parameter -${parameterName}: no description." }
        [pscustomobject]@{ Name = $parameterName; Description = $text; Blocks = $blocks }
    }

    $types = {
        param($lines)
        foreach ($entry in (Split-Section $lines '### ').GetEnumerator()) {
            [pscustomobject]@{ Type = $entry.Key; Description = Get-Paragraphs $entry.Value }
        }
    }
    $links = foreach ($line in $sections['RELATED LINKS']) {
        if ($line -match '^\[([^\]]+)\]\(([^)]*)\)') { [pscustomobject]@{ Text = $Matches[1]; Uri = $Matches[2] } }
    }
    [pscustomobject]@{
        Name        = $name
        Synopsis    = (Get-Paragraphs $sections['SYNOPSIS']) -join ' '
        Description = Get-Paragraphs $sections['DESCRIPTION']
        Sets        = $sets
        Examples    = @($examples)
        Parameters  = @($parameters)
        Inputs      = @(& $types $sections['INPUTS'])
        Outputs     = @(& $types $sections['OUTPUTS'])
        Notes       = Get-Paragraphs $sections['NOTES']
        Links       = @($links)
    }
}

function Write-Paragraphs([System.Xml.XmlWriter] $Writer, [string[]] $Paragraphs) {
    $Writer.WriteStartElement('maml', 'description', $MamlNs)
    foreach ($p in $Paragraphs) { $Writer.WriteElementString('maml', 'para', $MamlNs, $p) }
    $Writer.WriteEndElement()
}

function Write-Parameter([System.Xml.XmlWriter] $Writer, $Parameter, $Block) {
    $Writer.WriteStartElement('command', 'parameter', $CommandNs)
    $Writer.WriteAttributeString('required', $Block.Required.ToString().ToLowerInvariant())
    $Writer.WriteAttributeString('variableLength', $Block.Type.EndsWith('[]').ToString().ToLowerInvariant())
    $Writer.WriteAttributeString('globbing', $Block.Globbing.ToString().ToLowerInvariant())
    $Writer.WriteAttributeString('pipelineInput', $Block.Pipeline)
    $Writer.WriteAttributeString('position', $Block.Position)
    $Writer.WriteAttributeString('aliases', $Block.Aliases)
    $Writer.WriteElementString('maml', 'name', $MamlNs, $Parameter.Name)
    Write-Paragraphs $Writer $Parameter.Description
    if ($Block.Accepted.Count) {
        $Writer.WriteStartElement('command', 'parameterValueGroup', $CommandNs)
        foreach ($value in $Block.Accepted) {
            $Writer.WriteStartElement('command', 'parameterValue', $CommandNs)
            $Writer.WriteAttributeString('required', 'false')
            $Writer.WriteAttributeString('variableLength', 'false')
            $Writer.WriteString($value)
            $Writer.WriteEndElement()
        }
        $Writer.WriteEndElement()
    }
    if ($Block.Type -ne 'SwitchParameter') {
        $Writer.WriteStartElement('command', 'parameterValue', $CommandNs)
        $Writer.WriteAttributeString('required', 'true')
        $Writer.WriteAttributeString('variableLength', 'false')
        $Writer.WriteString($Block.Type)
        $Writer.WriteEndElement()
    }
    $Writer.WriteStartElement('dev', 'type', $DevNs)
    $Writer.WriteElementString('maml', 'name', $MamlNs, $Block.Type)
    $Writer.WriteEndElement()
    $Writer.WriteElementString('dev', 'defaultValue', $DevNs, $Block.Default)
    $Writer.WriteEndElement()
}

function Get-BlockInSet($Parameter, [string] $Set) {
    $Parameter.Blocks | Where-Object { $_.Sets -contains $Set -or $_.Sets -contains '(All)' } | Select-Object -First 1
}

function Write-Command([System.Xml.XmlWriter] $Writer, $Help) {
    $verb, $noun = $Help.Name -split '-', 2
    $Writer.WriteStartElement('command', 'command', $CommandNs)
    $Writer.WriteAttributeString('xmlns', 'maml', $null, $MamlNs)
    $Writer.WriteAttributeString('xmlns', 'dev', $null, $DevNs)
    $Writer.WriteStartElement('command', 'details', $CommandNs)
    $Writer.WriteElementString('command', 'name', $CommandNs, $Help.Name)
    $Writer.WriteElementString('command', 'verb', $CommandNs, $verb)
    $Writer.WriteElementString('command', 'noun', $CommandNs, $noun)
    Write-Paragraphs $Writer @($Help.Synopsis)
    $Writer.WriteEndElement()
    Write-Paragraphs $Writer $Help.Description

    $Writer.WriteStartElement('command', 'syntax', $CommandNs)
    foreach ($set in $Help.Sets) {
        $inSet = foreach ($p in $Help.Parameters) {
            $block = Get-BlockInSet $p $set
            if ($block) { [pscustomobject]@{ Parameter = $p; Block = $block } }
        }
        $positional = @($inSet | Where-Object { $_.Block.Position -ne 'named' } | Sort-Object { [int]$_.Block.Position })
        $named = @($inSet | Where-Object { $_.Block.Position -eq 'named' })
        $Writer.WriteStartElement('command', 'syntaxItem', $CommandNs)
        $Writer.WriteElementString('maml', 'name', $MamlNs, $Help.Name)
        foreach ($item in $positional + $named) { Write-Parameter $Writer $item.Parameter $item.Block }
        $Writer.WriteEndElement()
    }
    $Writer.WriteEndElement()

    $Writer.WriteStartElement('command', 'parameters', $CommandNs)
    foreach ($p in $Help.Parameters) { Write-Parameter $Writer $p $p.Blocks[0] }
    $Writer.WriteEndElement()

    foreach ($kind in @(@('inputTypes', 'inputType', $Help.Inputs), @('returnValues', 'returnValue', $Help.Outputs))) {
        $Writer.WriteStartElement('command', $kind[0], $CommandNs)
        foreach ($t in $kind[2]) {
            $Writer.WriteStartElement('command', $kind[1], $CommandNs)
            $Writer.WriteStartElement('dev', 'type', $DevNs)
            $Writer.WriteElementString('maml', 'name', $MamlNs, $t.Type)
            $Writer.WriteEndElement()
            Write-Paragraphs $Writer $t.Description
            $Writer.WriteEndElement()
        }
        $Writer.WriteEndElement()
    }

    $Writer.WriteStartElement('maml', 'alertSet', $MamlNs)
    $Writer.WriteStartElement('maml', 'alert', $MamlNs)
    foreach ($p in $Help.Notes) { $Writer.WriteElementString('maml', 'para', $MamlNs, $p) }
    $Writer.WriteEndElement()
    $Writer.WriteEndElement()

    $Writer.WriteStartElement('command', 'examples', $CommandNs)
    foreach ($e in $Help.Examples) {
        $Writer.WriteStartElement('command', 'example', $CommandNs)
        $Writer.WriteElementString('maml', 'title', $MamlNs, "-------------------------- $($e.Title) --------------------------")
        $Writer.WriteElementString('dev', 'code', $DevNs, $e.Code)
        $Writer.WriteStartElement('dev', 'remarks', $DevNs)
        foreach ($p in $e.Remarks) { $Writer.WriteElementString('maml', 'para', $MamlNs, $p) }
        $Writer.WriteEndElement()
        $Writer.WriteEndElement()
    }
    $Writer.WriteEndElement()

    $Writer.WriteStartElement('command', 'relatedLinks', $CommandNs)
    foreach ($l in $Help.Links) {
        $Writer.WriteStartElement('maml', 'navigationLink', $MamlNs)
        $Writer.WriteElementString('maml', 'linkText', $MamlNs, $l.Text)
        $Writer.WriteElementString('maml', 'uri', $MamlNs, $l.Uri)
        $Writer.WriteEndElement()
    }
    $Writer.WriteEndElement()
    $Writer.WriteEndElement()
}

function ConvertTo-PlainText([string] $Text) {
    # Inline markdown to plain text: links show their address, emphasis and code marks go.
    $Text = [regex]::Replace($Text, '\[([^\]]+)\]\(([^)]+)\)', { param($m) if ($m.Groups[1].Value -eq $m.Groups[2].Value) { $m.Groups[1].Value } else { "$($m.Groups[1].Value) ($($m.Groups[2].Value))" } })
    $Text = $Text -replace '\*\*([^*]+)\*\*', '$1'
    $Text -replace '`([^`]+)`', '$1'
}

function Format-Wrapped([string] $Text, [int] $Indent, [int] $HangingIndent, [int] $Width = 80) {
    $lines = [System.Collections.Generic.List[string]]::new()
    $line = ' ' * $Indent
    $empty = $true
    foreach ($word in $Text -split '\s+' | Where-Object { $_ }) {
        if (-not $empty -and $line.Length + 1 + $word.Length -gt $Width) {
            $lines.Add($line)
            $line = ' ' * $HangingIndent + $word
        }
        else { $line = if ($empty) { $line + $word } else { "$line $word" } }
        $empty = $false
    }
    $lines.Add($line)
    $lines
}

function Format-AboutTable([string[]] $Rows) {
    $cells = @($Rows | Where-Object { $_ -notmatch '^\|[\s:|-]+\|$' } | ForEach-Object {
            , @($_.Trim().Trim('|') -split '\|' | ForEach-Object { ConvertTo-PlainText $_.Trim() })
        })
    $widths = @(0) * $cells[0].Count
    foreach ($row in $cells) { for ($i = 0; $i -lt $row.Count; $i++) { $widths[$i] = [Math]::Max($widths[$i], $row[$i].Length) } }
    foreach ($row in $cells) {
        '    ' + ((0..($row.Count - 1) | ForEach-Object { $row[$_].PadRight($widths[$_]) }) -join '  ').TrimEnd()
    }
}

function ConvertTo-AboutText([string] $Path) {
    # platyPS's about-topic markdown to the text Get-Help shows: headings flush left in capitals, prose wrapped at 80
    # columns and indented, code indented further, tables aligned.
    $lines = @(Get-Content -LiteralPath $Path -Encoding utf8)
    $topic = [IO.Path]::GetFileNameWithoutExtension($Path)
    $out = [System.Collections.Generic.List[string]]::new()
    $out.Add('TOPIC'); $out.Add("    $topic"); $out.Add('')
    $paragraph = [System.Collections.Generic.List[string]]::new()
    $table = [System.Collections.Generic.List[string]]::new()
    $inFence = $false
    $flush = {
        if ($paragraph.Count) {
            foreach ($item in (($paragraph -join "`n") -split "`n(?=[-*] )")) {
                $text = ConvertTo-PlainText ($item -replace '\s*\n\s*', ' ')
                if ($text -match '^[-*] (.*)$') { $out.AddRange([string[]](Format-Wrapped "- $($Matches[1])" 4 6)) }
                else { $out.AddRange([string[]](Format-Wrapped $text 4 4)) }
            }
            $out.Add('')
            $paragraph.Clear()
        }
        if ($table.Count) { $out.AddRange([string[]](Format-AboutTable $table)); $out.Add(''); $table.Clear() }
    }
    foreach ($line in $lines) {
        if ($line -match '^```') {
            . $flush
            $inFence = -not $inFence
            if (-not $inFence) { $out.Add('') }
            continue
        }
        if ($inFence) { $out.Add(('        ' + $line).TrimEnd()); continue }
        if ($line -match "^#{1,2} $topic\s*$" -or $line -match '^<!--.*-->$') { continue }
        if ($line -match '^# (.+)$') { . $flush; $out.Add($Matches[1].ToUpperInvariant()); continue }
        if ($line -match '^#{2,} (.+)$') { . $flush; $heading = ConvertTo-PlainText $Matches[1]; $out.Add("  $heading"); $out.Add('  ' + ('-' * $heading.Length)); continue }
        if ($line -match '^\|') { if ($paragraph.Count) { . $flush }; $table.Add($line); continue }
        if ($line.Trim() -eq '') { . $flush; continue }
        if ($table.Count) { . $flush }
        $paragraph.Add($line.Trim())
    }
    . $flush
    (($out -join "`n").TrimEnd() + "`n") -replace "`n{3,}", "`n`n"
}

New-Item -ItemType Directory -Force -Path $Destination | Out-Null
$utf8 = [System.Text.UTF8Encoding]::new($false)
$settings = [System.Xml.XmlWriterSettings]::new()
$settings.Indent = $true
$settings.IndentChars = '  '
$settings.NewLineChars = "`n"
$settings.Encoding = $utf8
$maml = Join-Path $Destination 'VramPS.dll-Help.xml'
$writer = [System.Xml.XmlWriter]::Create($maml, $settings)
try {
    $writer.WriteStartDocument()
    $writer.WriteStartElement('helpItems', 'http://msh')
    $writer.WriteAttributeString('schema', 'maml')
    foreach ($file in Get-ChildItem -LiteralPath $Source -Filter '*-*.md' | Sort-Object Name) {
        try { $help = Read-CommandMarkdown $file.FullName }
        catch { throw "$($file.Name): $($_.Exception.Message)" }
        Write-Command $writer $help
    }
    $writer.WriteEndElement()
    $writer.WriteEndDocument()
}
finally {
    $writer.Dispose()
}
foreach ($file in Get-ChildItem -LiteralPath $Source -Filter 'about_*.md') {
    $target = Join-Path $Destination "$($file.BaseName).help.txt"
    [IO.File]::WriteAllText($target, (ConvertTo-AboutText $file.FullName), $utf8)
}
