namespace TypedSpool.Benchmarks.EndToEnd.Systems;

/// <summary>
/// A .NET system whose store outlives a process (a spool directory, a SQLite file): each phase is its own child
/// process — enqueue (producer only), drain (consumer only, on what enqueue left), e2e (both in one process, as an
/// application that enqueues and runs its own work), and a consumer plus a separate producer process for latency.
/// </summary>
internal abstract class DotnetSystem : BenchSystem
{
    public override async Task RunAsync(RunContext context)
    {
        int n = context.N;
        string nText = ChildPhases.Text(n);
        string store = context.Path("queue");
        string drainLog = context.Path("drain.log");
        bool filled = false;
        await context.PhaseAsync("enqueue", async () =>
        {
            var report = await ChildPhases.RunAsync(Name, "enqueue", store, n, "--n", nText);
            context.Figures.EnqueuePerS = n * 1e9 / report.Long("enqueue_ns");
            filled = true;
        });
        await context.PhaseAsync("drain", async () =>
        {
            if (!filled) throw new BenchmarkFailure("no pre-filled queue to drain (enqueue failed)");
            var report = await ChildPhases.RunAsync(Name, "drain", store, n, "--n", nText, "--log", drainLog);
            context.Figures.DrainPerS = TaskLogFile.Read(drainLog, n).DrainPerSecond;
            context.SetConsumerFigures(report.Long("cpu_first_ns"), report.Long("cpu_last_ns"), report.Long("peak_rss_kb"), n);
        });
        await RunE2eAsync(context);
        await RunLatencyAsync(context);
    }

    protected async Task RunE2eAsync(RunContext context)
    {
        string log = context.Path("e2e.log");
        await context.PhaseAsync("e2e", async () =>
        {
            var report = await ChildPhases.RunAsync(Name, "e2e", context.Path("queue-e2e"), context.N, "--n", ChildPhases.Text(context.N), "--log", log);
            context.Figures.E2ePerS = TaskLogFile.Read(log, context.N).PerSecondSince(report.Long("t0_ns"));
        });
    }

    protected virtual Task RunLatencyAsync(RunContext context)
    {
        var o = context.Options;
        string store = context.Path("queue-latency");
        string log = context.Path("latency.log");
        return context.PhaseAsync("latency", () => ChildPhases.MeasureLatencyAsync(context, Name, store, log, async () =>
        {
            var consumer = SelfProcess.Start(["--system", Name, "--phase", "consume", "--store", store, "--log", log,
                "--expect", ChildPhases.Text(o.LatencyTasks + o.LatencyWarmUp)]);
            try
            {
                await consumer.WaitReadyAsync(TimeSpan.FromSeconds(60));
            }
            catch
            {
                consumer.Dispose();
                throw;
            }
            return new LatencyConsumer(consumer, () => consumer.ResultAsync(TimeSpan.FromSeconds(30)));
        }));
    }
}
