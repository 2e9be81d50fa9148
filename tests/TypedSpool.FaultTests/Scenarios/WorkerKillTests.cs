using System.Globalization;
using TypedSpool.FaultTests.Infrastructure;
using TypedSpool.Testing;

namespace TypedSpool.FaultTests.Scenarios;

/// <summary>SIGKILL of worker processes at random moments: at-least-once, with repeats only in the crash window.</summary>
public sealed class WorkerKillTests
{
    [Fact]
    public async Task Workers_killed_at_random_points_lose_nothing_and_repeat_only_in_the_crash_window()
    {
        using var spool = new TempSpool("fault-kill-worker");
        using var ledgerDir = new TempSpool("fault-kill-worker-ledger");
        string log = ledgerDir.Combine("events.jsonl");
        int seed = Environment.TickCount;
        var random = new Random(seed);
        var ledger = new Ledger();
        var producer = new Spooler(spool.Path);
        for (int i = 0; i < 600; i++)
        {
            string id = "k-" + i.ToString(CultureInfo.InvariantCulture);
            ledger.Attempt(id);
            producer.Enqueue(FaultTask.Create(id, random.Next(0, 4096), random, ("sleep_ms", random.Next(0, 5).ToString(CultureInfo.InvariantCulture))));
            ledger.Acknowledge(id);
        }

        const int Runs = 8;
        const int MaxConcurrency = 3;
        var killed = new List<int>();
        for (int run = 0; run < Runs; run++)
        {
            using var worker = await WorkerProcess.StartAsync(spool.Path, log, "--concurrency", run % 2 == 0 ? "1" : "3", "--frequency-ms", "1000");
            await Task.Delay(random.Next(50, 400), TestContext.Current.CancellationToken);
            await worker.KillAsync();
            killed.Add(worker.Pid);
        }

        using (var drain = await WorkerProcess.StartAsync(spool.Path, log, "--frequency-ms", "500"))
        {
            await Wait.UntilAsync(() => new TempSpoolView(spool.Path).TaskFileCount == 0, TimeSpan.FromSeconds(60),
                () => $"{new TempSpoolView(spool.Path).TaskFileCount} task file(s) left" + drain.Describe());
        }

        var events = WorkerLog.Read(log);
        var verdict = ledger.Reconcile(events, SpoolContents.Read(spool.Path), Ledger.KilledWorkers(events, killed, MaxConcurrency));
        int cutMidTask = events.Where(e => e.Event == "start" && killed.Contains(e.Pid))
            .Count(s => !events.Any(e => e.Event == "end" && e.Pid == s.Pid && e.File == s.File && e.Attempt == s.Attempt));
        TestContext.Current.TestOutputHelper?.WriteLine($"seed {seed}; {cutMidTask} run(s) cut mid-task by the kills");
        verdict.AssertHolds($"random worker kills (seed {seed})");
        Assert.Equal(600, verdict.Executed);
        FaultSummary.Add(verdict.Row("1a worker SIGKILL at random points", Runs, $"{cutMidTask} runs cut mid-task"));
    }
}
