using TypedSpool.FaultTests.Infrastructure;
using TypedSpool.Testing;

namespace TypedSpool.FaultTests.Scenarios;

/// <summary>
/// EIO injected by strace into a producer process, on the n-th fsync or rename: the enqueue must throw, so the task is
/// never acknowledged. (.NET's Flush(true) and File.Move could have hidden these errors; the spool calls libc itself.)
/// Each enqueue makes two fsyncs (file, directory) and one rename, so call 3 is task 1's file fsync, call 4 its
/// directory fsync, and rename 2 its rename.
/// </summary>
public sealed class IoErrorTests
{
    [Theory]
    [InlineData("fsync", 3)]     // the file's fsync: before the rename, so nothing may be visible
    [InlineData("renameat2", 2)] // the rename itself
    [InlineData("fsync", 4)]     // the directory's fsync: after the rename, so the new name is withdrawn again
    public async Task EIO_on_fsync_or_rename_fails_the_enqueue_and_is_not_acknowledged(string syscall, int when)
    {
        using var spool = new TempSpool("fault-eio");
        using var ledgerDir = new TempSpool("fault-eio-ledger");
        string trace = ledgerDir.Combine("strace.txt");
        var ledger = new Ledger();
        using (var producer = Strace.StartTestWorker(
            ["-o", trace, "-e", $"trace={syscall}", "-e", $"inject={syscall}:error=EIO:when={when}"],
            ["--produce", "--spool", spool.Path, "--count", "4", "--body-bytes", "5000", "--prefix", "e"]))
        {
            int code = await producer.WaitForExitAsync(TimeSpan.FromSeconds(60));
            Strace.SkipIfPtraceDenied(producer);
            Assert.True(code == 0, $"producer exit code {code}\n{producer.StandardError}");
            var failures = ledger.RecordProducerOutput(producer.StandardOutput);
            string failure = Assert.Single(failures);
            Assert.StartsWith("fail e-1 5 IOException", failure, StringComparison.Ordinal); // HResult 5 = EIO
            Assert.Contains(syscall == "fsync" ? "fsync" : "rename", failure, StringComparison.Ordinal);
            Assert.Contains("(errno 5)", failure, StringComparison.Ordinal);
            TestContext.Current.TestOutputHelper?.WriteLine(failure);
        }
        Assert.False(ledger.IsAcknowledged("e-1"));
        Assert.Equal(3, ledger.AcknowledgedCount);
        Assert.Contains("EIO (Input/output error) (INJECTED)", File.ReadAllText(trace), StringComparison.Ordinal);

        var contents = SpoolContents.Read(spool.Path);
        Assert.Empty(contents.TemporaryFiles);
        Assert.Empty(contents.InvalidQueued);
        Assert.DoesNotContain("e-1", contents.QueuedIds); // a refused enqueue leaves nothing to run

        string log = ledgerDir.Combine("events.jsonl");
        using (var worker = await WorkerProcess.StartAsync(spool.Path, log, "--frequency-ms", "300"))
        {
            await Wait.UntilAsync(() => new TempSpoolView(spool.Path).TaskFileCount == 0, TimeSpan.FromSeconds(20), () => "not drained" + worker.Describe());
        }
        var verdict = ledger.Reconcile(WorkerLog.Read(log), SpoolContents.Read(spool.Path));
        verdict.AssertHolds($"EIO on {syscall} #{when}");
        FaultSummary.Add(verdict.Row($"3 EIO on {syscall} #{when}", 1, syscall == "fsync" && when == 4
            ? "refused; the renamed file was withdrawn again"
            : "refused, nothing written"));
    }
}
