using System.Collections.Immutable;
using System.Globalization;
using System.Text;
using BenchmarkDotNet.Attributes;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using TypedSpool.Generators;

namespace TypedSpool.MicroBenchmarks.Benchmarks;

/// <summary>
/// SpoolGenerator on a compilation of 100 [Spool] tasks (10 files of 10 tasks, mixed parameter kinds): a first
/// run (as a command-line build does) and a re-run after a keystroke in one method body (as the IDE does).
/// Roslyn here is 4.14 (BenchmarkDotNet's); the shipped generator is built against 4.8.
/// An operation takes milliseconds and runs thousands of Roslyn methods, so the short job's two warm-up iterations
/// leave much of it unoptimised (tier 0, 3-8x slower): this class warms up for about 10 s.
/// </summary>
[MemoryDiagnoser]
[WarmupCount(25)]
[IterationTime(400)]
[IterationCount(10)]
public class GeneratorBenchmarks
{
    private const int Files = 10;
    private const int TasksPerFile = 10;
    private static readonly CSharpParseOptions s_parseOptions = new(LanguageVersion.CSharp12);

    private CSharpCompilation _compilation = null!;
    private CSharpCompilation _edited = null!;
    private GeneratorDriver _warmDriver = null!;
    private GeneratorDriver _warmControl = null!;

    [GlobalSetup]
    public void Setup()
    {
        var trees = Enumerable.Range(0, Files)
            .Select(f => CSharpSyntaxTree.ParseText(Source(f, edit: false), s_parseOptions, path: $"Tasks{f}.cs"))
            .ToArray();
        _compilation = CSharpCompilation.Create("HundredTasks", trees, References(),
            new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary, nullableContextOptions: NullableContextOptions.Enable));
        _edited = _compilation.ReplaceSyntaxTree(trees[3], CSharpSyntaxTree.ParseText(Source(3, edit: true), s_parseOptions, path: "Tasks3.cs"));

        _warmControl = NewControlDriver().RunGenerators(_compilation);
        _warmDriver = NewDriver().RunGeneratorsAndUpdateCompilation(_compilation, out var output, out var generatorDiagnostics);
        var result = _warmDriver.GetRunResult();
        var errors = generatorDiagnostics.Concat(output.GetDiagnostics()).Where(d => d.Severity >= DiagnosticSeverity.Warning).ToList();
        if (result.GeneratedTrees.Length != Files * TasksPerFile + 1 || errors.Count > 0)
        {
            throw new InvalidOperationException($"Expected {Files * TasksPerFile + 1} generated files and no diagnostics, got "
                + $"{result.GeneratedTrees.Length} files and: {string.Join("; ", errors.Take(5))}");
        }
    }

    /// <summary>A new driver on a compilation with no cached semantic state: what `dotnet build` pays.</summary>
    [Benchmark]
    public int Cold_run_100_tasks()
        => NewDriver().RunGenerators(_compilation.Clone()).GetRunResult().GeneratedTrees.Length;

    /// <summary>The driver that already ran, on a compilation where one method body changed.</summary>
    [Benchmark]
    public int Incremental_run_after_body_edit()
        => _warmDriver.RunGenerators(_edited.Clone()).GetRunResult().GeneratedTrees.Length;

    /// <summary>Control: a generator that only finds the attributed methods (Roslyn's share of the cold run).</summary>
    [Benchmark]
    public int Control_find_attributes_only_cold()
        => NewControlDriver().RunGenerators(_compilation.Clone()).GetRunResult().Results.Length;

    /// <summary>Control: the same after the body edit.</summary>
    [Benchmark]
    public int Control_find_attributes_only_incremental()
        => _warmControl.RunGenerators(_edited.Clone()).GetRunResult().Results.Length;

    private static GeneratorDriver NewControlDriver()
        => CSharpGeneratorDriver.Create([new FindAttributesOnly().AsSourceGenerator()], parseOptions: s_parseOptions);

    private static GeneratorDriver NewDriver()
        => CSharpGeneratorDriver.Create([new SpoolGenerator().AsSourceGenerator()], parseOptions: s_parseOptions);

    private static string Source(int file, bool edit)
    {
        var source = new StringBuilder();
        source.AppendLine("using System; using System.Threading; using System.Threading.Tasks; using TypedSpool;");
        source.AppendLine(CultureInfo.InvariantCulture, $"namespace Bench.Area{file};");
        source.AppendLine("public enum Level { Low, High }");
        source.AppendLine("public interface IClock { DateTimeOffset Now { get; } }");
        source.AppendLine(CultureInfo.InvariantCulture, $"public static partial class Jobs{file}");
        source.AppendLine("{");
        for (int i = 0; i < TasksPerFile; i++)
        {
            string body = edit && i == 0 ? "{ _ = to.Length + 1; }" : "{ _ = to.Length; }";
            source.AppendLine((i % 5) switch
            {
                0 => $"    [Spool] public static void Send{i}(string to, string subject, int count) {body}",
                1 => $"    [Spool(Name = \"area{file}.store{i}\")] public static Task Store{i}(string to, [Body] byte[] data, CancellationToken ct) {{ _ = to.Length; return Task.CompletedTask; }}",
                2 => $"    [SpoolRaw] public static SpoolResult Check{i}(string to, Guid id, DateTimeOffset when, Level level) {{ _ = to.Length; return SpoolResult.Ok; }}",
                3 => $"    [Spool] public static async Task Remind{i}(string to, TimeSpan after, bool urgent, [FromServices] IClock clock, SpoolContext context) {{ _ = to.Length; await Task.Yield(); }}",
                _ => $"    [Spool] public static void Count{i}(string to, long total, double ratio, DateOnly day) {{ _ = to.Length; }}",
            });
        }
        source.AppendLine("}");
        return source.ToString();
    }

    private static ImmutableArray<MetadataReference> References()
    {
        var paths = ((string)AppContext.GetData("TRUSTED_PLATFORM_ASSEMBLIES")!).Split(Path.PathSeparator)
            .Where(p => Path.GetFileName(p).StartsWith("System.", StringComparison.Ordinal) || Path.GetFileName(p) is "mscorlib.dll" or "netstandard.dll")
            .Append(typeof(SpoolAttribute).Assembly.Location)
            .Distinct();
        return [.. paths.Select(p => (MetadataReference)MetadataReference.CreateFromFile(p))];
    }

    /// <summary>
    /// Finds the methods the way SpoolGenerator's first step does (one ForAttributeWithMetadataName per attribute:
    /// Spool, SpoolRaw, SpoolForever, Timer, Cron), keeps their names and emits nothing.
    /// </summary>
    private sealed class FindAttributesOnly : IIncrementalGenerator
    {
        private static readonly string[] s_attributes =
            ["TypedSpool.SpoolAttribute", "TypedSpool.SpoolRawAttribute", "TypedSpool.SpoolForeverAttribute", "TypedSpool.TimerAttribute", "TypedSpool.CronAttribute"];

        public void Initialize(IncrementalGeneratorInitializationContext context)
        {
            foreach (string attribute in s_attributes)
            {
                var names = context.SyntaxProvider.ForAttributeWithMetadataName(attribute,
                    static (node, _) => node is Microsoft.CodeAnalysis.CSharp.Syntax.MethodDeclarationSyntax,
                    static (attributed, _) => attributed.TargetSymbol.Name);
                context.RegisterSourceOutput(names.Collect(), static (_, _) => { });
            }
        }
    }
}
