using System.Globalization;
using TypedSpool.FaultTests.Infrastructure;
using TypedSpool.Testing;

namespace TypedSpool.FaultTests.Scenarios;

/// <summary>
/// The spool's file system remounted read-only under a running worker (what the kernel does after an I/O error on
/// many file systems): no task file may disappear, and the worker must carry on once it is writable again.
/// </summary>
public sealed class ReadOnlyRemountTests
{
    [Fact]
    public async Task A_read_only_remount_mid_run_deletes_nothing_and_work_resumes_after()
    {
        await using var disk = await Tmpfs.MountAsync("size=64m,nr_inodes=4096");
        using var ledgerDir = new TempSpool("fault-ro-ledger");
        string spoolPath = disk.Combine("spool");
        string log = ledgerDir.Combine("events.jsonl");
        var ledger = new Ledger();
        var random = new Random(5);
        var spooler = new Spooler(spoolPath);
        void Enqueue(string id, SpoolOptions? options = null)
        {
            ledger.Attempt(id);
            spooler.Enqueue(FaultTask.Create(id, 256, random), options);
            ledger.Acknowledge(id);
        }
        for (int i = 0; i < 100; i++) Enqueue("now-" + i.ToString(CultureInfo.InvariantCulture));
        // Due while the file system is read-only: the worker will try them then.
        var dueWhileReadOnly = new SpoolOptions { Delay = TimeSpan.FromSeconds(2) };
        for (int i = 0; i < 200; i++) Enqueue("later-" + i.ToString(CultureInfo.InvariantCulture), dueWhileReadOnly);
        var due = DateTime.UtcNow + dueWhileReadOnly.Delay!.Value;

        using var worker = await WorkerProcess.StartAsync(spoolPath, log, "--frequency-ms", "300");
        await Wait.UntilAsync(() => WorkerLog.Ends(log).Count >= 100, TimeSpan.FromSeconds(20), () => "the worker did not get going" + worker.Describe());
        // The kernel refuses a read-only remount while a file is open for writing (a claim holds its task open
        // read-write), so this lands between claims; on ext4 errors=remount-ro it would be forced at any moment.
        int tries = disk.RemountReadOnlyBetweenClaims(TimeSpan.FromSeconds(10));
        int endsAtRemount = WorkerLog.Ends(log).Count;
        int filesAtRemount = new TempSpoolView(spoolPath).TaskFileCount;
        await Task.Delay(due - DateTime.UtcNow + TimeSpan.FromSeconds(1), TestContext.Current.CancellationToken); // due, and several scans
        int filesWhileReadOnly = new TempSpoolView(spoolPath).TaskFileCount;
        int endsWhileReadOnly = WorkerLog.Ends(log).Count - endsAtRemount;
        await disk.RemountAsync("rw");

        Assert.Equal(filesAtRemount, filesWhileReadOnly);
        Assert.True(filesWhileReadOnly > 0, "the worker drained everything before the remount; the scenario proved nothing");
        Assert.Equal(0, endsWhileReadOnly); // a claim opens read-write, so nothing starts that could not be deleted
        Assert.False(worker.HasExited, "the worker died on the read-only file system" + worker.Describe());
        TestContext.Current.TestOutputHelper?.WriteLine($"read-only after {tries} tries, with {filesAtRemount} tasks queued");
        await Wait.UntilAsync(() => new TempSpoolView(spoolPath).TaskFileCount == 0, TimeSpan.FromSeconds(30),
            () => $"{new TempSpoolView(spoolPath).TaskFileCount} task(s) left after the file system became writable again" + worker.Describe());

        var events = WorkerLog.Read(log);
        var verdict = ledger.Reconcile(events, SpoolContents.Read(spoolPath));
        verdict.AssertHolds("read-only remount");
        Assert.Equal(300, verdict.Executed);
        FaultSummary.Add(verdict.Row("6 read-only remount mid-run", 1, $"{filesWhileReadOnly} due files kept, none run while ro; resumed after rw"));
    }
}
