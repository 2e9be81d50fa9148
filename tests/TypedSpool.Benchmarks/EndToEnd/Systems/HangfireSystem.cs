namespace TypedSpool.Benchmarks.EndToEnd.Systems;

/// <summary>Hangfire with SQLite storage: a database file, so the phases are separate processes like TypedSpool's.</summary>
internal sealed class HangfireSqliteSystem : DotnetSystem
{
    public override string Name => SystemNames.HangfireSqlite;

    public override string Notes =>
        $"Hangfire.Core 1.8.25 + Hangfire.Storage.SQLite 0.4.3 (WAL), BackgroundJobServer with its default {Math.Min(Environment.ProcessorCount * 5, 20)} workers, "
        + $"QueuePollInterval {HangfireChild.SqlitePollInterval.TotalMilliseconds:F0} ms (default 15 s); latency producer: a separate process on the same database.";
}

/// <summary>
/// Hangfire with in-memory storage, which lives and dies with its process: the drain runs in the process that
/// filled the queue (its RSS includes the queued jobs), and the latency producer is a thread of the consumer's process.
/// </summary>
internal sealed class HangfireInMemorySystem : DotnetSystem
{
    public override string Name => SystemNames.HangfireInMemory;

    public override string Notes =>
        $"Hangfire.Core 1.8.25 + Hangfire.InMemory 1.0.0, {Math.Min(Environment.ProcessorCount * 5, 20)} workers; in-memory storage cannot be shared between processes, "
        + "so enqueue and drain run in one process (server started after the enqueue) and the latency producer is a thread.";

    public override async Task RunAsync(RunContext context)
    {
        int n = context.N;
        string log = context.Path("drain.log");
        await context.PhaseAsync("enqueue+drain", async () =>
        {
            var report = await ChildPhases.RunAsync(Name, "enqueue-drain", context.Path("queue"), n, "--n", ChildPhases.Text(n), "--log", log);
            context.Figures.EnqueuePerS = n * 1e9 / report.Long("enqueue_ns");
            context.Figures.DrainPerS = TaskLogFile.Read(log, n).DrainPerSecond;
            context.SetConsumerFigures(report.Long("cpu_first_ns"), report.Long("cpu_last_ns"), report.Long("peak_rss_kb"), n);
        });
        await RunE2eAsync(context);
        await RunLatencyAsync(context);
    }

    protected override Task RunLatencyAsync(RunContext context)
    {
        var o = context.Options;
        string log = context.Path("latency.log");
        return context.PhaseAsync("latency", async () =>
        {
            var report = await ChildPhases.RunAsync(Name, "latency-inproc", context.Path("queue-latency"), o.LatencyTasks + o.LatencyWarmUp,
                "--n", ChildPhases.Text(o.LatencyTasks), "--warmup", ChildPhases.Text(o.LatencyWarmUp), "--interval-us", ChildPhases.Text(o.IntervalFor(Name)), "--log", log);
            ChildPhases.SetLatency(context, TaskLogFile.Read(log, o.LatencyTasks), report);
        });
    }
}
