namespace TypedSpool.Benchmarks.EndToEnd;

/// <summary>The figures of one system in one repetition; null where the phase failed.</summary>
internal sealed class RunFigures
{
    public double? EnqueuePerS { get; set; }
    public double? DrainPerS { get; set; }
    public double? E2ePerS { get; set; }
    public double? LatencyP50Ms { get; set; }
    public double? LatencyP99Ms { get; set; }
    public double? CpuMsPerTask { get; set; }
    public double? PeakRssMb { get; set; }

    /// <summary>System-specific figures (results.json only), e.g. uWSGI's master RSS.</summary>
    public Dictionary<string, double> Extra { get; } = new(StringComparer.Ordinal);

    public List<string> Errors { get; } = [];
}

/// <summary>One column of the table and one key of results.json.</summary>
internal sealed record Metric(string Key, string Header, bool HigherIsBetter, string Format, Func<RunFigures, double?> Get)
{
    public static readonly Metric[] All =
    [
        new("enqueue_per_s", "enqueue/s", true, "F0", f => f.EnqueuePerS),
        new("drain_per_s", "drain/s", true, "F0", f => f.DrainPerS),
        new("e2e_per_s", "e2e/s", true, "F0", f => f.E2ePerS),
        new("latency_p50_ms", "p50 ms", false, "F2", f => f.LatencyP50Ms),
        new("latency_p99_ms", "p99 ms", false, "F2", f => f.LatencyP99Ms),
        new("cpu_ms_per_task", "CPU ms/task", false, "F3", f => f.CpuMsPerTask),
        new("peak_rss_mb", "RSS MB", false, "F1", f => f.PeakRssMb),
    ];
}

/// <summary>Every repetition of one system, and their medians.</summary>
internal sealed class SystemResult(string name, int n, string notes, string? skipped)
{
    public string Name { get; } = name;

    public int N { get; } = n;

    public string Notes { get; } = notes;

    /// <summary>Why the system was not run (a missing tool): reported, not a failure.</summary>
    public string? Skipped { get; } = skipped;

    public List<RunFigures> Runs { get; } = [];

    public IEnumerable<string> Errors => Runs.SelectMany((r, i) => r.Errors.Select(e => $"run {i + 1}: {e}"));

    public double? Median(Metric metric) => Median(Runs.Select(metric.Get));

    public double? MedianExtra(string key) => Median(Runs.Select(r => r.Extra.TryGetValue(key, out var v) ? v : (double?)null));

    public IEnumerable<string> ExtraKeys => Runs.SelectMany(r => r.Extra.Keys).Distinct().Order(StringComparer.Ordinal);

    public static double? Median(IEnumerable<double?> values)
    {
        var sorted = values.Where(v => v.HasValue).Select(v => v!.Value).Order().ToArray();
        if (sorted.Length == 0) return null;
        int mid = sorted.Length / 2;
        return sorted.Length % 2 == 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
    }
}
