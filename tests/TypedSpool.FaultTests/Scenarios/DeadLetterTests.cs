using System.Globalization;
using System.Text.Json;
using Microsoft.Extensions.Time.Testing;
using TypedSpool.FaultTests.Infrastructure;
using TypedSpool.Format;
using TypedSpool.Storage;
using TypedSpool.Testing;

namespace TypedSpool.FaultTests.Scenarios;

/// <summary>
/// Tasks that can never succeed, mixed into a normal queue behind the generated dispatcher: unknown names stay for
/// another consumer (uWSGI's rule), undecodable arguments go to dead/ at once, poison tasks back off within the
/// policy's bounds and then go to dead/ — each with its reason — and none of them holds up the others.
/// </summary>
public sealed class DeadLetterTests
{
    [Fact]
    public async Task Unknown_undecodable_and_poison_tasks_end_where_documented_without_blocking_the_rest()
    {
        using var spool = new TempSpool("fault-dead");
        var clock = new FakeTimeProvider(DateTimeOffset.UtcNow);
        var spooler = new Spooler(spool.Path, new SpoolerSettings { TimeProvider = clock, Durability = SpoolDurability.None });
        var policy = new RetryPolicy { MaxAttempts = 5, InitialDelay = TimeSpan.FromSeconds(1), Multiplier = 2, MaxDelay = TimeSpan.FromSeconds(3), Jitter = 0 };
        FaultTasks.Counted.Clear();

        SpoolPacket Packet(params (string Key, string Value)[] pairs) => SpoolPacket.FromText(pairs.Select(p => KeyValuePair.Create(p.Key, p.Value)));
        for (int i = 0; i < 50; i++) spooler.Enqueue(Packet(("ud_spool_func", "fault.count"), ("n", i.ToString(CultureInfo.InvariantCulture))));
        var unknown = Enumerable.Range(0, 10).Select(i => spooler.Enqueue(Packet(("ud_spool_func", "python.only"), ("i", i.ToString(CultureInfo.InvariantCulture)))).Path).ToList();
        var undecodable = Enumerable.Range(0, 10).Select(i => spooler.Enqueue(Packet(("ud_spool_func", "fault.count"), ("n", "many-" + i))).Path).ToList();
        var poison = Enumerable.Range(0, 5).Select(i => spooler.Enqueue(Packet(("ud_spool_func", "fault.poison"), ("why", "p" + i))).Path).ToList();

        await using var worker = new SpoolWorker(new SpoolWorkerOptions
        {
            Directory = spool.Path, TimeProvider = clock, RetryPolicy = policy, Durability = SpoolDurability.None, WatchForChanges = false,
        }, new SpoolDispatcher());

        var first = await worker.RunOnceAsync(TestContext.Current.CancellationToken);
        Assert.Equal(50, FaultTasks.Counted.Count); // the bad ones did not hold the good ones up
        Assert.Equal(10, first.Ignored);
        Assert.Equal(10, first.DeadLettered);
        Assert.Equal(5, first.Retried);

        // Each retry is scheduled by the file's mtime: 1 s, 2 s, then capped at 3 s.
        var delays = new List<double>();
        for (int attempt = 2; attempt <= policy.MaxAttempts; attempt++)
        {
            var due = File.GetLastWriteTimeUtc(poison[0]);
            delays.Add(Math.Round((new DateTimeOffset(due) - clock.GetUtcNow()).TotalSeconds, 3));
            clock.Advance(TimeSpan.FromMilliseconds(500));
            var early = await worker.RunOnceAsync(TestContext.Current.CancellationToken);
            Assert.Equal(0, early.Retried + early.DeadLettered); // not due yet
            clock.SetUtcNow(new DateTimeOffset(due));
            await worker.RunOnceAsync(TestContext.Current.CancellationToken);
        }
        Assert.Equal([1, 2, 3, 3], delays);

        Assert.All(unknown, path => Assert.True(File.Exists(path), "an unknown task name must stay for the consumer that knows it"));
        Assert.Equal(50, FaultTasks.Counted.Count);
        var dead = spool.TaskFiles("dead");
        Assert.Equal(15, dead.Length);
        foreach (var path in undecodable)
        {
            Assert.Contains("cannot be decoded", Reason(spool, path), StringComparison.Ordinal);
        }
        foreach (var path in poison)
        {
            string reason = Reason(spool, path);
            Assert.Contains("attempt 5 of 5", reason, StringComparison.Ordinal);
            Assert.Contains("poisoned", reason, StringComparison.Ordinal);
        }
        Assert.Equal(10, spool.TaskFiles().Length);
        FaultSummary.Add(new FaultRow("5 unknown / undecodable / poison tasks", 75, 75, 50, 0, 0, 0,
            "10 unknown left for another consumer; 10 undecodable dead at once; 5 poison dead after 5 attempts (1,2,3,3 s)"));
    }

    private static string Reason(TempSpool spool, string originalPath)
    {
        using var note = JsonDocument.Parse(File.ReadAllBytes(spool.Combine("dead", Path.GetFileName(originalPath) + ".reason.json")));
        return note.RootElement.GetProperty("reason").GetString()!;
    }
}
