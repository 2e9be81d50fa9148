using System.Collections.Immutable;
using System.Text;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using TypedSpool.Generators.Analyzers;

namespace TypedSpool.Generators.Tests;

/// <summary>One expected or actual diagnostic: its ID and where it is in the source.</summary>
internal readonly record struct Expected(string Id, int Start, int End, string Text)
{
    public override string ToString() => $"{Id} [{Start}..{End}) '{Text}'";
}

/// <summary>
/// Parses <c>{|TSPOOL001:text|}</c> markup (nestable) out of a source, and runs the analyzers to compare what
/// they report with what the markup expects.
/// </summary>
internal static class AnalyzerMarkup
{
    public static (string Source, ImmutableArray<Expected> Expected) Parse(string markup)
    {
        var source = new StringBuilder(markup.Length);
        var open = new Stack<(string Id, int Start)>();
        var expected = new List<(string Id, int Start, int End)>();
        int i = 0;
        while (i < markup.Length)
        {
            if (string.CompareOrdinal(markup, i, "{|", 0, 2) == 0)
            {
                int colon = markup.IndexOf(':', i + 2);
                if (colon < 0) throw new FormatException($"'{{|' without an ID at {i}");
                open.Push((markup[(i + 2)..colon], source.Length));
                i = colon + 1;
            }
            else if (string.CompareOrdinal(markup, i, "|}", 0, 2) == 0)
            {
                if (open.Count == 0) throw new FormatException($"'|}}' without '{{|' at {i}");
                var (id, start) = open.Pop();
                expected.Add((id, start, source.Length));
                i += 2;
            }
            else
            {
                source.Append(markup[i]);
                i++;
            }
        }
        if (open.Count > 0) throw new FormatException($"unclosed '{{|{open.Peek().Id}:'");
        string text = source.ToString();
        return (text, [.. expected.Select(e => new Expected(e.Id, e.Start, e.End, text[e.Start..e.End])).OrderBy(e => e.Start).ThenBy(e => e.Id, StringComparer.Ordinal)]);
    }

    /// <summary>Runs the generator and the analyzer on the unmarked source; returns what the analyzer reported and the compiled output.</summary>
    public static async Task<(ImmutableArray<Diagnostic> Diagnostics, Compilation Output)> AnalyzeAsync(string source)
    {
        var (_, output) = GeneratorHarness.RunGenerator(source);
        var diagnostics = await output.WithAnalyzers([new SpoolTaskAnalyzer()]).GetAnalyzerDiagnosticsAsync(TestContext.Current.CancellationToken);
        return (diagnostics, output);
    }

    /// <summary>Asserts that the analyzer reports exactly the marked diagnostics; returns them for further checks of their messages.</summary>
    public static async Task<ImmutableArray<Diagnostic>> VerifyAsync(string markup)
    {
        var (source, expected) = Parse(markup);
        var (diagnostics, _) = await AnalyzeAsync(source);
        Assert.All(diagnostics, d => Assert.Equal("Source0.cs", d.Location.SourceTree?.FilePath));
        var actual = diagnostics
            .Select(d => new Expected(d.Id, d.Location.SourceSpan.Start, d.Location.SourceSpan.End, source[d.Location.SourceSpan.Start..d.Location.SourceSpan.End]))
            .OrderBy(e => e.Start).ThenBy(e => e.Id, StringComparer.Ordinal)
            .ToArray();
        Assert.Equal(expected.Select(e => e.ToString()), actual.Select(e => e.ToString()));
        return diagnostics;
    }

    /// <summary>Asserts that valid code gets no analyzer diagnostic, compiles with the generated code, and generated a stub for every task.</summary>
    public static async Task VerifyCleanAsync(string source, int tasks)
    {
        var (result, _) = GeneratorHarness.RunGenerator(source);
        var (diagnostics, output) = await AnalyzeAsync(source);
        Assert.Empty(diagnostics.Select(d => d.ToString()));
        Assert.Empty(GeneratorHarness.CompilerDiagnostics(output).Select(d => d.ToString()));
        Assert.Empty(result.Diagnostics);
        Assert.Equal(tasks, result.GeneratedTrees.Count(t => t.FilePath.EndsWith(".Spool.g.cs", StringComparison.Ordinal)));
    }
}
