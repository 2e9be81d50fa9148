using System.Collections;
using System.Reflection;
using System.Runtime.CompilerServices;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;

namespace TypedSpool.Generators.Tests;

/// <summary>The pipeline caches: an edit that touches no task reruns nothing, and no step holds on to a compilation.</summary>
public class IncrementalityTests
{
    private static readonly string[] s_steps =
    [
        StepNames.SpoolMethods, StepNames.SpoolRawMethods, StepNames.SpoolForeverMethods,
        StepNames.AllResults, StepNames.Specs, StepNames.DispatchTable,
    ];

    private const string Tasks = """
        using System.Threading.Tasks;
        using TypedSpool;
        namespace Demo;
        public static partial class Jobs
        {
            [Spool] public static void Send(string to) { }
            [SpoolRaw] public static SpoolResult Check(int id) => SpoolResult.Ok;
            [SpoolForever] public static Task PollAsync() => Task.CompletedTask;
            public static int Helper() => 1;
        }
        """;

    private const string Other = """
        namespace Demo;
        public static class Unrelated
        {
            public static int Compute() => 1;
        }
        """;

    [Fact]
    public void Adding_an_unrelated_file_reruns_no_step()
    {
        var (first, second) = RunTwice([Tasks, Other], c => c.AddSyntaxTrees(Parse("namespace Demo; public static class Added { }")));
        AssertAllStepsRan(first);
        AssertAllCached(second);
    }

    [Fact]
    public void Editing_an_unrelated_file_reruns_no_step()
    {
        var (_, second) = RunTwice([Tasks, Other], c => Replace(c, "Source1.cs", Other.Replace("=> 1;", "=> 2;", StringComparison.Ordinal)));
        AssertAllCached(second);
    }

    [Fact]
    public void Editing_a_method_body_that_is_not_a_task_in_the_tasks_file_changes_no_output()
    {
        var (_, second) = RunTwice([Tasks, Other], c => Replace(c, "Source0.cs", Tasks.Replace("Helper() => 1;", "Helper() => 2;", StringComparison.Ordinal)));
        AssertAllCached(second);
    }

    [Fact]
    public void Editing_a_task_parameter_list_regenerates_that_task_only()
    {
        var (_, second) = RunTwice([Tasks, Other],
            c => Replace(c, "Source0.cs", Tasks.Replace("Send(string to)", "Send(string to, int count)", StringComparison.Ordinal)));

        // The parse step of Send produces a new value; Check and PollAsync are re-parsed (same tree) but equal.
        Assert.Equal([IncrementalStepRunReason.Modified], Reasons(second, StepNames.SpoolMethods));
        Assert.All(Reasons(second, StepNames.SpoolRawMethods), r => Assert.True(r is IncrementalStepRunReason.Cached or IncrementalStepRunReason.Unchanged, r.ToString()));
        Assert.All(Reasons(second, StepNames.SpoolForeverMethods), r => Assert.True(r is IncrementalStepRunReason.Cached or IncrementalStepRunReason.Unchanged, r.ToString()));

        // Specs: only Send's spec is new, so only its file is written again; the table changes because Send's spec did.
        var specs = second.TrackedSteps[StepNames.Specs].SelectMany(s => s.Outputs).ToList();
        var modified = specs.Where(o => o.Reason is IncrementalStepRunReason.Modified or IncrementalStepRunReason.New).Select(o => Spec(o.Value).MethodName).ToList();
        Assert.Equal(["Send"], modified);
        Assert.All(specs.Where(o => Spec(o.Value).MethodName != "Send"), o => Assert.True(o.Reason is IncrementalStepRunReason.Cached or IncrementalStepRunReason.Unchanged, o.Reason.ToString()));
        Assert.Equal([IncrementalStepRunReason.Modified], Reasons(second, StepNames.DispatchTable));

        var sourceOutputs = second.TrackedOutputSteps["SourceOutput"].SelectMany(s => s.Outputs).ToList();
        Assert.Equal(2, sourceOutputs.Count(o => o.Reason == IncrementalStepRunReason.Modified)); // Send's file and the table
        Assert.Contains("int count", second.GeneratedSources.Single(s => s.HintName == "Demo.Jobs.Send.Spool.g.cs").SourceText.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void No_step_output_holds_a_symbol_syntax_location_or_compilation()
    {
        var (first, second) = RunTwice([Tasks, Other], c => Replace(c, "Source0.cs", Tasks.Replace("Send(string to)", "Send(string to, long size)", StringComparison.Ordinal)));
        foreach (var run in new[] { first, second })
        {
            foreach (var step in s_steps)
            {
                foreach (var output in run.TrackedSteps[step].SelectMany(s => s.Outputs))
                {
                    var found = FindRoslynObject(output.Value, step);
                    Assert.True(found is null, $"Step {step} holds {found}");
                }
            }
        }
    }

    [Fact]
    public void The_leak_detector_finds_roslyn_objects_inside_records_arrays_and_tuples()
    {
        var tree = Parse("class C { }");
        var compilation = GeneratorHarness.Compile().AddSyntaxTrees(tree);
        var symbol = compilation.GetTypeByMetadataName("C")!;
        Assert.NotNull(FindRoslynObject(new Holder("x", [new Holder("y", [], tree.GetRoot(TestContext.Current.CancellationToken))], null), "t"));
        Assert.NotNull(FindRoslynObject((1, ("a", symbol)), "t"));
        Assert.NotNull(FindRoslynObject(System.Collections.Immutable.ImmutableArray.Create<object>("a", Location.None), "t"));
        Assert.NotNull(FindRoslynObject(new Holder("z", [], compilation), "t"));
        Assert.Null(FindRoslynObject(new Holder("z", [new Holder("w", [], 42)], "text"), "t"));
    }

    private sealed record Holder(string Name, Holder[] Children, object? Extra);

    // ---- driver ----

    private static (GeneratorRunResult First, GeneratorRunResult Second) RunTwice(string[] sources, Func<Compilation, Compilation> edit)
    {
        var compilation = GeneratorHarness.Compile(sources);
        GeneratorDriver driver = CSharpGeneratorDriver.Create([new SpoolGenerator().AsSourceGenerator()], parseOptions: GeneratorHarness.ParseOptions,
            driverOptions: new GeneratorDriverOptions(IncrementalGeneratorOutputKind.None, trackIncrementalGeneratorSteps: true));
        driver = driver.RunGenerators(compilation, TestContext.Current.CancellationToken);
        var first = driver.GetRunResult().Results.Single();
        Assert.Null(first.Exception);
        Assert.Empty(first.Diagnostics);
        driver = driver.RunGenerators(edit(compilation), TestContext.Current.CancellationToken);
        var second = driver.GetRunResult().Results.Single();
        Assert.Null(second.Exception);
        return (first, second);
    }

    private static SyntaxTree Parse(string source, string path = "Added.cs")
        => CSharpSyntaxTree.ParseText(source, GeneratorHarness.ParseOptions, path, cancellationToken: TestContext.Current.CancellationToken);

    private static Compilation Replace(Compilation compilation, string path, string source)
    {
        var old = compilation.SyntaxTrees.Single(t => t.FilePath == path);
        return compilation.ReplaceSyntaxTree(old, Parse(source, path));
    }

    private static void AssertAllStepsRan(GeneratorRunResult run)
    {
        foreach (var step in s_steps)
        {
            Assert.True(run.TrackedSteps.ContainsKey(step), $"Step {step} is not tracked (missing WithTrackingName?)");
            Assert.All(run.TrackedSteps[step].SelectMany(s => s.Outputs), o => Assert.Equal(IncrementalStepRunReason.New, o.Reason));
        }
    }

    private static void AssertAllCached(GeneratorRunResult run)
    {
        var problems = new List<string>();
        foreach (var step in s_steps)
        {
            Assert.True(run.TrackedSteps.ContainsKey(step), $"Step {step} is not tracked");
            foreach (var output in run.TrackedSteps[step].SelectMany(s => s.Outputs))
            {
                if (output.Reason is not (IncrementalStepRunReason.Cached or IncrementalStepRunReason.Unchanged))
                {
                    problems.Add($"{step}: {output.Reason} ({output.Value.GetType().Name})");
                }
            }
        }
        Assert.True(problems.Count == 0, "Steps that ran again after an unrelated edit:\n" + string.Join("\n", problems));
        Assert.All(run.TrackedOutputSteps.SelectMany(s => s.Value).SelectMany(s => s.Outputs),
            o => Assert.True(o.Reason is IncrementalStepRunReason.Cached or IncrementalStepRunReason.Unchanged, o.Reason.ToString()));
    }

    private static IncrementalStepRunReason[] Reasons(GeneratorRunResult run, string step)
        => [.. run.TrackedSteps[step].SelectMany(s => s.Outputs).Select(o => o.Reason)];

    private static Model.SpoolMethodSpec Spec(object value) => Assert.IsType<Model.SpoolMethodSpec>(value);

    // ---- leak detector ----

    /// <summary>A path to the first Roslyn object (symbol, syntax, location, compilation, semantic model) reachable from <paramref name="value"/>, or null.</summary>
    private static string? FindRoslynObject(object? value, string path) => Find(value, path, new HashSet<object>(ReferenceEqualityComparer.Instance), 0);

    private static string? Find(object? value, string path, HashSet<object> seen, int depth)
    {
        if (value is null || depth > 32) return null;
        var type = value.GetType();
        if (value is ISymbol or SyntaxNode or SyntaxTree or Location or Compilation or SemanticModel or SyntaxToken or SyntaxTrivia or SyntaxReference or AttributeData)
        {
            return $"{path}: {type.Name}";
        }
        if (type.IsPrimitive || type.IsEnum || value is string or decimal or Type) return null;
        if (!type.IsValueType && !seen.Add(value)) return null;

        if (value is ITuple tuple)
        {
            for (int i = 0; i < tuple.Length; i++)
            {
                if (Find(tuple[i], $"{path}.Item{i + 1}", seen, depth + 1) is { } hit) return hit;
            }
            return null;
        }
        if (type.IsGenericType && type.GetGenericTypeDefinition() == typeof(System.Collections.Immutable.ImmutableArray<>)
            && (bool)type.GetProperty("IsDefault")!.GetValue(value)!)
        {
            return null;
        }
        if (value is IEnumerable items)
        {
            int i = 0;
            foreach (var item in items)
            {
                if (Find(item, $"{path}[{i++}]", seen, depth + 1) is { } hit) return hit;
            }
            return null;
        }
        for (var t = type; t is not null && t != typeof(object); t = t.BaseType)
        {
            foreach (var field in t.GetFields(BindingFlags.Instance | BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.DeclaredOnly))
            {
                if (Find(field.GetValue(value), $"{path}.{field.Name}", seen, depth + 1) is { } hit) return hit;
            }
        }
        return null;
    }
}
