using System.Collections.Immutable;
using System.Reflection;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Diagnostics;
using TypedSpool.Generators;

namespace TypedSpool.Generators.Tests;

/// <summary>Compiles C# source against the runtime, runs the generator and the analyzers on it.</summary>
internal static class GeneratorHarness
{
    /// <summary>The .NET runtime's assemblies plus TypedSpool's: what a user project compiles against.</summary>
    public static readonly ImmutableArray<MetadataReference> References = LoadReferences();

    public static readonly CSharpParseOptions ParseOptions = new(LanguageVersion.CSharp12);

    public static CSharpCompilation Compile(params string[] sources)
        => CSharpCompilation.Create(
            "UserAssembly",
            sources.Select((s, i) => CSharpSyntaxTree.ParseText(s, ParseOptions, path: $"Source{i}.cs")),
            References,
            new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary, nullableContextOptions: NullableContextOptions.Enable));

    /// <summary>Runs the generator; returns the driver's result and the compilation with the generated sources.</summary>
    public static (GeneratorDriverRunResult Result, Compilation Output) RunGenerator(params string[] sources)
    {
        var compilation = Compile(sources);
        GeneratorDriver driver = CSharpGeneratorDriver.Create([new SpoolGenerator().AsSourceGenerator()], parseOptions: ParseOptions,
            driverOptions: new GeneratorDriverOptions(IncrementalGeneratorOutputKind.None, trackIncrementalGeneratorSteps: true));
        driver = driver.RunGeneratorsAndUpdateCompilation(compilation, out var output, out _);
        return (driver.GetRunResult(), output);
    }

    /// <summary>Diagnostics of the analyzers on the source (after generation, as in a real build).</summary>
    public static async Task<ImmutableArray<Diagnostic>> RunAnalyzersAsync(IEnumerable<DiagnosticAnalyzer> analyzers, params string[] sources)
    {
        var (_, output) = RunGenerator(sources);
        var withAnalyzers = output.WithAnalyzers([.. analyzers]);
        return await withAnalyzers.GetAnalyzerDiagnosticsAsync();
    }

    /// <summary>Errors and warnings of compiling the generated output.</summary>
    public static ImmutableArray<Diagnostic> CompilerDiagnostics(Compilation output)
        => [.. output.GetDiagnostics().Where(d => d.Severity >= DiagnosticSeverity.Warning)];

    private static ImmutableArray<MetadataReference> LoadReferences()
    {
        var paths = ((string)AppContext.GetData("TRUSTED_PLATFORM_ASSEMBLIES")!).Split(Path.PathSeparator)
            .Where(p => Path.GetFileName(p).StartsWith("System.", StringComparison.Ordinal) || Path.GetFileName(p) is "mscorlib.dll" or "netstandard.dll" or "Microsoft.Win32.Primitives.dll")
            .ToList();
        paths.Add(typeof(SpoolAttribute).Assembly.Location);
        return [.. paths.Distinct().Select(p => (MetadataReference)MetadataReference.CreateFromFile(p))];
    }
}
