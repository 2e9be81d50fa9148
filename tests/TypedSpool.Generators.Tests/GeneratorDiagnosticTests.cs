using Microsoft.CodeAnalysis;

namespace TypedSpool.Generators.Tests;

/// <summary>Duplicate wire names (TSPOOL009), and that the generator and the analyzer agree on what is a task.</summary>
public class GeneratorDiagnosticTests
{
    private const string Usings = AnalyzerTests.Usings;

    [Fact]
    public async Task TSPOOL009_two_tasks_with_one_wire_name_are_reported_at_the_later_one()
    {
        var diagnostics = await AnalyzerMarkup.VerifyAsync(Usings + """
            public static partial class Mail { [Spool(Name = "send")] public static void Send(string to) { } }
            public static partial class Sms { [Spool] public static void {|TSPOOL009:send|}(string to) { } }
            """);
        var diagnostic = Assert.Single(diagnostics, d => d.Id == "TSPOOL009");
        Assert.Equal(DiagnosticSeverity.Error, diagnostic.Severity);
        Assert.Contains("'send' is used by both 'Demo.Mail.Send' and 'Demo.Sms.send'", diagnostic.GetMessage());
        // The generator stays silent and keeps one entry, so the table still compiles.
        var (result, output) = GeneratorHarness.RunGenerator(Usings + """
            public static partial class Mail { [Spool(Name = "send")] public static void Send(string to) { } }
            public static partial class Sms { [Spool] public static void send(string to) { } }
            """);
        Assert.Empty(result.Diagnostics);
        Assert.Empty(GeneratorHarness.CompilerDiagnostics(output));
    }

    [Fact]
    public async Task TSPOOL009_can_be_suppressed_with_a_pragma()
    {
        var (diagnostics, _) = await AnalyzerMarkup.AnalyzeAsync(Usings + """
            public static partial class Mail { [Spool(Name = "send")] public static void Send(string to) { } }
            public static partial class Sms
            {
            #pragma warning disable TSPOOL009
                [Spool] public static void send(string to) { }
            #pragma warning restore TSPOOL009
            }
            """);
        Assert.DoesNotContain(diagnostics, d => d.Id == "TSPOOL009" && !d.IsSuppressed);
    }

    [Fact]
    public void TSPOOL009_distinct_wire_names_are_valid()
    {
        var (result, output) = GeneratorHarness.RunGenerator(Usings + """
            public static partial class Mail { [Spool] public static void Send(string to) { } }
            public static partial class Sms { [Spool(Name = "sms.send")] public static void Send(string to) { } }
            """);
        Assert.Empty(result.Diagnostics);
        Assert.Empty(GeneratorHarness.CompilerDiagnostics(output));
    }

    /// <summary>One task per case; the generator must skip it exactly when the analyzer reports an error that explains why.</summary>
    public static TheoryData<string> Cases() =>
    [
        "public static class C { [Spool] public static void M() { } }",
        "public class O { public partial class C { [Spool] public static void M() { } } }",
        "public static partial class C { [Spool] public static int M() => 1; }",
        "public static partial class C { [Spool] public static async void M() { await Task.Yield(); } }",
        "public static partial class C { [SpoolRaw] public static void M() { } }",
        "public static partial class C { [SpoolRaw] public static SpoolResult M() => (SpoolResult)5; }",
        "public static partial class C { [Spool] public static void M(ref int a) { } }",
        "public static partial class C { [Spool] public static void M(Stream s) { } }",
        "public static partial class C { [Spool] public static void M(object o) { } }",
        "public static partial class C { [Spool] public static void M(Func<int> f) { } }",
        "public static partial class C { [Spool] public static void M(ReadOnlySpan<char> s) { } }",
        "public static partial class C { [Spool] public static void M(ReadOnlyMemory<byte> data) { } }",
        "public sealed record R(int A); public static partial class C { [Spool] public static void M(R r) { } }",
        "public static partial class C { [Spool] public static void M(byte[] data) { } }",
        "public static partial class C { [Spool] public static void M([Body] byte[] a, [Body] string b) { } }",
        "public static partial class C { [Spool] public static void M(string priority) { } }",
        "public static partial class C { [Spool] public static void M(string spooler_task_name) { } }",
        "public static partial class C { [Spool] public static void M<T>() { } }",
        "public partial class G<T> { [Spool] public static void M() { } }",
        "public static partial class C { [Spool] public void M() { } }",
        "public abstract partial class C { [Spool] public void M() { } }",
        "public static partial class C { [Spool] public static void M() { } [Spool(Name = \"m2\")] public static void M(int a) { } }",
        "public static partial class C { [Spool, SpoolRaw] public static SpoolResult M() => SpoolResult.Ok; }",
        "public static partial class C { [Spool(Name = \"\")] public static void M() { } }",
        "public static partial class C { [Spool] public static void M([Body] CancellationToken ct) { } }",
        "public static partial class C { [Spool] public static void M([Body] Stream s) { } }",
        "public static partial class C { [Spool] public static void M([FromServices, Body] IServiceProvider s) { } }",
        "public partial class P { private partial class C { [Spool] public static void M() { } } }",
        "public partial interface I { [Spool] static void M() { } }",
        "public partial class C { [Spool] public void M(string to, [FromServices] IServiceProvider s, CancellationToken ct) { } }",
        "public static partial class C { [Spool] static partial void M(string to); static partial void M(string to) { } }",
        "public static partial class C { public static int P { [Spool] get => 1; } }",
        "public static partial class C { public static void Host() { [Spool] static void M() { } M(); } }",
        "public partial class C { [Spool] public static C operator +(C a, C b) => a; }",
    ];

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task The_generator_skips_a_method_exactly_when_the_analyzer_reports_an_error(string code)
    {
        var source = Usings + code;
        var (result, _) = GeneratorHarness.RunGenerator(source);
        var (diagnostics, _) = await AnalyzerMarkup.AnalyzeAsync(source);
        bool generated = result.GeneratedTrees.Any(t => t.FilePath.EndsWith(".Spool.g.cs", StringComparison.Ordinal));
        // TSPOOL003 is an error in the body, not a reason to skip: the stub is generated and the code still compiles.
        var skipReasons = diagnostics.Where(d => d.Severity == DiagnosticSeverity.Error && d.Id != "TSPOOL003").Select(d => d.Id).ToArray();
        Assert.True(generated != (skipReasons.Length > 0),
            $"generated: {generated}; analyzer errors: [{string.Join(", ", skipReasons)}]");
        Assert.Empty(result.Diagnostics);
    }
}
