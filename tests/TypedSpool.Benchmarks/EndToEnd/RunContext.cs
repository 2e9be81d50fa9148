namespace TypedSpool.Benchmarks.EndToEnd;

/// <summary>One system in one repetition: its work directory, its task count, and the figures it fills in.</summary>
internal sealed class RunContext(E2eOptions options, string work, int n)
{
    public E2eOptions Options { get; } = options;

    public int N { get; } = n;

    public RunFigures Figures { get; } = new();

    public string Path(string name) => System.IO.Path.Combine(work, name);

    /// <summary>Generous: a timeout means a system stopped making progress, not that it was slow.</summary>
    public static TimeSpan Timeout(int tasks) => TimeSpan.FromSeconds(60) + TimeSpan.FromMilliseconds(tasks * 25.0);

    /// <summary>Runs one phase; a failure is recorded (the harness then exits non-zero) and the next phase still runs.</summary>
    public async Task PhaseAsync(string phase, Func<Task> run)
    {
        // Start every phase with no dirty pages left by the previous one (a non-durable run leaves plenty).
        Libc.Sync();
        try
        {
            await run();
        }
        catch (Exception ex)
        {
            Figures.Errors.Add($"{phase}: {ex.Message}");
        }
    }

    /// <summary>CPU per task from a consumer's CPU marks at its first and last task.</summary>
    public void SetConsumerFigures(long cpuFirstNs, long cpuLastNs, long peakRssKb, int tasks)
    {
        Figures.CpuMsPerTask = (cpuLastNs - cpuFirstNs) / 1e6 / (tasks - 1);
        Figures.PeakRssMb = peakRssKb / 1024.0;
    }
}
