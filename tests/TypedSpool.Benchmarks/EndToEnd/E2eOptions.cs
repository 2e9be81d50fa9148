using TypedSpool.Benchmarks.EndToEnd.Systems;

namespace TypedSpool.Benchmarks.EndToEnd;

/// <summary>Command line of the e2e coordinator.</summary>
internal sealed class E2eOptions
{
    public const string Usage =
        "[--n N] [--n-sqlite N] [--repetitions R] [--latency-tasks L] [--interval-us U] [--interval-sqlite-us U] [--quick] [--out DIR] [--work DIR] [--systems a,b] [--no-scaling] [--keep]";

    /// <summary>Tasks per phase.</summary>
    public int N { get; private init; }

    /// <summary>Tasks per phase for Hangfire with SQLite, which runs ~200 jobs/s: the full N would dominate the wall time.</summary>
    public int NSqlite { get; private init; }

    public int Repetitions { get; private init; }

    /// <summary>Tasks timed in the latency phase, after <see cref="LatencyWarmUp"/> untimed ones.</summary>
    public int LatencyTasks { get; private init; }

    public int LatencyWarmUp { get; private init; }

    /// <summary>Spacing of the latency producer's tasks, in microseconds.</summary>
    public int IntervalUs { get; private init; }

    /// <summary>
    /// Spacing for Hangfire with SQLite, which takes longer than <see cref="IntervalUs"/> per job: at 5 ms its queue
    /// grows and the figure becomes a backlog, not the latency of an idle worker.
    /// </summary>
    public int IntervalSqliteUs { get; private init; }

    public int IntervalFor(string system) => system == SystemNames.HangfireSqlite ? IntervalSqliteUs : IntervalUs;

    public bool Quick { get; private init; }

    public required string Out { get; init; }

    /// <summary>Where the spools and databases live (the disk under test).</summary>
    public required string Work { get; init; }

    public required IReadOnlyList<string> Systems { get; init; }

    public bool Scaling { get; private init; }

    public bool Keep { get; private init; }

    public int TasksFor(string system) => system == SystemNames.HangfireSqlite ? NSqlite : N;

    public static E2eOptions Parse(string[] args)
    {
        var a = ArgMap.Parse(args);
        bool quick = a.Has("quick");
        int n = a.Int("n", quick ? 1000 : 10_000);
        var systems = a.Has("systems") ? a.Text("systems").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries) : SystemNames.All;
        foreach (var s in systems)
        {
            if (!SystemNames.All.Contains(s)) throw new ArgumentException($"--systems: unknown system '{s}' (known: {string.Join(", ", SystemNames.All)})");
        }
        var options = new E2eOptions
        {
            N = n,
            NSqlite = a.Int("n-sqlite", Math.Min(n, quick ? 200 : 2000)),
            Repetitions = a.Int("repetitions", 3),
            LatencyTasks = a.Int("latency-tasks", quick ? 100 : 300),
            LatencyWarmUp = 20,
            IntervalUs = a.Int("interval-us", 5000),
            IntervalSqliteUs = a.Int("interval-sqlite-us", 50_000),
            Quick = quick,
            Out = Path.GetFullPath(a.Text("out", "artifacts/bench")),
            Work = Path.GetFullPath(a.Text("work", Path.Combine(Path.GetTempPath(), $"typedspool-e2e-{Environment.ProcessId}"))),
            Systems = systems,
            Scaling = !a.Has("no-scaling"),
            Keep = a.Has("keep"),
        };
        if (options.N < 2 || options.NSqlite < 2) throw new ArgumentException("--n and --n-sqlite must be at least 2");
        if (options.Repetitions < 1) throw new ArgumentException("--repetitions must be at least 1");
        if (options.LatencyTasks < 1) throw new ArgumentException("--latency-tasks must be at least 1");
        return options;
    }
}
