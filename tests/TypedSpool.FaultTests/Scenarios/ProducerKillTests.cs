using TypedSpool.FaultTests.Infrastructure;
using TypedSpool.Testing;

namespace TypedSpool.FaultTests.Scenarios;

/// <summary>SIGKILL of a producer process in the middle of writing large tasks: no torn file is ever visible as a task.</summary>
public sealed class ProducerKillTests
{
    [Fact]
    public async Task A_producer_killed_mid_write_leaves_no_partial_task_and_every_acknowledged_one_runs()
    {
        using var spool = new TempSpool("fault-kill-producer");
        using var ledgerDir = new TempSpool("fault-kill-producer-ledger");
        string log = ledgerDir.Combine("events.jsonl");
        var ledger = new Ledger();
        int seed = Environment.TickCount;
        var random = new Random(seed);
        const int Runs = 4;
        int leftovers = 0;
        for (int run = 0; run < Runs; run++)
        {
            // 1 MiB bodies with fsync: each write takes long enough for a kill to land inside it.
            using var producer = ChildProcess.StartDotnet("TypedSpool.TestWorker",
                ["--produce", "--spool", spool.Path, "--count", "100000", "--body-bytes", "1048576", "--prefix", $"run{run}"], readyLine: "ready");
            await producer.WaitReadyAsync(TimeSpan.FromSeconds(20));
            await Task.Delay(random.Next(100, 700), TestContext.Current.CancellationToken);
            producer.Kill();
            await producer.WaitForExitAsync(TimeSpan.FromSeconds(10));
            ledger.RecordProducerOutput(producer.StandardOutput);

            // Checked before any worker runs: what a consumer would see right after the crash.
            var contents = SpoolContents.Read(spool.Path);
            Assert.True(contents.InvalidQueued.Count == 0, $"run {run}: torn task files visible: {string.Join(", ", contents.InvalidQueued)}");
            leftovers = contents.TemporaryFiles.Count;
        }
        Assert.True(ledger.AcknowledgedCount > 0, "no enqueue completed before the kills; the scenario proved nothing");

        using (var worker = await WorkerProcess.StartAsync(spool.Path, log, "--concurrency", "2", "--frequency-ms", "500"))
        {
            await Wait.UntilAsync(() => new TempSpoolView(spool.Path).TaskFileCount == 0, TimeSpan.FromSeconds(60),
                () => $"{new TempSpoolView(spool.Path).TaskFileCount} task file(s) left" + worker.Describe());
        }

        var verdict = ledger.Reconcile(WorkerLog.Read(log), SpoolContents.Read(spool.Path));
        verdict.AssertHolds($"producer kills (seed {seed})");
        // A temporary file is the only trace a killed write may leave; workers never run it and remove it after an hour.
        Assert.InRange(leftovers, 0, Runs);
        FaultSummary.Add(verdict.Row("1c producer SIGKILL mid-write", Runs,
            $"{verdict.Executed - verdict.Acknowledged} unacknowledged but complete ran; {leftovers} temp file(s) left, never run"));
    }
}
