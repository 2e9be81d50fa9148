using System.Runtime.CompilerServices;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;

namespace TypedSpool.Generators.Tests;

/// <summary>
/// What the generator writes, pinned in <c>Snapshots/SnapshotTests.{Test}#{hint}.verified.cs</c>. To accept a change
/// after reviewing the <c>.received.cs</c> files: <c>TYPEDSPOOL_ACCEPT_SNAPSHOTS=1 dotnet test --project tests/TypedSpool.Generators.Tests</c>.
/// </summary>
public class SnapshotTests
{
    /// <summary>A JSON context written by hand: the System.Text.Json generator does not run in the harness.</summary>
    internal const string HandWrittenJsonContext = """
        public sealed class Ctx : global::System.Text.Json.Serialization.JsonSerializerContext
        {
            public Ctx() : base(null) { }
            public static Ctx Default { get; } = new();
            protected override global::System.Text.Json.JsonSerializerOptions? GeneratedSerializerOptions => null;
            public override global::System.Text.Json.Serialization.Metadata.JsonTypeInfo? GetTypeInfo(global::System.Type type) => null;
        }
        """;

    [Fact]
    public void Spool_returning_void_Task_and_ValueTask()
    {
        Verify("""
            using System.Threading.Tasks;
            using TypedSpool;
            namespace Demo;
            public static partial class Jobs
            {
                [Spool]
                public static void Send(string to) { }

                [Spool]
                public static Task SendAsync(string to) => Task.CompletedTask;

                [Spool]
                public static ValueTask SendValueAsync(string to) => default;
            }
            public static class Caller
            {
                public static EnqueuedTask[] Call() =>
                [
                    Jobs.Spool.Send("a@example.com"),
                    Jobs.Spool.SendAsync("a@example.com", new SpoolOptions { Priority = 3 }),
                    Jobs.Spool.SendValueAsync("a@example.com", options: null),
                ];
            }
            """);
    }

    [Fact]
    public void SpoolRaw_returning_SpoolResult_Task_and_ValueTask_of_it()
    {
        Verify("""
            using System.Threading.Tasks;
            using TypedSpool;
            namespace Demo;
            public static partial class RawJobs
            {
                [SpoolRaw]
                public static SpoolResult Check(int id) => id > 0 ? SpoolResult.Ok : SpoolResult.Retry;

                [SpoolRaw]
                public static Task<SpoolResult> CheckAsync(int id) => Task.FromResult(SpoolResult.Ignore);

                [SpoolRaw]
                public static ValueTask<SpoolResult> CheckValueAsync(int id) => new(SpoolResult.Ok);
            }
            """);
    }

    [Fact]
    public void SpoolForever_returning_void_and_Task()
    {
        Verify("""
            using System.Threading.Tasks;
            using TypedSpool;
            namespace Demo;
            public static partial class Periodic
            {
                [SpoolForever]
                public static void Heartbeat(string node) { }

                [SpoolForever]
                public static Task PollAsync() => Task.CompletedTask;
            }
            """);
    }

    [Fact]
    public void Pinned_wire_names_are_escaped()
    {
        Verify("""
            using TypedSpool;
            namespace Demo;
            public static partial class Named
            {
                [Spool(Name = "mail.send")]
                public static void SendMail(string to) { }

                [SpoolRaw(Name = "quote\"back\\slash tab\t café 📬")]
                public static SpoolResult Odd() => SpoolResult.Ok;
            }
            """);
    }

    [Fact]
    public void Payload_kinds_in_keys()
    {
        Verify("""
            using System;
            using TypedSpool;
            namespace Demo;
            public enum Color { Red, Green }
            public static partial class Payloads
            {
                [Spool]
                public static void Plain(string text, bool flag, int count, long big, double ratio, decimal price, Guid id,
                    DateTime when, DateTimeOffset stamp, TimeSpan span, DateOnly day, TimeOnly time, Color color, byte[] raw) { }

                [Spool]
                public static void Nullable(string? text, bool? flag, int? count, long? big, double? ratio, decimal? price, Guid? id,
                    DateTime? when, DateTimeOffset? stamp, TimeSpan? span, DateOnly? day, TimeOnly? time, Color? color, byte[]? raw) { }

                [Spool]
                public static void OtherNumbers(byte b, sbyte sb, short s, ushort us, uint ui, ulong ul, float f) { }
            }
            """);
    }

    [Fact]
    public void Json_payloads_with_a_context_on_the_class_or_the_assembly()
    {
        Verify($$"""
            using System.Collections.Generic;
            using TypedSpool;
            [assembly: SpoolJsonContext(typeof(Demo.Ctx))]
            namespace Demo;
            public sealed record Order(int Id, string Name);
            public struct Point { public int X { get; set; } }
            {{HandWrittenJsonContext}}
            public sealed class OtherCtx : global::System.Text.Json.Serialization.JsonSerializerContext
            {
                public OtherCtx() : base(null) { }
                public static OtherCtx Default { get; } = new();
                protected override global::System.Text.Json.JsonSerializerOptions? GeneratedSerializerOptions => null;
                public override global::System.Text.Json.Serialization.Metadata.JsonTypeInfo? GetTypeInfo(global::System.Type type) => null;
            }
            public static partial class Orders
            {
                [Spool]
                public static void Place(Order order, Order? previous, Point location, Point? maybe, List<Order> batch) { }

                [Spool]
                public static void PlaceBody(int customer, [Body] Order order) { }
            }
            [SpoolJsonContext(typeof(OtherCtx))]
            public static partial class Overridden
            {
                [Spool]
                public static void PlaceElsewhere([Body] Order? order) { }
            }
            """);
    }

    [Fact]
    public void Body_kinds()
    {
        Verify("""
            using System;
            using TypedSpool;
            namespace Demo;
            public static partial class Bodies
            {
                [Spool] public static void Bytes(string name, [Body] byte[] data) { }
                [Spool] public static void MaybeBytes([Body] byte[]? data) { }
                [Spool] public static void Memory([Body] ReadOnlyMemory<byte> data, int part) { }
                [Spool] public static void MaybeMemory([Body] ReadOnlyMemory<byte>? data) { }
                [Spool] public static void Text([Body] string data) { }
                [Spool] public static void MaybeText([Body] string? data) { }
            }
            """);
    }

    [Fact]
    public void Injected_parameters_are_not_payload()
    {
        Verify("""
            using System.Threading;
            using System.Threading.Tasks;
            using TypedSpool;
            namespace Demo;
            public interface IMailer { Task SendAsync(string to, CancellationToken cancellationToken); }
            public static partial class Mail
            {
                [Spool]
                public static Task SendAsync(string to, [FromServices] IMailer mailer, SpoolContext context, CancellationToken cancellationToken)
                    => mailer.SendAsync(to, cancellationToken);

                [Spool]
                public static void Audit(CancellationToken cancellationToken, int id, [FromServices] IMailer? mailer) { }
            }
            """);
    }

    [Fact]
    public void Parameter_names_keywords_and_options()
    {
        Verify("""
            using TypedSpool;
            namespace Demo;
            public static partial class Names
            {
                [Spool]
                public static void Keywords(string @class, int @event) { }

                [Spool]
                public static void Options(string options) { }

                [Spool]
                public static void BothOptionNames(string options, string spoolOptions) { }
            }
            public static class Caller
            {
                public static EnqueuedTask[] Call() =>
                [
                    Names.Spool.Keywords(@class: "c", @event: 1),
                    Names.Spool.Options(options: "x", spoolOptions: new SpoolOptions { Priority = 1 }),
                    Names.Spool.BothOptionNames("a", "b", __options: null),
                ];
            }
            """);
    }

    [Fact]
    public void Instance_methods_are_resolved_from_services()
    {
        Verify("""
            using System.Threading.Tasks;
            using TypedSpool;
            namespace Demo;
            public partial class MailService
            {
                [Spool]
                public void Send(string to) { }

                [SpoolRaw]
                public ValueTask<SpoolResult> ResendAsync(string to) => new(SpoolResult.Ok);
            }
            internal sealed partial class Reports
            {
                [Spool]
                internal Task BuildAsync(int year) => Task.CompletedTask;
            }
            """);
    }

    [Fact]
    public void Containers()
    {
        Verify("""
            using TypedSpool;

            public static partial class GlobalJobs
            {
                [Spool(Name = "global.run")] public static void Run() { }
            }

            namespace Company.Product.Deep
            {
                public static partial class DeepJobs
                {
                    [Spool(Name = "deep.run")] public static void Run() { }
                }

                public partial class Outer
                {
                    internal static partial class Inner
                    {
                        [Spool(Name = "nested.run")] public static void Run(int depth) { }
                    }
                }

                public partial struct ValueJobs
                {
                    [Spool(Name = "struct.run")] public static void Run() { }
                }

                public partial record RecordJobs(int Id)
                {
                    [Spool(Name = "record.run")] public static void Run() { }
                }

                public partial record struct RecordStructJobs(int Id)
                {
                    [Spool(Name = "record-struct.run")] public static void Run() { }
                }

                internal static partial class InternalJobs
                {
                    [Spool(Name = "internal.run")] internal static void Run() { }
                }
            }
            """);
    }

    [Fact]
    public void Invalid_methods_generate_nothing_for_themselves()
    {
        // Each broken task is the analyzers' to report; the generator skips it silently and still emits the valid one.
        var result = Verify("""
            using System.IO;
            using TypedSpool;
            namespace Demo;
            public static class NotPartial
            {
                [Spool] public static void Lost(string x) { }
            }
            public static partial class Mixed
            {
                [Spool] public static void Fine(string x) { }
                [Spool] public static void TakesObject(object value) { }
                [Spool] public static void TakesStream(Stream stream) { }
                [Spool] public static void NeedsJson(System.Collections.Generic.List<int> values) { }
                [Spool] public static int ReturnsInt() => 0;
                [Spool] public static void Reserved(string priority) { }
                [Spool] public static void TwoBodies([Body] string a, [Body] byte[] b) { }
                [Spool] public static void Generic<T>(string x) { }
                [Spool(Name = "")] public static void EmptyName() { }
                [Spool, SpoolRaw] public static void TwoAttributes() { }
            }
            public static partial class GenericHolder<T>
            {
                [Spool] public static void InGeneric(string x) { }
            }
            """);
        Assert.Equal(["Demo.Mixed.Fine.Spool.g.cs", "TypedSpool.Dispatch.g.cs"], HintNames(result));
    }

    [Fact]
    public void Only_invalid_methods_generate_nothing_at_all()
    {
        var result = Verify("""
            using TypedSpool;
            namespace Demo;
            public static class NotPartial
            {
                [Spool] public static void Lost(string x) { }
            }
            public static partial class Unsupported
            {
                [Spool] public static void TakesObject(object value) { }
            }
            """);
        Assert.Empty(result.GeneratedTrees);
    }

    [Fact]
    public void Duplicate_wire_names_keep_one_table_entry()
    {
        var result = Verify("""
            using TypedSpool;
            namespace Demo;
            public static partial class First
            {
                [Spool(Name = "same")] public static void A() { }
            }
            public static partial class Second
            {
                [Spool(Name = "same")] public static void B() { }
            }
            """);
        // TSPOOL009 is the analyzer's (GeneratorDiagnosticTests); the generator keeps the first entry and stays silent.
        Assert.Empty(result.Diagnostics);
    }

    [Fact]
    public void Default_values_are_kept_on_the_short_stub()
    {
        Verify("""
            using TypedSpool;
            namespace Demo;
            public enum Tone { Plain, Loud = 7 }
            public static partial class Jobs
            {
                [Spool] public static void Send(string text, string? note = null, int count = 3, double ratio = 0.5, Tone tone = Tone.Loud, bool urgent = true, string greeting = "hi \"you\"") { }
            }
            public static class Caller
            {
                public static void Call()
                {
                    Jobs.Spool.Send("x");
                    Jobs.Spool.Send("x", "n", 1, 2.5, Tone.Plain, false, "yo", new SpoolOptions { Priority = 1 });
                }
            }
            """);
    }

    // ---- Defects found while reviewing the snapshots, fixed since: each test failed before the fix. ----

    [Fact]
    public void Keyword_named_types_and_methods_compile()
    {
        var (result, output) = GeneratorHarness.RunGenerator("""
            using TypedSpool;
            namespace Demo;
            public static partial class @event
            {
                [Spool] public static void @return(string x) { }
            }
            """);
        Assert.Empty(result.Diagnostics);
        Assert.Empty(GeneratorHarness.CompilerDiagnostics(output));
    }

    [Fact]
    public void Keyword_namespace_does_not_crash_the_generator()
    {
        var (result, output) = GeneratorHarness.RunGenerator("""
            using TypedSpool;
            namespace Demo.@internal;
            public static partial class Jobs
            {
                [Spool] public static void Run(string x) { }
            }
            """);
        Assert.Empty(result.Diagnostics);
        Assert.Equal(2, result.GeneratedTrees.Length);
        Assert.Empty(GeneratorHarness.CompilerDiagnostics(output));
    }

    [Fact]
    public void Parameter_named_like_the_stub_local_compiles()
    {
        var (_, output) = GeneratorHarness.RunGenerator("""
            using TypedSpool;
            namespace Demo;
            public static partial class Jobs
            {
                [Spool] public static void Run(string __payload) { }
            }
            """);
        Assert.Empty(GeneratorHarness.CompilerDiagnostics(output));
    }

    [Fact]
    public void Generated_code_has_no_documentation_warnings()
    {
        var cancellationToken = TestContext.Current.CancellationToken;
        var parseOptions = GeneratorHarness.ParseOptions.WithDocumentationMode(DocumentationMode.Diagnose);
        var compilation = GeneratorHarness.Compile().AddSyntaxTrees(CSharpSyntaxTree.ParseText("""
            using TypedSpool;
            namespace Demo;
            /// <summary>Jobs.</summary>
            public static partial class Jobs
            {
                /// <summary>Runs.</summary>
                [Spool] public static void Run(string to, int count) { }
            }
            """, parseOptions, cancellationToken: cancellationToken));
        GeneratorDriver driver = CSharpGeneratorDriver.Create([new SpoolGenerator().AsSourceGenerator()], parseOptions: parseOptions);
        driver.RunGeneratorsAndUpdateCompilation(compilation, out var output, out _, cancellationToken);
        var generated = output.GetDiagnostics(cancellationToken)
            .Where(d => d.Severity >= DiagnosticSeverity.Warning && d.Location.SourceTree?.FilePath.EndsWith(".g.cs", StringComparison.Ordinal) == true);
        Assert.Empty(generated);
    }

    private static GeneratorDriverRunResult Verify(string source, string[]? generatorDiagnostics = null, [CallerMemberName] string test = "")
        => SnapshotVerifier.Verify(nameof(SnapshotTests), test, source, generatorDiagnostics ?? []);

    private static string[] HintNames(GeneratorDriverRunResult result)
        => [.. result.GeneratedTrees.Select(t => Path.GetFileName(t.FilePath)).Order(StringComparer.Ordinal)];
}

/// <summary>The snapshot workflow itself: it must fail on a difference, on a missing or stale snapshot, and accept on request.</summary>
public sealed class SnapshotVerifierTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("typedspool-snapshots-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    [Fact]
    public void The_snapshot_folder_is_found_from_the_solution_not_the_caller_path()
    {
        Assert.True(Directory.Exists(Path.GetDirectoryName(SnapshotVerifier.SnapshotDirectory)), SnapshotVerifier.SnapshotDirectory);
        Assert.EndsWith(Path.Combine("tests", "TypedSpool.Generators.Tests", "Snapshots"), SnapshotVerifier.SnapshotDirectory, StringComparison.Ordinal);
        Assert.True(File.Exists(Path.Combine(SnapshotVerifier.SnapshotDirectory, "..", "TypedSpool.Generators.Tests.csproj")));
    }

    [Fact]
    public void A_missing_snapshot_fails_and_writes_received()
    {
        var ex = Assert.ThrowsAny<Exception>(() => SnapshotVerifier.VerifyFiles(_directory, "C.T", [("A.g.cs", "x\n")], accept: false));
        Assert.Contains("no snapshot yet", ex.Message, StringComparison.Ordinal);
        Assert.Equal("x\n", File.ReadAllText(Path.Combine(_directory, "C.T#A.g.received.cs")));
        Assert.False(File.Exists(Path.Combine(_directory, "C.T#A.g.verified.cs")));
    }

    [Fact]
    public void A_difference_fails_with_the_first_differing_line_and_a_match_deletes_received()
    {
        File.WriteAllText(Path.Combine(_directory, "C.T#A.g.verified.cs"), "one\ntwo\nthree\n");
        var ex = Assert.ThrowsAny<Exception>(() => SnapshotVerifier.VerifyFiles(_directory, "C.T", [("A.g.cs", "one\n2\nthree\n")], accept: false));
        Assert.Contains("first difference at line 2", ex.Message, StringComparison.Ordinal);
        Assert.Contains("  - two", ex.Message, StringComparison.Ordinal);
        Assert.Contains("  + 2", ex.Message, StringComparison.Ordinal);
        Assert.True(File.Exists(Path.Combine(_directory, "C.T#A.g.received.cs")));

        SnapshotVerifier.VerifyFiles(_directory, "C.T", [("A.g.cs", "one\ntwo\nthree\n")], accept: false);
        Assert.False(File.Exists(Path.Combine(_directory, "C.T#A.g.received.cs")));
    }

    [Fact]
    public void Line_endings_count()
    {
        File.WriteAllText(Path.Combine(_directory, "C.T#A.g.verified.cs"), "one\r\ntwo\r\n");
        var ex = Assert.ThrowsAny<Exception>(() => SnapshotVerifier.VerifyFiles(_directory, "C.T", [("A.g.cs", "one\ntwo\n")], accept: false));
        Assert.Contains("line 1", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_snapshot_of_a_file_no_longer_generated_fails()
    {
        File.WriteAllText(Path.Combine(_directory, "C.T#Gone.g.verified.cs"), "old\n");
        var ex = Assert.ThrowsAny<Exception>(() => SnapshotVerifier.VerifyFiles(_directory, "C.T", [], accept: false));
        Assert.Contains("C.T#Gone.g.verified.cs", ex.Message, StringComparison.Ordinal);
        // A test whose name merely starts the same is not touched.
        File.WriteAllText(Path.Combine(_directory, "C.T2#A.g.verified.cs"), "other\n");
        SnapshotVerifier.VerifyFiles(_directory, "C.T", [], accept: true);
        Assert.False(File.Exists(Path.Combine(_directory, "C.T#Gone.g.verified.cs")));
        Assert.True(File.Exists(Path.Combine(_directory, "C.T2#A.g.verified.cs")));
    }

    [Fact]
    public void Accepting_writes_the_snapshot_and_removes_received()
    {
        File.WriteAllText(Path.Combine(_directory, "C.T#A.g.verified.cs"), "old\n");
        File.WriteAllText(Path.Combine(_directory, "C.T#A.g.received.cs"), "new\n");
        SnapshotVerifier.VerifyFiles(_directory, "C.T", [("A.g.cs", "new\n"), ("B.g.cs", "b\n")], accept: true);
        Assert.Equal("new\n", File.ReadAllText(Path.Combine(_directory, "C.T#A.g.verified.cs")));
        Assert.Equal("b\n", File.ReadAllText(Path.Combine(_directory, "C.T#B.g.verified.cs")));
        Assert.False(File.Exists(Path.Combine(_directory, "C.T#A.g.received.cs")));
        SnapshotVerifier.VerifyFiles(_directory, "C.T", [("A.g.cs", "new\n"), ("B.g.cs", "b\n")], accept: false);
    }
}
