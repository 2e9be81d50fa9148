using System.Text.Json;
using TypedSpool.Format;
using TypedSpool.Testing;
using TypedSpool.Tests.Execution;
using static TypedSpool.Tests.Execution.WorkerTestKit;

namespace TypedSpool.Tests.Tasks;

/// <summary>The runtime half of typed tasks: registry, dispatcher, payload reader errors, RunAgain.</summary>
public class DispatchTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Dispatcher_runs_the_registered_task_and_ignores_unknown_names()
    {
        var seen = new List<string>();
        SpoolTaskRegistry.Register(new SpoolTaskDescriptor("dispatch-test.known", "Tests.Known", (task, _, _) =>
        {
            seen.Add(SpoolPayloadReader.Text(task, "who"));
            return ValueTask.FromResult(SpoolResult.Ok);
        }));
        using var spool = new TempSpool();
        var spooler = new Spooler(spool.Path);
        spooler.Enqueue(Packet(("ud_spool_func", "dispatch-test.known"), ("who", "ada")));
        string unknown = spooler.Enqueue(Packet(("ud_spool_func", "python_only_task"))).Path;
        string unnamed = spooler.Enqueue(Packet(("task", "raw uwsgi"))).Path;
        await using var worker = new SpoolWorker(new SpoolWorkerOptions { Directory = spool.Path }, new SpoolDispatcher());

        var summary = await worker.RunOnceAsync(Ct);

        Assert.Equal(["ada"], seen);
        Assert.Equal(1, summary.Succeeded);
        Assert.Equal(2, summary.Ignored);
        Assert.True(File.Exists(unknown));
        Assert.True(File.Exists(unnamed));
    }

    [Fact]
    public void Registering_one_name_for_two_methods_fails_naming_both()
    {
        SpoolTaskRegistry.Register(new SpoolTaskDescriptor("dispatch-test.dup", "A.First", (_, _, _) => ValueTask.FromResult(SpoolResult.Ok)));
        var ex = Assert.Throws<InvalidOperationException>(() =>
            SpoolTaskRegistry.Register(new SpoolTaskDescriptor("dispatch-test.dup", "B.Second", (_, _, _) => ValueTask.FromResult(SpoolResult.Ok))));
        Assert.Contains("A.First", ex.Message, StringComparison.Ordinal);
        Assert.Contains("B.Second", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_payload_that_cannot_decode_is_dead_lettered_at_once()
    {
        SpoolTaskRegistry.Register(new SpoolTaskDescriptor("dispatch-test.typed", "Tests.Typed", (task, _, _) =>
        {
            _ = SpoolPayloadReader.Parsable<int>(task, "count");
            return ValueTask.FromResult(SpoolResult.Ok);
        }));
        using var spool = new TempSpool();
        new Spooler(spool.Path).Enqueue(Packet(("ud_spool_func", "dispatch-test.typed"), ("count", "many")));
        await using var worker = new SpoolWorker(new SpoolWorkerOptions { Directory = spool.Path, RetryPolicy = NoJitter(10) }, new SpoolDispatcher());

        var summary = await worker.RunOnceAsync(Ct);

        Assert.Equal(1, summary.DeadLettered);
        string dead = Assert.Single(spool.TaskFiles("dead"));
        using var note = JsonDocument.Parse(File.ReadAllBytes(dead + ".reason.json"));
        Assert.Contains("'count' is 'many', not a valid Int32", note.RootElement.GetProperty("reason").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task RunAgain_keeps_the_file_for_the_next_full_scan_and_resets_the_attempt()
    {
        using var spool = new TempSpool();
        var clock = Clock();
        string path = new Spooler(spool.Path).Enqueue(Packet(("ud_spool_func", "forever"), ("typedspool_attempt", "3"))).Path;
        int runs = 0;
        var handler = new RecordingHandler((_, _) => { runs++; return ValueTask.FromResult(SpoolResult.RunAgain); });
        await using var worker = new SpoolWorker(new SpoolWorkerOptions { Directory = spool.Path, TimeProvider = clock }, handler);

        var first = await worker.RunOnceAsync(Ct);
        clock.Advance(TimeSpan.FromSeconds(1));
        await worker.RunOnceAsync(Ct);

        Assert.Equal(1, first.Succeeded);
        Assert.Equal(2, runs);
        Assert.True(File.Exists(path));
        Assert.Null(SpoolPacketCodec.Decode(File.ReadAllBytes(path)).GetText(SpoolKeys.Attempt));
        Assert.Equal([3, 1], handler.Runs.Select(r => r.Attempt));
    }

    [Fact]
    public void Payload_writer_and_reader_round_trip_every_text_form()
    {
        var writer = new SpoolPayloadWriter("rt", "-2");
        var when = new DateTime(2030, 1, 2, 3, 4, 5, 678, DateTimeKind.Utc).AddTicks(9);
        writer.Text("s", "héllo");
        writer.Text("absent", null);
        writer.Boolean("b", true);
        writer.Formattable<double>("d", 0.1 + 0.2, "R");
        writer.Formattable<DateTime>("dt", when, "O");
        writer.Formattable<DateTimeOffset>("dto", new DateTimeOffset(when.Ticks, TimeSpan.FromHours(5.5)), "O");
        writer.Formattable<TimeSpan>("ts", TimeSpan.FromMilliseconds(-1234.5), "c");
        writer.Formattable<Guid>("g", Guid.Parse("6f9619ff-8b86-d011-b42d-00c04fc964ff"), "D");
        writer.Enum<DayOfWeek>("e", DayOfWeek.Friday);
        writer.Bytes("raw", [0, 255, 10]);
        var packet = writer.ToPacket();
        var task = new SpoolTask(SpoolPacketCodec.Decode(SpoolPacketCodec.EncodeFile(packet)), "/x/uwsgi_spoolfile_on_h_1_1_1_1_1", 1, null, DateTimeOffset.UtcNow);

        Assert.Equal("rt", task.Name);
        Assert.Equal("-2", packet.GetText("ud_spool_ret"));
        Assert.Equal("héllo", SpoolPayloadReader.Text(task, "s"));
        Assert.Null(SpoolPayloadReader.TextOrNull(task, "absent"));
        Assert.True(SpoolPayloadReader.Boolean(task, "b"));
        Assert.Equal(0.1 + 0.2, SpoolPayloadReader.Parsable<double>(task, "d"));
        Assert.Equal(when, SpoolPayloadReader.DateTime(task, "dt"));
        Assert.Equal(DateTimeKind.Utc, SpoolPayloadReader.DateTime(task, "dt").Kind);
        Assert.Equal(new DateTimeOffset(when.Ticks, TimeSpan.FromHours(5.5)), SpoolPayloadReader.DateTimeOffset(task, "dto"));
        Assert.Equal(TimeSpan.FromHours(5.5), SpoolPayloadReader.DateTimeOffset(task, "dto").Offset);
        Assert.Equal(TimeSpan.FromMilliseconds(-1234.5), SpoolPayloadReader.TimeSpan(task, "ts"));
        Assert.Equal(Guid.Parse("6f9619ff-8b86-d011-b42d-00c04fc964ff"), SpoolPayloadReader.Parsable<Guid>(task, "g"));
        Assert.Equal(DayOfWeek.Friday, SpoolPayloadReader.Enum<DayOfWeek>(task, "e"));
        Assert.Equal("Friday", packet.GetText("e"));
        Assert.Equal([0, 255, 10], SpoolPayloadReader.Bytes(task, "raw"));
        Assert.Null(SpoolPayloadReader.ParsableOrNull<int>(task, "absent"));
    }

    [Theory]
    [InlineData("missing", "is missing")]
    [InlineData("b", "is 'maybe', not true or false")]
    [InlineData("bad_utf8", "is not valid UTF-8")]
    public void Reader_errors_name_the_task_and_key(string key, string problem)
    {
        var packet = new SpoolPacket([SpoolPair.FromText("ud_spool_func", "t"), SpoolPair.FromText("b", "maybe"), new SpoolPair("bad_utf8"u8.ToArray(), new byte[] { 0xff, 0xfe })]);
        var task = new SpoolTask(packet, "/x/f", 1, null, DateTimeOffset.UtcNow);
        var ex = Assert.Throws<SpoolPayloadException>(() => key == "b" ? SpoolPayloadReader.Boolean(task, key).ToString() : SpoolPayloadReader.Text(task, key));
        Assert.Equal($"Task 't': payload key '{key}' {problem}", ex.Message);
    }

    [Fact]
    public void Stubs_without_a_default_spooler_say_how_to_set_one()
    {
        var previous = Spooler.Default;
        Spooler.Default = null;
        try
        {
            var ex = Assert.Throws<InvalidOperationException>(() => new SpoolPayloadWriter("t").Enqueue(null));
            Assert.Contains("Spooler.Default = new", ex.Message, StringComparison.Ordinal);
        }
        finally
        {
            Spooler.Default = previous;
        }
    }
}
