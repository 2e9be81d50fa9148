using System.Collections.Concurrent;
using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace TypedSpool.Diagnostics;

/// <summary>
/// The <see cref="Meter"/> and <see cref="ActivitySource"/> named "TypedSpool". Any listener (OpenTelemetry,
/// dotnet-counters, a MeterListener) picks them up; the library itself depends on nothing beyond the BCL.
/// </summary>
public static class SpoolTelemetry
{
    /// <summary>Name of the meter and of the activity source.</summary>
    public const string Name = "TypedSpool";

    /// <summary>Tag: the task's wire name.</summary>
    public const string TaskTag = "typedspool.task";

    /// <summary>Tag: the spool directory.</summary>
    public const string SpoolTag = "typedspool.spool";

    /// <summary>Tag: how a run ended (ok, retry, dead_letter, ignore, run_again, abandoned).</summary>
    public const string OutcomeTag = "typedspool.outcome";

    private static readonly string? s_version = typeof(SpoolTelemetry).Assembly.GetName().Version?.ToString();
    private static readonly ConcurrentDictionary<string, QueueSnapshot> s_queues = new(StringComparer.Ordinal);

    internal static readonly ActivitySource ActivitySource = new(Name, s_version);
    internal static readonly Meter Meter = new(Name, s_version);

    internal static readonly Counter<long> Enqueued = Meter.CreateCounter<long>("typedspool.tasks.enqueued", "{task}", "Tasks written to a spool.");
    internal static readonly Counter<long> Started = Meter.CreateCounter<long>("typedspool.tasks.started", "{task}", "Task runs started.");
    internal static readonly Counter<long> Succeeded = Meter.CreateCounter<long>("typedspool.tasks.succeeded", "{task}", "Task runs that succeeded.");
    internal static readonly Counter<long> Retried = Meter.CreateCounter<long>("typedspool.tasks.retried", "{task}", "Task runs that failed and were rescheduled.");
    internal static readonly Counter<long> Failed = Meter.CreateCounter<long>("typedspool.tasks.failed", "{task}", "Tasks moved to the dead-letter directory.");
    internal static readonly Counter<long> Quarantined = Meter.CreateCounter<long>("typedspool.files.quarantined", "{file}", "Undecodable files moved to quarantine.");
    internal static readonly Histogram<double> Duration = CreateSecondsHistogram("typedspool.task.duration", "Run time of a task.");
    internal static readonly Histogram<double> Wait = CreateSecondsHistogram("typedspool.task.wait", "Time from a task being due to its run starting.");

    /// <summary>Histograms in seconds, with bucket advice in seconds (exporters' defaults are sized for milliseconds).</summary>
    private static Histogram<double> CreateSecondsHistogram(string name, string description)
    {
#if NET9_0_OR_GREATER
        var advice = new InstrumentAdvice<double> { HistogramBucketBoundaries = [0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 300] };
        return Meter.CreateHistogram(name, "s", description, tags: null, advice);
#else
        return Meter.CreateHistogram<double>(name, "s", description);
#endif
    }

    static SpoolTelemetry()
    {
        Meter.CreateObservableGauge("typedspool.queue.depth", ObserveDepth, "{task}", "Due tasks seen by the last scan of each spool.");
        Meter.CreateObservableGauge("typedspool.queue.age", ObserveAge, "s", "Age of the oldest due task seen by the last scan of each spool.");
    }

    /// <summary>Records what a worker's last scan saw, for the queue gauges.</summary>
    internal static void RecordQueue(string directory, int due, DateTimeOffset? oldestDue, DateTimeOffset now)
        => s_queues[directory] = new QueueSnapshot(due, oldestDue is { } oldest ? (now - oldest).TotalSeconds : 0);

    internal static void ForgetQueue(string directory) => s_queues.TryRemove(directory, out _);

    private static IEnumerable<Measurement<int>> ObserveDepth()
    {
        foreach (var (directory, snapshot) in s_queues)
        {
            yield return new Measurement<int>(snapshot.Depth, new KeyValuePair<string, object?>(SpoolTag, directory));
        }
    }

    private static IEnumerable<Measurement<double>> ObserveAge()
    {
        foreach (var (directory, snapshot) in s_queues)
        {
            yield return new Measurement<double>(snapshot.AgeSeconds, new KeyValuePair<string, object?>(SpoolTag, directory));
        }
    }

    private readonly record struct QueueSnapshot(int Depth, double AgeSeconds);
}
