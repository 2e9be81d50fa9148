using System.Globalization;
using TypedSpool.FaultTests.Infrastructure;
using TypedSpool.Testing;

namespace TypedSpool.FaultTests.Scenarios;

/// <summary>
/// ENOSPC from a small tmpfs, by bytes and by inodes, during enqueue: the caller gets an IOException whose HResult is
/// the errno (28), nothing partial is visible, earlier tasks are intact, and once a worker frees space all runs.
/// </summary>
public sealed class DiskFullTests
{
    private const int Enospc = 28;

    [Theory]
    [InlineData("bytes", "size=1m,nr_inodes=4096", 64 * 1024)]
    [InlineData("inodes", "size=64m,nr_inodes=48", 100)]
    public async Task Enqueue_on_a_full_disk_fails_with_ENOSPC_and_leaves_nothing_partial(string limit, string mountOptions, int bodyBytes)
    {
        await using var disk = await Tmpfs.MountAsync(mountOptions);
        using var ledgerDir = new TempSpool("fault-enospc-ledger");
        string spoolPath = disk.Combine("spool");
        var spooler = new Spooler(spoolPath);
        var ledger = new Ledger();
        var random = new Random(7);

        IOException? failure = null;
        string? failedId = null;
        for (int i = 0; i < 1000 && failure is null; i++)
        {
            string id = "f-" + i.ToString(CultureInfo.InvariantCulture);
            ledger.Attempt(id);
            try
            {
                spooler.Enqueue(FaultTask.Create(id, bodyBytes, random));
                ledger.Acknowledge(id);
            }
            catch (IOException ex)
            {
                failure = ex;
                failedId = id;
            }
        }
        Assert.True(failure is not null, $"the {limit} limit was never reached");
        Assert.True(failure.HResult == Enospc, $"expected HResult {Enospc} (ENOSPC), got {failure.HResult}: {failure}");
        TestContext.Current.TestOutputHelper?.WriteLine($"{limit}: {ledger.AcknowledgedCount} enqueued, then {failure.GetType().Name}: {failure.Message}");

        var full = SpoolContents.Read(spoolPath);
        Assert.Empty(full.InvalidQueued);
        Assert.Empty(full.TemporaryFiles);
        Assert.DoesNotContain(failedId, full.QueuedIds);
        Assert.Equal(ledger.AcknowledgedCount, full.QueuedIds.Count);

        // A worker frees space as it runs; the producer keeps going once there is room again.
        string log = ledgerDir.Combine("events.jsonl");
        using (var worker = await WorkerProcess.StartAsync(spoolPath, log, "--frequency-ms", "300"))
        {
            for (int i = 0; i < 20; i++)
            {
                string id = "after-" + i.ToString(CultureInfo.InvariantCulture);
                ledger.Attempt(id);
                await Wait.UntilAsync(() => TryEnqueue(spooler, FaultTask.Create(id, bodyBytes, random)), TimeSpan.FromSeconds(20),
                    () => "no space came back while the worker ran" + worker.Describe());
                ledger.Acknowledge(id);
            }
            await Wait.UntilAsync(() => new TempSpoolView(spoolPath).TaskFileCount == 0, TimeSpan.FromSeconds(30),
                () => "the worker did not drain the spool" + worker.Describe());
        }

        var verdict = ledger.Reconcile(WorkerLog.Read(log), SpoolContents.Read(spoolPath));
        verdict.AssertHolds($"ENOSPC by {limit}");
        Assert.Equal(ledger.AcknowledgedCount, verdict.Executed);
        FaultSummary.Add(verdict.Row($"2a ENOSPC by {limit} during enqueue", 1, $"1 refused with HResult {failure.HResult}, not visible"));
    }

    private static bool TryEnqueue(Spooler spooler, TypedSpool.Format.SpoolPacket packet)
    {
        try
        {
            spooler.Enqueue(packet);
            return true;
        }
        catch (IOException ex) when (ex.HResult == Enospc)
        {
            return false;
        }
    }
}
