namespace TypedSpool.Generators.Tests;

/// <summary>[Timer] and [Cron] tasks: TSPOOL014, and what the generator puts in the dispatch table.</summary>
public class ScheduleTests
{
    private const string Usings = AnalyzerTests.Usings;

    [Fact]
    public async Task TSPOOL014_a_scheduled_task_with_a_payload_parameter()
        => await AnalyzerMarkup.VerifyAsync(Usings + """
            public static partial class C { [{|TSPOOL014:Timer(60)|}] public static void Cleanup(string folder) { } }
            """);

    [Theory]
    [InlineData("Timer(0)")]
    [InlineData("Cron(\"\")")]
    [InlineData("Cron(\"*/5 * * *\")")]
    [InlineData("Cron(\"1 2 3 4 5 6 7\")")]
    public async Task TSPOOL014_bad_intervals_and_expressions(string attribute)
        => await AnalyzerMarkup.VerifyAsync(Usings + "public static partial class C { [{|TSPOOL014:" + attribute + "|}] public static void Tick() { } }");

    [Fact]
    public async Task TSPOOL014_two_schedules()
        => await AnalyzerMarkup.VerifyAsync(Usings + """
            public static partial class C { [{|TSPOOL014:Timer(5)|}] [Cron("* * * * *")] public static void Tick() { } }
            """);

    [Fact]
    public async Task Valid_schedules_with_injected_parameters_are_clean()
        => await AnalyzerMarkup.VerifyCleanAsync(Usings + """
            public interface IClock { }
            public static partial class C
            {
                [Timer(30)] public static void Every30(CancellationToken ct, SpoolContext context) { }
                [Cron("*/5 * * * *")] public static Task Report([FromServices] IClock clock) => Task.CompletedTask;
                [Spool(Name = "tick.named"), Timer(1)] public static void Named() { }
            }
            """, tasks: 3);

    [Fact]
    public void The_dispatch_table_carries_the_schedule()
    {
        var (result, output) = GeneratorHarness.RunGenerator(Usings + """
            public static partial class C
            {
                [Timer(30)] public static void Every30() { }
                [Cron("0 */2 * * *")] public static void TwoHourly() { }
                [Spool(Name = "tick.named"), Timer(1)] public static void Named() { }
                [Spool] public static void Plain() { }
            }
            """);
        Assert.Empty(result.Diagnostics);
        Assert.Empty(GeneratorHarness.CompilerDiagnostics(output));
        string table = result.GeneratedTrees.Single(t => t.FilePath.EndsWith("TypedSpool.Dispatch.g.cs", StringComparison.Ordinal)).ToString();
        Assert.Contains("\"Every30\", \"Demo.C.Every30\", global::Demo.C.Spool.__Invoke_Every30) { Every = global::System.TimeSpan.FromSeconds(30) },", table, StringComparison.Ordinal);
        Assert.Contains("{ Cron = \"0 */2 * * *\" },", table, StringComparison.Ordinal);
        Assert.Contains("\"tick.named\", \"Demo.C.Named\", global::Demo.C.Spool.__Invoke_Named) { Every = global::System.TimeSpan.FromSeconds(1) },", table, StringComparison.Ordinal);
        Assert.Contains("__Invoke_Plain),", table, StringComparison.Ordinal);
        // One entry per method, even when found through two attributes.
        Assert.Equal(4, table.Split("new global::TypedSpool.SpoolTaskDescriptor(").Length - 1);
    }
}
