using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeActions;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Text;
using TypedSpool.CodeFixes;
using TypedSpool.Generators.Analyzers;

namespace TypedSpool.Generators.Tests;

/// <summary>Applies each code fix in a real <see cref="AdhocWorkspace"/> and checks the text and that the diagnostic is gone.</summary>
public class CodeFixTests
{
    [Fact]
    public async Task TSPOOL001_fix_makes_every_non_partial_containing_type_partial()
    {
        string fixedText = await ApplyAsync(new MakePartialCodeFix(), "TSPOOL001", """
            using TypedSpool;
            namespace Demo;
            class Outer
            {
                public static partial class Middle
                {
                    // the tasks
                    internal sealed class Inner
                    {
                        [Spool] public static void Run() { }
                    }
                }
            }
            """);
        Assert.Equal("""
            using TypedSpool;
            namespace Demo;
            partial class Outer
            {
                public static partial class Middle
                {
                    // the tasks
                    internal sealed partial class Inner
                    {
                        [Spool] public static void Run() { }
                    }
                }
            }
            """, fixedText);
    }

    [Fact]
    public async Task TSPOOL006_fix_adds_Body_when_TypedSpool_is_imported()
    {
        string fixedText = await ApplyAsync(new AddBodyCodeFix(), "TSPOOL006", """
            using TypedSpool;
            public static partial class Files
            {
                [Spool] public static void Save(string name, byte[] data) { }
            }
            """);
        Assert.Contains("public static void Save(string name, [Body] byte[] data)", fixedText);
    }

    [Fact]
    public async Task TSPOOL006_fix_qualifies_Body_when_TypedSpool_is_not_imported()
    {
        string fixedText = await ApplyAsync(new AddBodyCodeFix(), "TSPOOL006", """
            public static partial class Files
            {
                [TypedSpool.Spool] public static void Save(
                    byte[] data) { }
            }
            """);
        Assert.Contains("""
                [TypedSpool.Spool] public static void Save(
                    [global::TypedSpool.Body] byte[] data) { }
            """, fixedText);
    }

    /// <summary>Applies the fix to the one diagnostic <paramref name="id"/>; asserts the fixed code no longer has it and has no compiler error.</summary>
    private static async Task<string> ApplyAsync(CodeFixProvider fix, string id, string source)
    {
        var ct = TestContext.Current.CancellationToken;
        using var workspace = new AdhocWorkspace();
        var document = workspace.CurrentSolution
            .AddProject("User", "User", LanguageNames.CSharp)
            .WithCompilationOptions(new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary, nullableContextOptions: NullableContextOptions.Enable))
            .WithParseOptions(GeneratorHarness.ParseOptions)
            .AddMetadataReferences(GeneratorHarness.References)
            .AddDocument("Source0.cs", SourceText.From(source));

        var diagnostic = Assert.Single(await DiagnosticsAsync(document.Project, ct), d => d.Id == id);
        var actions = new List<CodeAction>();
        var context = new CodeFixContext(document, diagnostic, (action, _) => actions.Add(action), ct);
        await fix.RegisterCodeFixesAsync(context);
        var action = Assert.Single(actions);
        Assert.Contains(id, fix.FixableDiagnosticIds);

        var operation = Assert.Single((await action.GetOperationsAsync(ct)).OfType<ApplyChangesOperation>());
        var fixedDocument = operation.ChangedSolution.GetDocument(document.Id)!;
        Assert.DoesNotContain(await DiagnosticsAsync(fixedDocument.Project, ct), d => d.Id == id);
        var compilation = (await fixedDocument.Project.GetCompilationAsync(ct))!;
        Assert.Empty(compilation.GetDiagnostics(ct).Where(d => d.Severity == DiagnosticSeverity.Error));
        return (await fixedDocument.GetTextAsync(ct)).ToString();
    }

    private static async Task<ImmutableArray<Diagnostic>> DiagnosticsAsync(Project project, CancellationToken ct)
    {
        var compilation = (await project.GetCompilationAsync(ct))!;
        return await compilation.WithAnalyzers([new SpoolTaskAnalyzer()]).GetAnalyzerDiagnosticsAsync(ct);
    }
}
