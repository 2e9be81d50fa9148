using System.Globalization;
using TypedSpool.FaultTests.Infrastructure;
using TypedSpool.Testing;

namespace TypedSpool.FaultTests.Scenarios;

/// <summary>Several worker processes on one directory while a producer keeps adding: exactly once, or at least once under kills.</summary>
public sealed class SharedDirectoryTests
{
    private const int Total = 10_000;

    [Fact]
    public async Task Two_workers_run_ten_thousand_tasks_exactly_once()
    {
        var (verdict, _) = await RunAsync(workers: 2, concurrency: 2, killEveryMs: null);
        verdict.AssertHolds("two workers, no faults");
        Assert.Equal(0, verdict.Duplicated);
        Assert.Equal(Total, verdict.Executed);
        FaultSummary.Add(verdict.Row("1d two workers, one directory", 1, "exactly once"));
    }

    [Fact]
    public async Task Four_workers_killed_and_restarted_at_random_lose_nothing()
    {
        var (verdict, kills) = await RunAsync(workers: 4, concurrency: 2, killEveryMs: (150, 450));
        verdict.AssertHolds("four workers with random kills");
        Assert.Equal(Total, verdict.Executed);
        Assert.True(kills >= 5, $"only {kills} kill(s) landed before the spool drained");
        FaultSummary.Add(verdict.Row("1e four workers, random SIGKILLs", kills, "duplicates only from killed workers"));
    }

    private static async Task<(Verdict Verdict, int Kills)> RunAsync(int workers, int concurrency, (int Min, int Max)? killEveryMs)
    {
        using var spool = new TempSpool("fault-shared");
        using var ledgerDir = new TempSpool("fault-shared-ledger");
        string log = ledgerDir.Combine("events.jsonl");
        var ledger = new Ledger();
        int seed = Environment.TickCount;
        var random = new Random(seed);
        var producer = new Spooler(spool.Path);
        void Enqueue(int i)
        {
            string id = "s-" + i.ToString(CultureInfo.InvariantCulture);
            ledger.Attempt(id);
            // Some tasks take a moment, so that kills land mid-task as well as between tasks.
            producer.Enqueue(FaultTask.Create(id, random.Next(0, 512), random, ("sleep_ms", (i % 7 == 0 ? 3 : 0).ToString(CultureInfo.InvariantCulture))));
            ledger.Acknowledge(id);
        }
        for (int i = 0; i < Total / 2; i++)
        {
            Enqueue(i);
        }

        string[] options = ["--concurrency", concurrency.ToString(CultureInfo.InvariantCulture), "--frequency-ms", "500"];
        var running = new List<WorkerProcess>();
        var killed = new List<int>();
        try
        {
            for (int w = 0; w < workers; w++)
            {
                running.Add(await WorkerProcess.StartAsync(spool.Path, log, options));
            }
            var producing = Task.Run(async () =>
            {
                for (int i = Total / 2; i < Total; i++)
                {
                    Enqueue(i);
                    if (i % 50 == 0) await Task.Delay(10);
                }
            });

            var view = new TempSpoolView(spool.Path);
            var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(240);
            while (!producing.IsCompleted || view.TaskFileCount > 0)
            {
                Assert.True(DateTime.UtcNow < deadline, $"{view.TaskFileCount} task file(s) left after 240 s (seed {seed})" + string.Concat(running.Select(r => r.Describe())));
                if (killEveryMs is { } range)
                {
                    await Task.Delay(random.Next(range.Min, range.Max), TestContext.Current.CancellationToken);
                    int victim = random.Next(running.Count);
                    await running[victim].KillAsync();
                    killed.Add(running[victim].Pid);
                    running[victim].Dispose();
                    running[victim] = await WorkerProcess.StartAsync(spool.Path, log, options);
                }
                else
                {
                    await Task.Delay(50, TestContext.Current.CancellationToken);
                }
            }
            await producing;
            Assert.All(running, r => Assert.False(r.HasExited, "a worker exited by itself" + r.Describe()));
        }
        finally
        {
            running.ForEach(r => r.Dispose());
        }

        var events = WorkerLog.Read(log);
        var pids = events.Select(e => e.Pid).Distinct().Count();
        TestContext.Current.TestOutputHelper?.WriteLine($"seed {seed}; {pids} worker process(es) ran tasks; {killed.Count} kill(s)");
        return (ledger.Reconcile(events, SpoolContents.Read(spool.Path), Ledger.KilledWorkers(events, killed, concurrency)), killed.Count);
    }
}
