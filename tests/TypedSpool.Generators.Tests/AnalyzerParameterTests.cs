using Microsoft.CodeAnalysis;

namespace TypedSpool.Generators.Tests;

/// <summary>Analyzer tests of the rules on a task's parameters: TSPOOL004-008 and TSPOOL013.</summary>
public class AnalyzerParameterTests
{
    private const string Usings = AnalyzerTests.Usings;

    /// <summary>A hand-written context (the System.Text.Json generator does not run in these tests) with a static Default.</summary>
    internal const string JsonContext = """
        public sealed record Order(string Id, int Count);
        public sealed class OrderJson : System.Text.Json.Serialization.JsonSerializerContext
        {
            public OrderJson() : base(null) { }
            public static OrderJson Default { get; } = new();
            protected override System.Text.Json.JsonSerializerOptions? GeneratedSerializerOptions => null;
            public override System.Text.Json.Serialization.Metadata.JsonTypeInfo? GetTypeInfo(Type type) => null;
        }

        """;

    // TSPOOL004

    [Theory]
    [InlineData("ref {|TSPOOL004:int|} count", "ref, out and in parameters cannot be sent")]
    [InlineData("out {|TSPOOL004:string|} text", "ref, out and in parameters cannot be sent")]
    [InlineData("{|TSPOOL004:Stream|} data", "use [Body] byte[]")]
    [InlineData("{|TSPOOL004:MemoryStream|} data", "use [Body] byte[]")]
    [InlineData("{|TSPOOL004:object|} value", "use a concrete type")]
    [InlineData("{|TSPOOL004:dynamic|} value", "use a concrete type")]
    [InlineData("{|TSPOOL004:Action|} callback", "a delegate is code, not data")]
    [InlineData("{|TSPOOL004:Span<byte>|} data", "a ref struct cannot be stored")]
    public async Task TSPOOL004_an_unsupported_parameter_is_reported_at_its_type_with_a_reason(string parameter, string reason)
    {
        var diagnostics = await AnalyzerMarkup.VerifyAsync(Usings + $$"""
            public static partial class Jobs
            {
                [Spool] public static void Run({{parameter}}) { throw new NotSupportedException(); }
            }
            """);
        Assert.Contains(reason, diagnostics.Single().GetMessage());
    }

    [Fact]
    public async Task TSPOOL004_a_type_parameter_is_reported_with_the_generic_method()
    {
        var diagnostics = await AnalyzerMarkup.VerifyAsync(Usings + """
            public static partial class Jobs
            {
                [Spool] public static void {|TSPOOL011:Run|}<T>({|TSPOOL004:T|} value) { }
            }
            """);
        Assert.Contains("a type parameter has no encoding", diagnostics.Single(d => d.Id == "TSPOOL004").GetMessage());
    }

    [Fact]
    public Task TSPOOL004_every_supported_parameter_kind_is_valid()
        => AnalyzerMarkup.VerifyCleanAsync(Usings + """
            public enum Color { Red, Green }
            public static partial class Jobs
            {
                [Spool] public static void Values(string text, string? maybe, int i, long l, double d, float f, decimal m, bool b, byte u8,
                    Guid id, DateTime when, DateTimeOffset at2, TimeSpan span, DateOnly day, TimeOnly time, Color color, int? count, Color? shade) { }
                [Spool] public static void Injected(CancellationToken ct, SpoolContext context, [FromServices] IServiceProvider services) { }
                [Spool] public static void Bytes([Body] byte[] data) { }
                [Spool] public static void Memory(string name, [Body] ReadOnlyMemory<byte> data) { }
                [Spool] public static void Text([Body] string? text) { }
            }
            """, tasks: 5);

    // TSPOOL005

    [Fact]
    public async Task TSPOOL005_a_json_type_without_a_context_is_reported_with_how_to_add_one()
    {
        var diagnostics = await AnalyzerMarkup.VerifyAsync(Usings + """
            public sealed record Order(string Id);
            public static partial class Shop
            {
                [Spool] public static void Place({|TSPOOL005:Order?|} order, [Body] {|TSPOOL005:List<Order>|} history) { }
            }
            """);
        Assert.Equal(
            "Parameter 'order' of spool task 'Place' has type 'Demo.Order', which is sent as JSON: declare [JsonSerializable(typeof(Demo.Order))] on a partial class deriving from JsonSerializerContext and name it with [SpoolJsonContext(typeof(ThatContext))] on 'Shop' or on the assembly",
            diagnostics[0].GetMessage());
    }

    [Theory]
    [InlineData("", "[SpoolJsonContext(typeof(OrderJson))]")]
    [InlineData("[assembly: SpoolJsonContext(typeof(Demo.OrderJson))]\n", "")]
    public Task TSPOOL005_a_context_on_the_class_or_the_assembly_is_valid(string assembly, string onClass)
        => AnalyzerMarkup.VerifyCleanAsync(Usings.Replace("namespace Demo;", assembly + "namespace Demo;", StringComparison.Ordinal) + JsonContext + $$"""
            {{onClass}}
            public static partial class Shop
            {
                [Spool] public static void Place(Order order, Order? maybe) { }
                [Spool] public static void Import([Body] Order[] orders) { }
            }
            """, tasks: 2);

    // TSPOOL006

    [Fact]
    public async Task TSPOOL006_bulk_payloads_in_keys_are_warned_about_at_their_type()
    {
        var diagnostics = await AnalyzerMarkup.VerifyAsync(Usings + JsonContext + """
            [SpoolJsonContext(typeof(OrderJson))]
            public static partial class Files
            {
                [Spool] public static void Save(string name, {|TSPOOL006:byte[]|} data, {|TSPOOL006:List<Order>|} orders, {|TSPOOL006:Order[]?|} more, Order one) { }
            }
            """);
        Assert.All(diagnostics, d => Assert.Equal(DiagnosticSeverity.Warning, d.Severity));
        Assert.Contains("has the bulk type 'byte[]'", diagnostics[0].GetMessage());
    }

    [Fact]
    public async Task TSPOOL006_the_task_is_still_generated_because_it_is_only_a_warning()
    {
        var (result, output) = GeneratorHarness.RunGenerator(Usings + "public static partial class Files { [Spool] public static void Save(byte[] data) { } }");
        Assert.Single(result.GeneratedTrees, t => t.FilePath.EndsWith("Files.Save.Spool.g.cs", StringComparison.Ordinal));
        Assert.Empty(GeneratorHarness.CompilerDiagnostics(output));
        await AnalyzerMarkup.VerifyAsync(Usings + "public static partial class Files { [Spool] public static void Save({|TSPOOL006:byte[]|} data) { } }");
    }

    [Fact]
    public async Task TSPOOL006_pragma_warning_disable_silences_it()
    {
        var (diagnostics, _) = await AnalyzerMarkup.AnalyzeAsync(Usings + """
            public static partial class Files
            {
            #pragma warning disable TSPOOL006
                [Spool] public static void Save(byte[] data) { }
            #pragma warning restore TSPOOL006
                [Spool] public static void Load(byte[] data) { }
            }
            """);
        var active = diagnostics.Where(d => !d.IsSuppressed).ToArray();
        Assert.Single(active);
        Assert.Contains("'Load'", active[0].GetMessage());
    }

    [Fact]
    public Task TSPOOL006_bulk_data_as_the_body_is_valid()
        => AnalyzerMarkup.VerifyCleanAsync(Usings + "public static partial class Files { [Spool] public static void Save(string name, [Body] byte[] data) { } }", tasks: 1);

    // TSPOOL007

    [Fact]
    public async Task TSPOOL007_a_second_body_is_reported_at_its_attribute()
    {
        var diagnostics = await AnalyzerMarkup.VerifyAsync(Usings + """
            public static partial class Files
            {
                [Spool] public static void Save([Body] byte[] data, [{|TSPOOL007:Body|}] string text) { }
            }
            """);
        Assert.Contains("more than one parameter [Body] ('data', 'text')", diagnostics.Single().GetMessage());
    }

    [Fact]
    public Task TSPOOL007_one_body_with_other_payload_is_valid()
        => AnalyzerMarkup.VerifyCleanAsync(Usings + "public static partial class Files { [Spool] public static void Save(string text, [Body] ReadOnlyMemory<byte> data, CancellationToken ct) { } }", tasks: 1);

    // TSPOOL008

    [Fact]
    public async Task TSPOOL008_a_payload_parameter_named_like_a_reserved_key_is_reported_at_its_name()
    {
        var diagnostics = await AnalyzerMarkup.VerifyAsync(Usings + """
            public static partial class Jobs
            {
                [Spool] public static void Run(int {|TSPOOL008:priority|}, string {|TSPOOL008:@body|}, DateTime {|TSPOOL008:at|}, string {|TSPOOL008:ud_spool_func|}, int {|TSPOOL008:typedspool_attempt|}) { }
            }
            """);
        Assert.Contains("sent under the key 'priority'", diagnostics[0].GetMessage());
    }

    [Fact]
    public Task TSPOOL008_reserved_names_on_injected_and_body_parameters_are_valid()
        => AnalyzerMarkup.VerifyCleanAsync(Usings + """
            public static partial class Jobs
            {
                [Spool] public static void Run(string spoolerName, [Body] byte[] body, CancellationToken at, SpoolContext spooler, [FromServices] IServiceProvider priority) { }
            }
            """, tasks: 1);

    // TSPOOL013

    [Theory]
    [InlineData("[{|TSPOOL013:Body|}] CancellationToken ct", "a CancellationToken is supplied by the worker")]
    [InlineData("[{|TSPOOL013:Body|}] SpoolContext context", "a SpoolContext is supplied by the worker")]
    [InlineData("[FromServices, {|TSPOOL013:Body|}] IServiceProvider services", "a [FromServices] parameter is resolved")]
    [InlineData("[{|TSPOOL013:Body|}] Stream data", "a stream cannot be stored; use [Body] byte[]")]
    [InlineData("[{|TSPOOL013:Body|}] object data", "a body is byte[], ReadOnlyMemory<byte>, string or a type serialized by the JSON context")]
    public async Task TSPOOL013_an_invalid_body_is_reported_at_the_attribute(string parameter, string reason)
    {
        var diagnostics = await AnalyzerMarkup.VerifyAsync(Usings + $$"""
            public static partial class Jobs
            {
                [Spool] public static void Run({{parameter}}) { }
            }
            """);
        Assert.Contains(reason, diagnostics.Single().GetMessage());
    }

    [Fact]
    public Task TSPOOL013_a_text_body_with_injected_parameters_is_valid()
        => AnalyzerMarkup.VerifyCleanAsync(Usings + """
            public static partial class Jobs
            {
                [Spool] public static Task Run([Body] string text, CancellationToken ct, SpoolContext context) => Task.CompletedTask;
            }
            """, tasks: 1);
}
