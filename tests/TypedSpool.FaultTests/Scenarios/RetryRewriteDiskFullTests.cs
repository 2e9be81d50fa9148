using System.Globalization;
using TypedSpool.FaultTests.Infrastructure;
using TypedSpool.Testing;

namespace TypedSpool.FaultTests.Scenarios;

/// <summary>
/// ENOSPC while the worker rewrites a failed task for its retry (new attempt count, later mtime): the rewrite goes
/// through a temporary file, so a full disk must leave the original file as it was, and the retry must happen once
/// space returns.
/// </summary>
public sealed class RetryRewriteDiskFullTests
{
    [Fact]
    public async Task A_retry_rewrite_on_a_full_disk_keeps_the_task_and_retries_when_space_returns()
    {
        await using var disk = await Tmpfs.MountAsync("size=16m,nr_inodes=64");
        using var ledgerDir = new TempSpool("fault-enospc-retry-ledger");
        string spoolPath = disk.Combine("spool");
        string log = ledgerDir.Combine("events.jsonl");
        var ledger = new Ledger();
        var random = new Random(11);
        var spooler = new Spooler(spoolPath);
        const int Tasks = 10;
        for (int i = 0; i < Tasks; i++)
        {
            string id = "r-" + i.ToString(CultureInfo.InvariantCulture);
            ledger.Attempt(id);
            spooler.Enqueue(FaultTask.Create(id, 2000, random, ("fail_until_attempt", "2")));
            ledger.Acknowledge(id);
        }
        var before = Directory.GetFiles(spoolPath).ToDictionary(f => f, File.ReadAllBytes, StringComparer.Ordinal);

        // Every inode taken: the rewrite's temporary file cannot be created.
        var fillers = new List<string>();
        try
        {
            for (int i = 0; ; i++)
            {
                string filler = disk.Combine("filler-" + i.ToString(CultureInfo.InvariantCulture));
                File.WriteAllBytes(filler, []);
                fillers.Add(filler);
            }
        }
        catch (IOException)
        {
        }

        using var worker = await WorkerProcess.StartAsync(spoolPath, log, "--frequency-ms", "300", "--initial-delay-ms", "200");
        await Wait.UntilAsync(() => WorkerLog.Read(log).Where(e => e.Event == "end").Select(e => e.Id).Distinct().Count() == Tasks,
            TimeSpan.FromSeconds(20), () => "not every task ran its first attempt" + worker.Describe());
        await Task.Delay(1000, TestContext.Current.CancellationToken); // a few more scans on the full disk

        var whileFull = WorkerLog.Read(log);
        Assert.All(whileFull, e => Assert.Equal(1, e.Attempt));
        Assert.All(whileFull.Where(e => e.Event == "end"), e => Assert.Equal("throw", e.Result));
        foreach (var (path, bytes) in before)
        {
            Assert.True(File.Exists(path) && File.ReadAllBytes(path).AsSpan().SequenceEqual(bytes), $"{path} changed or vanished while the disk was full");
        }
        Assert.Empty(SpoolContents.Read(spoolPath).TemporaryFiles);

        fillers.ForEach(File.Delete);
        await Wait.UntilAsync(() => new TempSpoolView(spoolPath).TaskFileCount == 0, TimeSpan.FromSeconds(20),
            () => "the retries did not complete after space returned" + worker.Describe());

        var events = WorkerLog.Read(log);
        var verdict = ledger.Reconcile(events, SpoolContents.Read(spoolPath));
        verdict.AssertHolds("ENOSPC during retry rewrites");
        Assert.All(events.Where(e => e.Event == "end" && e.Result == "ok"), e => Assert.Equal(2, e.Attempt));
        Assert.Equal(Tasks, verdict.Executed);
        int failedRuns = whileFull.Count(e => e.Event == "end");
        FaultSummary.Add(verdict.Row("2b ENOSPC during retry rewrite", 1, $"{failedRuns} failed first attempts re-run while full; file unchanged"));
    }
}
