using System.Diagnostics;
using System.Globalization;
using TypedSpool.FaultTests.Infrastructure;
using TypedSpool.Storage;
using TypedSpool.Testing;

namespace TypedSpool.FaultTests.Scenarios;

/// <summary>
/// A deep queue: 100,000 files drained exactly once by a worker whose peak memory stays bounded, then tasks that no
/// notification announces (inotify off) found by the periodic full scan alone.
/// </summary>
public sealed class LargeSpoolTests
{
    private const int Total = 100_000;
    private const long PeakResidentLimit = 256L << 20;

    [Fact]
    public async Task One_hundred_thousand_files_drain_exactly_once_in_bounded_memory_and_a_rescan_finds_late_ones()
    {
        using var spool = new TempSpool("fault-100k");
        using var ledgerDir = new TempSpool("fault-100k-ledger");
        string log = ledgerDir.Combine("events.jsonl");
        var ledger = new Ledger();
        var random = new Random(9);
        // Filling is not under test: skip the fsyncs so the budget goes to the drain.
        var spooler = new Spooler(spool.Path, new SpoolerSettings { Durability = SpoolDurability.None });
        var clock = Stopwatch.StartNew();
        for (int i = 0; i < Total; i++)
        {
            string id = "big-" + i.ToString(CultureInfo.InvariantCulture);
            ledger.Attempt(id);
            spooler.Enqueue(FaultTask.Create(id, 16, random));
            ledger.Acknowledge(id);
        }
        var filled = clock.Elapsed;

        using var worker = await WorkerProcess.StartAsync(spool.Path, log, "--no-watch", "--frequency-ms", "1000", "--concurrency", "2");
        long peak = 0;
        clock.Restart();
        await Wait.UntilAsync(() =>
        {
            peak = Math.Max(peak, worker.PeakResidentBytes());
            return new TempSpoolView(spool.Path).TaskFileCount == 0;
        }, TimeSpan.FromSeconds(150), () => $"{new TempSpoolView(spool.Path).TaskFileCount} left" + worker.Describe(), pollMs: 1000);
        var drained = clock.Elapsed;

        // No notification can wake the worker now (inotify off, another process): only the full scan can find these.
        clock.Restart();
        for (int i = 0; i < 20; i++)
        {
            string id = "late-" + i.ToString(CultureInfo.InvariantCulture);
            ledger.Attempt(id);
            spooler.Enqueue(FaultTask.Create(id, 16, random));
            ledger.Acknowledge(id);
        }
        await Wait.UntilAsync(() => new TempSpoolView(spool.Path).TaskFileCount == 0, TimeSpan.FromSeconds(10),
            () => "the periodic scan did not find tasks enqueued without a notification" + worker.Describe(), pollMs: 100);
        var rescan = clock.Elapsed;
        peak = Math.Max(peak, worker.PeakResidentBytes());

        var verdict = ledger.Reconcile(WorkerLog.Read(log), SpoolContents.Read(spool.Path));
        verdict.AssertHolds("100,000 files");
        Assert.Equal(0, verdict.Duplicated);
        Assert.Equal(Total + 20, verdict.Executed);
        Assert.True(peak < PeakResidentLimit, $"worker peak RSS {peak >> 20} MiB, limit {PeakResidentLimit >> 20} MiB");
        string figures = $"filled in {filled.TotalSeconds:0.0} s, drained in {drained.TotalSeconds:0.0} s ({Total / drained.TotalSeconds:0}/s), "
            + $"peak RSS {peak >> 20} MiB, late tasks found by the rescan in {rescan.TotalSeconds:0.0} s";
        TestContext.Current.TestOutputHelper?.WriteLine(figures);
        FaultSummary.Add(verdict.Row("9 100,000 queued files + rescan", 1, figures));
    }
}
