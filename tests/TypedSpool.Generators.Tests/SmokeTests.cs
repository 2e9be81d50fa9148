namespace TypedSpool.Generators.Tests;

public class SmokeTests
{
    [Fact]
    public void A_spool_method_generates_stubs_and_a_dispatch_table_that_compile()
    {
        var (result, output) = GeneratorHarness.RunGenerator("""
            using TypedSpool;
            namespace Demo;
            public static partial class MyTasks
            {
                [Spool]
                public static void SendMail(string to, string subject) { }
            }
            public static class Caller
            {
                public static EnqueuedTask Call() => MyTasks.Spool.SendMail("a@example.com", "Hello");
            }
            """);
        Assert.Empty(result.Diagnostics);
        Assert.Equal(["Demo.MyTasks.SendMail.Spool.g.cs", "TypedSpool.Dispatch.g.cs"], result.GeneratedTrees.Select(t => Path.GetFileName(t.FilePath)).Order(StringComparer.Ordinal));
        Assert.Empty(GeneratorHarness.CompilerDiagnostics(output));
    }
}
