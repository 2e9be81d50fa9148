namespace TypedSpool.Generators.Tests;

/// <summary>TSPOOL010: constant arguments at a stub's call site that cannot fit the 64 KB key/value area.</summary>
public class AnalyzerCallSiteTests
{
    private const string Usings = AnalyzerTests.Usings;

    // ud_spool_func=Send (13 + 4 + 4) and ud_spool_ret=-2 (12 + 2 + 4); the key "text" costs 4 + 4.
    private const int SendOverhead = 21 + 18 + 8;

    private static string Tasks => Usings + """
        public static partial class Mail
        {
            [Spool] public static void Send(string text, string? note) { }
            [SpoolRaw(Name = "r")] public static SpoolResult Raw(string text) => SpoolResult.Ok;
            [Spool] public static void Upload(string name, [Body] string content) { }
        }

        """;

    private static string Literal(int length) => "\"" + new string('x', length) + "\"";

    [Fact]
    public async Task A_constant_argument_over_64_KB_is_reported_at_the_call_with_its_size()
    {
        var diagnostics = await AnalyzerMarkup.VerifyAsync(Tasks + $$"""
            public static class Caller
            {
                public static void Call() => {|TSPOOL010:Mail.Spool.Send({{Literal(70_000)}}, null)|};
            }
            """);
        Assert.Contains($"call to 'Mail.Spool.Send' encode to {70_000 + SendOverhead} bytes", diagnostics.Single().GetMessage());
    }

    [Fact]
    public Task The_limit_is_exact_and_constants_add_up_across_arguments_and_const_fields()
        => AnalyzerMarkup.VerifyAsync(Tasks + $$"""
            public static class Caller
            {
                private const string Half = {{Literal(33_000)}};
                public static void AtLimit() => Mail.Spool.Send({{Literal(65_535 - SendOverhead)}}, null);
                public static void OverByOne() => {|TSPOOL010:Mail.Spool.Send({{Literal(65_536 - SendOverhead)}}, null)|};
                public static void Sum() => {|TSPOOL010:Mail.Spool.Send(Half, note: Half)|};
                public static void WithOptions() => {|TSPOOL010:Mail.Spool.Send(Half + Half, null, new SpoolOptions { Priority = 1 })|};
                // A [SpoolRaw] task has no ud_spool_ret pair: 13 + 1 + 4 for "r", 4 + 4 for "text".
                public static void RawAtLimit() => Mail.Spool.Raw({{Literal(65_535 - 26)}});
                public static void RawOver() => {|TSPOOL010:Mail.Spool.Raw({{Literal(65_536 - 26)}})|};
            }
            """);

    [Fact]
    public Task Body_arguments_non_constants_and_small_constants_are_not_reported()
        => AnalyzerMarkup.VerifyCleanAsync(Tasks + $$"""
            public static class Caller
            {
                public static void Body() => Mail.Spool.Upload("a.txt", {{Literal(100_000)}});
                public static void NotConstant(string big) => Mail.Spool.Send(big + {{Literal(70_000)}}, null);
                public static void Small() => Mail.Spool.Send("hello", "world");
                public static void Direct() => Mail.Send({{Literal(70_000)}}, null);
            }
            """, tasks: 3);
}
