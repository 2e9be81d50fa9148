using System.Collections.Concurrent;
using System.Reflection;
using System.Runtime.Loader;
using Microsoft.CodeAnalysis;
using TypedSpool.Storage;

namespace TypedSpool.Generators.Tests;

/// <summary>
/// The generated code for real: compile it, load it, enqueue through the generated stubs into a real spool directory,
/// run a worker over it with the generated dispatch table, and compare what each task method received.
/// </summary>
[Collection(nameof(RoundTripTests))] // Spooler.Default is process-wide.
public sealed class RoundTripTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("typedspool-roundtrip-").FullName;
    private readonly Spooler? _previousDefault = Spooler.Default;

    public void Dispose()
    {
        Spooler.Default = _previousDefault;
        Directory.Delete(_directory, recursive: true);
    }

    /// <summary>
    /// Task methods record their arguments in Received.Calls (a core-library type, so the test can read it across load
    /// contexts). Wire names start with "@@." which each test replaces with a unique prefix: the registry is process-wide.
    /// </summary>
    private const string Source = """
        using System;
        using System.Collections.Concurrent;
        using System.Threading;
        using System.Threading.Tasks;
        using System.Text.Json;
        using System.Text.Json.Serialization;
        using System.Text.Json.Serialization.Metadata;
        using TypedSpool;

        [assembly: SpoolJsonContext(typeof(Demo.Ctx))]

        namespace Demo;

        public enum Color { Red, Green }
        [Flags] public enum Access { None = 0, Read = 1, Write = 2 }
        public sealed record Order(int Id, string Name, decimal Total);
        public interface IMailer { string Name { get; } }
        public sealed class Mailer : IMailer { public string Name => "mailer"; }

        /// <summary>Reflection-based metadata: the STJ source generator does not run here. Good enough in a test.</summary>
        public sealed class Ctx : JsonSerializerContext
        {
            private static readonly JsonSerializerOptions s_options = new() { TypeInfoResolver = new DefaultJsonTypeInfoResolver() };
            public Ctx() : base(null) { }
            public static Ctx Default { get; } = new();
            protected override JsonSerializerOptions? GeneratedSerializerOptions => null;
            public override JsonTypeInfo? GetTypeInfo(Type type) => s_options.GetTypeInfo(type);
        }

        public sealed class Services : IServiceProvider
        {
            public object? GetService(Type serviceType)
                => serviceType == typeof(IMailer) ? new Mailer() : serviceType == typeof(InstanceJobs) ? new InstanceJobs() : null;
        }

        public static class Received
        {
            public static readonly ConcurrentQueue<(string Task, object?[] Args)> Calls = new();
            public static void Add(string task, params object?[] args) => Calls.Enqueue((task, args));
        }

        public static partial class Jobs
        {
            [Spool(Name = "@@.plain")]
            public static void Plain(string text, bool flag, int count, long big, double ratio, float single, decimal price, Guid id,
                DateTime whenUtc, DateTime whenLocal, DateTime whenUnspecified, DateTimeOffset stamp, TimeSpan span,
                DateOnly day, TimeOnly time, Color color, Access access, Color undefined, byte[] raw, string empty)
                => Received.Add("plain", text, flag, count, big, ratio, single, price, id, whenUtc, whenLocal, whenUnspecified, stamp, span,
                    day, time, color, access, undefined, raw, empty);

            [Spool(Name = "@@.nullable")]
            public static void Nullable(string? text, bool? flag, int? count, long? big, double? ratio, decimal? price, Guid? id,
                DateTime? when, DateTimeOffset? stamp, TimeSpan? span, DateOnly? day, TimeOnly? time, Color? color, byte[]? raw, Order? order)
                => Received.Add("nullable", text, flag, count, big, ratio, price, id, when, stamp, span, day, time, color, raw, order);

            [Spool(Name = "@@.json")]
            public static Task JsonAsync(Order order, [Body] Order body)
            {
                Received.Add("json", order, body);
                return Task.CompletedTask;
            }

            [Spool(Name = "@@.bytes")]
            public static void BodyBytes(string name, [Body] byte[] data) => Received.Add("bytes", name, data);

            [Spool(Name = "@@.memory")]
            public static ValueTask BodyMemory([Body] ReadOnlyMemory<byte> data)
            {
                Received.Add("memory", data.ToArray());
                return default;
            }

            [Spool(Name = "@@.text")]
            public static void BodyText([Body] string data) => Received.Add("text", data);

            [SpoolRaw(Name = "@@.injected")]
            public static Task<SpoolResult> InjectedAsync(int id, CancellationToken cancellationToken, SpoolContext context, [FromServices] IMailer mailer)
            {
                Received.Add("injected", id, cancellationToken.CanBeCanceled, context.TaskName, context.Attempt, mailer.Name);
                return Task.FromResult(SpoolResult.Ok);
            }

            [Spool(Name = "@@.keywords")]
            public static void Keywords(string @class, string options) => Received.Add("keywords", @class, options);

            [SpoolForever(Name = "@@.forever")]
            public static void Forever(int n) => Received.Add("forever", n);
        }

        public partial class InstanceJobs
        {
            [Spool(Name = "@@.instance")]
            public void Record(string value) => Received.Add("instance", value, GetType().Name);
        }

        public static partial class OptionalServices
        {
            [Spool(Name = "@@.optional-service")]
            public static void Run(int id, [FromServices] IFormatProvider? provider) => Received.Add("optional-service", id, provider);
        }
        """;

    private static readonly DateTime s_utc = new(638_000_000_000_000_001, DateTimeKind.Utc);
    private static readonly DateTime s_local = new(638_100_000_000_000_007, DateTimeKind.Local);
    private static readonly DateTime s_unspecified = new(638_200_000_000_000_003, DateTimeKind.Unspecified);
    private static readonly DateTimeOffset s_stamp = new(638_300_000_000_000_009, TimeSpan.FromMinutes(330));

    [Fact]
    public async Task Every_payload_kind_arrives_exactly_as_sent()
    {
        var cancellationToken = TestContext.Current.CancellationToken;
        var (assembly, prefix) = CompileAndLoad(Source);
        Spooler.Default = new Spooler(_directory);

        var orderType = assembly.GetType("Demo.Order")!;
        object order = Activator.CreateInstance(orderType, 7, "Ada \"Lovelace\" ✓", 12345.6789m)!;
        object body = Activator.CreateInstance(orderType, 8, "body", -0.01m)!;
        var color = assembly.GetType("Demo.Color")!;
        var access = assembly.GetType("Demo.Access")!;
        var guid = Guid.Parse("0f8fad5b-d9cb-469f-a165-70867728950e");
        byte[] raw = [0, 1, 0x7f, 0x80, 0xff, 0];
        string text = "héllo \"quoted\" 🙂\nline\ttab\\ and = & ; ,";

        Stub(assembly, "Jobs", "Plain", text, true, int.MinValue, long.MaxValue, 0.1 + 0.2, 1f / 3f, 79228162514264337593543950335m, guid,
            s_utc, s_local, s_unspecified, s_stamp, -new TimeSpan(1, 2, 3, 4, 5) - TimeSpan.FromTicks(6), new DateOnly(2024, 2, 29),
            new TimeOnly(23, 59, 59).Add(TimeSpan.FromTicks(1_234_567)), Enum.ToObject(color, 1), Enum.ToObject(access, 3), Enum.ToObject(color, 42), raw, "");
        Stub(assembly, "Jobs", "Nullable", null, null, null, null, null, null, null, null, null, null, null, null, null, null, null);
        Stub(assembly, "Jobs", "Nullable", "", false, 0, -1L, double.Epsilon, -0.0000000001m, Guid.Empty, DateTime.MaxValue, DateTimeOffset.MinValue,
            TimeSpan.MaxValue, DateOnly.MinValue, TimeOnly.MaxValue, Enum.ToObject(color, 0), Array.Empty<byte>(), order);
        Stub(assembly, "Jobs", "JsonAsync", order, body);
        Stub(assembly, "Jobs", "BodyBytes", "name", raw);
        Stub(assembly, "Jobs", "BodyMemory", new ReadOnlyMemory<byte>(raw, 1, 4));
        Stub(assembly, "Jobs", "BodyText", text);
        Stub(assembly, "Jobs", "InjectedAsync", 5);
        Stub(assembly, "Jobs", "Keywords", "klass", "opts");
        var prioritized = Stub(assembly, "Jobs", "Keywords", "with options", "o", new SpoolOptions { Priority = 2 });
        Stub(assembly, "InstanceJobs", "Record", "instance value");
        var forever = Stub(assembly, "Jobs", "Forever", 3);

        var services = (IServiceProvider)Activator.CreateInstance(assembly.GetType("Demo.Services")!)!;
        var summary = await RunWorkerAsync(services, cancellationToken);
        Assert.Equal(0, summary.DeadLettered + summary.Quarantined + summary.Retried + summary.Ignored);
        Assert.Equal(12, summary.Succeeded);

        var calls = Calls(assembly);
        Assert.Equal(12, calls.Count);
        AssertCall(calls, "plain", text, true, int.MinValue, long.MaxValue, 0.1 + 0.2, 1f / 3f, 79228162514264337593543950335m, guid,
            s_utc, s_local, s_unspecified, s_stamp, -new TimeSpan(1, 2, 3, 4, 5) - TimeSpan.FromTicks(6), new DateOnly(2024, 2, 29),
            new TimeOnly(23, 59, 59).Add(TimeSpan.FromTicks(1_234_567)), Enum.ToObject(color, 1), Enum.ToObject(access, 3), Enum.ToObject(color, 42), raw, "");
        var plain = calls.Single(c => c.Task == "plain").Args;
        Assert.Equal([DateTimeKind.Utc, DateTimeKind.Local, DateTimeKind.Unspecified], plain[8..11].Select(d => ((DateTime)d!).Kind));
        Assert.Equal(s_stamp.Offset, ((DateTimeOffset)plain[11]!).Offset);

        var nullable = calls.Where(c => c.Task == "nullable").Select(c => c.Args).ToList();
        Assert.Equal(2, nullable.Count);
        var allNull = nullable.Single(a => a[0] is null);
        Assert.All(allNull, Assert.Null);
        var values = nullable.Single(a => a[0] is not null);
        AssertArgs("nullable", values, "", false, 0, -1L, double.Epsilon, -0.0000000001m, Guid.Empty, DateTime.MaxValue, DateTimeOffset.MinValue,
            TimeSpan.MaxValue, DateOnly.MinValue, TimeOnly.MaxValue, Enum.ToObject(color, 0), Array.Empty<byte>(), order);

        AssertCall(calls, "json", order, body);
        AssertCall(calls, "bytes", "name", raw);
        AssertCall(calls, "memory", raw[1..5]);
        AssertCall(calls, "text", text);
        AssertCall(calls, "injected", 5, true, prefix + ".injected", 1, "mailer");
        Assert.Equal(2, calls.Count(c => c.Task == "keywords"));
        Assert.Contains(calls, c => c.Task == "keywords" && Equals(c.Args[0], "klass") && Equals(c.Args[1], "opts"));
        Assert.Contains(calls, c => c.Task == "keywords" && Equals(c.Args[0], "with options") && Equals(c.Args[1], "o"));
        AssertCall(calls, "instance", "instance value", "InstanceJobs");
        AssertCall(calls, "forever", 3);

        // The options overload honoured the priority; every task file left the spool except the forever task's (RunAgain
        // keeps it); the others wait in the recycling pool for the next enqueue to overwrite.
        Assert.Equal(2, prioritized.Priority);
        Assert.Equal(Path.Combine(_directory, "2"), Path.GetDirectoryName(prioritized.Path));
        string pool = Path.Combine(_directory, SpoolLayout.Recycled) + Path.DirectorySeparatorChar;
        Assert.Equal([forever.Path], Directory.EnumerateFiles(_directory, "*", SearchOption.AllDirectories).Where(f => !f.StartsWith(pool, StringComparison.Ordinal)));
    }

    [Fact]
    public async Task A_missing_required_value_dead_letters_the_task_with_the_key()
    {
        var cancellationToken = TestContext.Current.CancellationToken;
        var (assembly, prefix) = CompileAndLoad(Source);
        Spooler.Default = new Spooler(_directory);

        // Nothing in the assembly has been touched, so its module initializer has not registered the table yet.
        Assert.False(SpoolTaskRegistry.TryGet(prefix + ".bytes", out _));
        SpoolTaskRegistry.Include(assembly.GetTypes()[0]);
        Assert.True(SpoolTaskRegistry.TryGet(prefix + ".bytes", out var descriptor));
        Assert.Equal("Demo.Jobs.BodyBytes", descriptor.Method);

        // A producer (say, Python) that forgot a key: the invoker must name it, and retrying cannot help.
        Spooler.Default.Enqueue(Format.SpoolPacket.FromText([new("ud_spool_func", prefix + ".bytes")]));
        var summary = await RunWorkerAsync(EmptyServices(), cancellationToken);
        Assert.Equal(1, summary.DeadLettered);
        Assert.Empty(Calls(assembly));
        using var note = System.Text.Json.JsonDocument.Parse(File.ReadAllText(Directory.EnumerateFiles(Path.Combine(_directory, "dead"), "*.reason.json").Single()));
        Assert.Contains("payload key 'name' is missing", note.RootElement.GetProperty("reason").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_optional_service_that_is_not_registered_arrives_as_null()
    {
        var cancellationToken = TestContext.Current.CancellationToken;
        var (assembly, _) = CompileAndLoad(Source);
        Spooler.Default = new Spooler(_directory);
        Stub(assembly, "OptionalServices", "Run", 1);
        var summary = await RunWorkerAsync(EmptyServices(), cancellationToken);
        Assert.Equal(1, summary.Succeeded);
        AssertCall(Calls(assembly), "optional-service", 1, null);
    }

    [Fact]
    public async Task A_null_string_from_nullable_oblivious_code_arrives_as_null()
    {
        var cancellationToken = TestContext.Current.CancellationToken;
        var (assembly, _) = CompileAndLoad("""
            #nullable disable
            using TypedSpool;
            namespace Demo;
            public static partial class Oblivious
            {
                public static string Seen = "unset";
                [Spool(Name = "@@.oblivious")] public static void Run(string text) => Seen = text;
            }
            """);
        Spooler.Default = new Spooler(_directory);
        Stub(assembly, "Oblivious", "Run", [null]);
        var summary = await RunWorkerAsync(EmptyServices(), cancellationToken);
        Assert.Equal(1, summary.Succeeded);
        Assert.Null(assembly.GetType("Demo.Oblivious")!.GetField("Seen")!.GetValue(null));
    }

    // ---- helpers (reflection is test-only; the generated code uses none) ----

    private static (Assembly Assembly, string Prefix) CompileAndLoad(string source)
    {
        string prefix = "rt" + Guid.NewGuid().ToString("N")[..12];
        var (result, output) = GeneratorHarness.RunGenerator(source.Replace("\"@@.", "\"" + prefix + ".", StringComparison.Ordinal));
        Assert.Empty(result.Diagnostics);
        Assert.Empty(GeneratorHarness.CompilerDiagnostics(output));
        using var image = new MemoryStream();
        var emitted = output.Emit(image, cancellationToken: TestContext.Current.CancellationToken);
        Assert.True(emitted.Success, string.Join("\n", emitted.Diagnostics));
        image.Position = 0;
        // Collectible, with no resolver of its own: TypedSpool and the framework come from the default context, so the
        // generated code and this test share SpoolTaskRegistry and Spooler.Default.
        var context = new AssemblyLoadContext("typedspool-roundtrip-" + prefix, isCollectible: true);
        var assembly = context.LoadFromStream(image);
        Assert.Same(typeof(Spooler).Assembly, context.LoadFromAssemblyName(typeof(Spooler).Assembly.GetName()));
        return (assembly, prefix);
    }

    /// <summary>Calls <c>Demo.{type}.Spool.{method}</c>: the overload without options, or the one with when the last argument is a <see cref="SpoolOptions"/>.</summary>
    private static EnqueuedTask Stub(Assembly assembly, string type, string method, params object?[] args)
    {
        var spool = assembly.GetType($"Demo.{type}+Spool", throwOnError: true)!;
        bool withOptions = args.Length > 0 && args[^1] is SpoolOptions;
        var candidates = spool.GetMethods(BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Static)
            .Where(m => m.Name == method && m.GetParameters().Length == args.Length
                && (m.GetParameters()[^1].ParameterType == typeof(SpoolOptions)) == withOptions)
            .ToList();
        var stub = Assert.Single(candidates);
        try
        {
            return Assert.IsType<EnqueuedTask>(stub.Invoke(null, args));
        }
        catch (TargetInvocationException ex) when (ex.InnerException is not null)
        {
            throw new InvalidOperationException($"{type}.Spool.{method} threw: {ex.InnerException.Message}", ex.InnerException);
        }
    }

    private async Task<SpoolRunSummary> RunWorkerAsync(IServiceProvider services, CancellationToken cancellationToken)
    {
        await using var worker = new SpoolWorker(
            new SpoolWorkerOptions { Directory = _directory, WatchForChanges = false, Ordered = true },
            new SpoolDispatcher(services));
        return await worker.RunOnceAsync(cancellationToken);
    }

    private static IServiceProvider EmptyServices() => new NoServices();

    private sealed class NoServices : IServiceProvider
    {
        public object? GetService(Type serviceType) => null;
    }

    private static List<(string Task, object?[] Args)> Calls(Assembly assembly)
        => [.. (ConcurrentQueue<(string, object?[])>)assembly.GetType("Demo.Received")!.GetField("Calls")!.GetValue(null)!];

    private static void AssertCall(List<(string Task, object?[] Args)> calls, string task, params object?[] expected)
    {
        var matching = calls.Where(c => c.Task == task).ToList();
        Assert.True(matching.Count == 1, $"{task}: expected one call, got {matching.Count}");
        AssertArgs(task, matching[0].Args, expected);
    }

    private static void AssertArgs(string task, object?[] actual, params object?[] expected)
    {
        Assert.Equal(expected.Length, actual.Length);
        for (int i = 0; i < expected.Length; i++)
        {
            object? e = expected[i], a = actual[i];
            bool same = e is byte[] eb && a is byte[] ab ? eb.AsSpan().SequenceEqual(ab) : Equals(e, a);
            // Exact equality: for doubles this is bit-for-bit except NaN/±0 (none here); for DateTime it ignores Kind, checked separately.
            Assert.True(same, $"{task}, argument {i}: sent {Show(e)}, received {Show(a)}");
        }
    }

    private static string Show(object? value) => value switch
    {
        null => "null",
        byte[] bytes => "bytes " + Convert.ToHexString(bytes),
        double d => d.ToString("R", System.Globalization.CultureInfo.InvariantCulture),
        DateTime dt => dt.ToString("O", System.Globalization.CultureInfo.InvariantCulture) + " " + dt.Kind,
        _ => $"{value} ({value.GetType().Name})",
    };
}
