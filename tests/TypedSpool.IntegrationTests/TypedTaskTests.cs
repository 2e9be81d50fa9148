using System.Diagnostics;
using System.Text.Json;
using TypedSpool.Format;
using TypedSpool.Testing;

namespace TypedSpool.IntegrationTests;

/// <summary>
/// Typed tasks end to end on real directories: enqueue through the generated stubs, run through the generated
/// dispatch table, and run files that a real uWSGI Python producer wrote.
/// </summary>
[Collection(nameof(TypedTaskTests))] // GreetingTasks.Calls and Spooler.Default are process-wide
public class TypedTaskTests
{
    private static CancellationToken Token => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Generated_stubs_write_files_that_the_generated_dispatch_table_runs()
    {
        using var spool = new TempSpool("typed");
        GreetingTasks.Calls.Clear();
        var previous = Spooler.Default;
        Spooler.Default = new Spooler(spool.Path);
        try
        {
            var since = new DateTime(2020, 2, 29, 12, 0, 0, DateTimeKind.Utc);
            var greet = GreetingTasks.Spool.Greet("Ada", 2, null, since);
            GreetingTasks.Spool.Bill(new Invoice("INV-7", 12.50m, ["tea", "cake"]), new byte[200_000], new SpoolOptions { Priority = 1 });
            GreetingTasks.Spool.Decide("ignore");

            // What went to disk is readable by any uWSGI tool: plain pairs, uwsgidecorators' keys.
            var packet = SpoolPacketCodec.Decode(await File.ReadAllBytesAsync(greet.Path, Token));
            Assert.Equal(["ud_spool_func=greet_user", "ud_spool_ret=-2", "name=Ada", "times=2", "since=2020-02-29T12:00:00.0000000Z"],
                packet.Pairs.Select(p => $"{p.KeyText}={p.ValueText}"));

            await using var worker = new SpoolWorker(new SpoolWorkerOptions { Directory = spool.Path, Ordered = true }, new SpoolDispatcher());
            var summary = await worker.RunOnceAsync(Token);

            Assert.Equal(2, summary.Succeeded);
            Assert.Equal(1, summary.Ignored);
            Assert.Equal(["INV-7|12.50|tea,cake|200000", "Ada|2|null|2020-02-29T12:00:00.0000000Z|Utc|attempt 1"], GreetingTasks.Calls);
            string left = Assert.Single(spool.TaskFiles());
            Assert.Equal("Decide", SpoolPacketCodec.Decode(await File.ReadAllBytesAsync(left, Token)).GetText("ud_spool_func"));
        }
        finally
        {
            Spooler.Default = previous;
        }
    }

    [Fact]
    public async Task Files_from_a_real_uwsgi_python_producer_run_the_typed_csharp_method()
    {
        if (UwsgiInstance.UnavailableReason is { } reason)
        {
            Assert.Skip(reason);
        }
        using var spool = new TempSpool("typed-uwsgi");
        using var work = new TempSpool("typed-uwsgi-work");
        string done = work.Combine("done.json");
        using (var uwsgi = UwsgiInstance.Start(["--master", "--spooler-external", spool.Path, "--import", "typed_producer"],
            work.Combine("uwsgi.log"), new Dictionary<string, string> { ["TYPEDSPOOL_DONE"] = done }))
        {
            var watch = Stopwatch.StartNew();
            while (!File.Exists(done))
            {
                Assert.False(uwsgi.HasExited, "uwsgi exited early:\n" + uwsgi.ReadLog());
                Assert.True(watch.Elapsed < TimeSpan.FromSeconds(30), "the uWSGI producer did not finish:\n" + uwsgi.ReadLog());
                await Task.Delay(100, Token);
            }
            string manifest = await File.ReadAllTextAsync(done, Token);
            Assert.False(manifest.Contains("\"error\"", StringComparison.Ordinal), manifest + "\n" + uwsgi.ReadLog());
        }
        Assert.Equal(2, spool.TaskFiles().Length);

        GreetingTasks.Calls.Clear();
        await using var worker = new SpoolWorker(new SpoolWorkerOptions { Directory = spool.Path }, new SpoolDispatcher());
        var summary = await worker.RunOnceAsync(Token);

        Assert.Equal(2, summary.Succeeded);
        Assert.Equal(
            ["Ada Lovelace|3|True|1843-07-01T00:00:00.0000000Z|Utc|attempt 1", "Grace Höpper|1|False|null|-|attempt 1"],
            GreetingTasks.Calls.Order(StringComparer.Ordinal));
        Assert.Empty(spool.TaskFiles());
    }
}
