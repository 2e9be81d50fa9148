using System.Globalization;

namespace TypedSpool.Benchmarks.EndToEnd;

/// <summary>
/// The lines "&lt;id&gt; &lt;enqueued ns&gt; &lt;started ns&gt;" that every system's task appends; ids below zero are warm-ups.
/// Reading checks that every id 0..expected-1 ran exactly once: anything else is a failed run.
/// </summary>
internal sealed class TaskLogFile
{
    private readonly double[] _latenciesMs;

    private TaskLogFile(int count, long firstStartNs, long lastStartNs, double[] latenciesMs)
    {
        Count = count;
        FirstStartNs = firstStartNs;
        LastStartNs = lastStartNs;
        _latenciesMs = latenciesMs;
    }

    public int Count { get; }

    public long FirstStartNs { get; }

    public long LastStartNs { get; }

    /// <summary>Tasks per second between the first and the last start: the consumer's pace, without its start-up.</summary>
    public double DrainPerSecond => (Count - 1) * 1e9 / Math.Max(1, LastStartNs - FirstStartNs);

    /// <summary>Tasks per second from <paramref name="t0Ns"/> (the producer's first enqueue) to the last start.</summary>
    public double PerSecondSince(long t0Ns) => Count * 1e9 / Math.Max(1, LastStartNs - t0Ns);

    /// <summary>Nearest-rank percentile of start minus enqueue, in milliseconds.</summary>
    public double LatencyMs(double percentile) => _latenciesMs[Math.Clamp((int)Math.Ceiling(percentile * _latenciesMs.Length) - 1, 0, _latenciesMs.Length - 1)];

    public static TaskLogFile Read(string path, int expected)
    {
        if (!File.Exists(path)) throw new BenchmarkFailure($"no task ran (no {path})");
        var seen = new bool[expected];
        var latencies = new List<double>(expected);
        int twice = 0, stray = 0;
        long first = long.MaxValue, last = long.MinValue;
        foreach (var line in File.ReadLines(path))
        {
            var parts = line.Split(' ');
            if (parts.Length != 3
                || !long.TryParse(parts[0], NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out long id)
                || !long.TryParse(parts[1], NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out long enqueued)
                || !long.TryParse(parts[2], NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out long started))
            {
                throw new BenchmarkFailure($"malformed task log line '{line}' in {path}");
            }
            if (id < 0) continue;
            if (id >= expected)
            {
                stray++;
                continue;
            }
            if (seen[id])
            {
                twice++;
                continue;
            }
            seen[id] = true;
            latencies.Add((started - enqueued) / 1e6);
            first = Math.Min(first, started);
            last = Math.Max(last, started);
        }
        int missing = expected - latencies.Count;
        if (missing > 0 || twice > 0 || stray > 0)
        {
            throw new BenchmarkFailure($"{latencies.Count} of {expected} tasks ran ({missing} missing, {twice} ran twice, {stray} unknown ids) in {path}");
        }
        var sorted = latencies.ToArray();
        Array.Sort(sorted);
        return new TaskLogFile(latencies.Count, first, last, sorted);
    }
}
